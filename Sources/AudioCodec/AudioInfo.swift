public import PCM

/// The facts about an audio file that `soxi` reports: format, length, container and codec.
public struct AudioInfo: Hashable, Sendable, Codable {
    /// The file's path.
    public var path: String
    /// The container, for example `"WAV"`, `"RF64"`, `"FLAC"`, `"OGG"`, `"MP3"`, `"MP4"`.
    public var container: String
    /// The codec or sample encoding, for example `"PCM_16"`, `"FLOAT"`, `"VORBIS"`, `"MPEG-1 Layer III"`.
    public var codec: String
    /// Frames per second, in hertz.
    public var sampleRate: Double
    /// Samples per frame.
    public var channelCount: Int
    /// Frames in the file, when known.
    public var frameCount: Int?
    /// Bits per sample for PCM and lossless codecs; `nil` for lossy codecs.
    public var bitDepth: Int?
    /// The file's size in bytes.
    public var fileSize: Int

    /// Creates a description.
    /// - Parameters:
    ///   - path: The file's path.
    ///   - container: The container name.
    ///   - codec: The codec or sample encoding.
    ///   - sampleRate: Frames per second.
    ///   - channelCount: Samples per frame.
    ///   - frameCount: Frames in the file, when known.
    ///   - bitDepth: Bits per sample for PCM and lossless codecs.
    ///   - fileSize: Bytes.
    public init(
        path: String, container: String, codec: String, sampleRate: Double, channelCount: Int,
        frameCount: Int?, bitDepth: Int?, fileSize: Int
    ) {
        self.path = path
        self.container = container
        self.codec = codec
        self.sampleRate = sampleRate
        self.channelCount = channelCount
        self.frameCount = frameCount
        self.bitDepth = bitDepth
        self.fileSize = fileSize
    }

    /// The length in seconds, when the frame count is known.
    public var durationSeconds: Double? { frameCount.map { Double($0) / sampleRate } }

    /// The format of the decoded frames.
    /// - Returns: The sample rate and channel count as an `AudioFormat`.
    /// - Throws: `CodecError.Code.corrupt` when the rate or channel count is unusable.
    public func format() throws(CodecError) -> AudioFormat {
        try AudioFormat.checked(sampleRate: sampleRate, channelCount: channelCount, path: path)
    }
}

extension AudioFormat {
    /// Makes a format from values read out of a file header, naming the file when they are absurd.
    /// - Parameters:
    ///   - sampleRate: The header's rate.
    ///   - channelCount: The header's channel count.
    ///   - path: The file, for the message.
    /// - Returns: The format.
    /// - Throws: `CodecError.Code.corrupt` when `AudioFormat` rejects the values.
    static func checked(sampleRate: Double, channelCount: Int, path: String) throws(CodecError) -> AudioFormat {
        do {
            return try AudioFormat(sampleRate: sampleRate, channelCount: channelCount)
        } catch {
            throw CodecError(.corrupt, subject: path, "the header declares an unusable format: \(error.message)")
        }
    }
}
