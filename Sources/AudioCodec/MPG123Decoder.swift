public import PCM

/// Decodes MPEG-1, 2 and 2.5 audio (layers I–III, so MP3 at every sample rate) through libmpg123.
///
/// ID3v2 and ID3v1 tags are skipped; LAME/Xing headers are honoured and decoding is gapless,
/// so the frames produced, and ``frameCount``, equal what `mpg123` itself outputs.
/// Decoding produces 32-bit floats directly from libmpg123's synthesis.
public final class MPG123Decoder: AudioDecoder {
    public let path: String
    public let format: AudioFormat
    public var frameCount: Int? { info.frameCount }
    public let info: AudioInfo
    private var file: OpenFile?
    private var handle: MPG123Handle?
    private var position = 0

    /// Opens an MPEG audio file.
    /// - Parameters:
    ///   - path: The file's path.
    ///   - mixToMono: Mix stereo to mono inside libmpg123, before synthesis, which roughly
    ///     halves the decoding work; ``format`` is then mono. Mono files are unaffected.
    /// - Throws: ``CodecError`` with `notFound`, `permissionDenied`, `isDirectory`,
    ///   `unrecognisedFormat` (no MPEG frame found) or `corrupt`.
    public convenience init(path: String, mixToMono: Bool = false) throws(CodecError) {
        try self.init(file: OpenFile(reading: path), mixToMono: mixToMono)
    }

    init(file: OpenFile, mixToMono: Bool = false) throws(CodecError) {
        let handle = try MPG123Handle(reading: file.descriptor, path: file.path, mixToMono: mixToMono)
        path = file.path
        format = try AudioFormat.checked(
            sampleRate: Double(handle.sampleRate), channelCount: handle.channelCount, path: file.path)
        info = AudioInfo(
            path: file.path, container: "MP3", codec: handle.codecName, sampleRate: Double(handle.sampleRate),
            channelCount: handle.channelCount, frameCount: handle.frames, bitDepth: nil, fileSize: file.size)
        self.file = file
        self.handle = handle
    }

    /// Channels in the stream itself; differs from ``format`` when mixing to mono.
    public var sourceChannelCount: Int { handle?.sourceChannelCount ?? format.channelCount }

    public func read(into buffer: inout PCMBuffer, maxFrames: Int) throws(CodecError) -> Int {
        try read(from: handle, into: &buffer, maxFrames: maxFrames, position: &position)
    }

    public func seek(toFrame frame: Int) throws(CodecError) {
        try seek(handle, toFrame: frame, position: &position)
    }

    public func close() {
        handle?.close()
        handle = nil
        file = nil
    }
}
