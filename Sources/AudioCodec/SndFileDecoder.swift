public import PCM

/// Decodes WAV (RIFF, RIFX, RF64, Wave64), FLAC, Ogg Vorbis/Opus, AIFF, CAF and AU through
/// libsndfile.
///
/// Integer samples become floats divided by 2^(bits − 1), exactly as `sox` converts them.
/// Most callers use ``AudioFile/open(_:)``, which picks this decoder from the file's bytes.
public final class SndFileDecoder: AudioDecoder {
    public let path: String
    public let format: AudioFormat
    public var frameCount: Int? { info.frameCount }
    public let info: AudioInfo
    private var input: DecoderInput?
    private var handle: SndFileHandle?
    private var position = 0

    /// Opens a file libsndfile can read.
    /// - Parameter path: The file's path.
    /// - Throws: ``CodecError`` with `notFound`, `permissionDenied`, `isDirectory`,
    ///   `unrecognisedFormat`, `unsupportedCodec` or `corrupt`.
    public convenience init(path: String) throws(CodecError) {
        try self.init(input: .file(OpenFile(reading: path)))
    }

    init(input: DecoderInput) throws(CodecError) {
        let handle = try SndFileHandle(reading: input)
        let codec = handle.codec
        path = input.path
        format = try AudioFormat.checked(
            sampleRate: Double(handle.sampleRate), channelCount: handle.channelCount, path: input.path)
        info = AudioInfo(
            path: input.path, container: handle.containerName, codec: codec.name,
            sampleRate: Double(handle.sampleRate), channelCount: handle.channelCount,
            frameCount: handle.frames, bitDepth: codec.bitDepth, fileSize: input.size)
        self.input = input
        self.handle = handle
    }

    public func read(into buffer: inout PCMBuffer, maxFrames: Int) throws(CodecError) -> Int {
        let n = try read(from: handle, into: &buffer, maxFrames: maxFrames, position: &position)
        if n == 0, let frameCount, position < frameCount {
            throw CodecError(
                .truncated, subject: path,
                "the data ends at frame \(position) of the \(frameCount) the header declares")
        }
        return n
    }

    public func seek(toFrame frame: Int) throws(CodecError) {
        try seek(handle, toFrame: frame, position: &position)
    }

    public func close() {
        handle?.close()
        handle = nil
        input = nil
    }
}
