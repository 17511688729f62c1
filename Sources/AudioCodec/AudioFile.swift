/// Opening, describing and reading audio files, with the decoder chosen from the file's bytes.
public enum AudioFile {
    /// Opens a file for decoding, choosing the backend from its first bytes, never its name:
    /// an MP3 named `.wav` and a WAV named `.mp3` both decode.
    ///
    /// RIFF/RIFX/RF64/Wave64, FLAC, Ogg, AIFF, CAF, AU and NIST SPHERE go to ``SndFileDecoder``; ID3 tags
    /// and MPEG frame syncs (checked against the following frame) go to ``MPG123Decoder``;
    /// MP4/M4A, ADTS AAC, Matroska/WebM, ASF and AMR go to ``FFmpegDecoder``.
    /// - Parameter path: The file's path.
    /// - Returns: A decoder positioned at the first frame.
    /// - Throws: ``CodecError`` with `notFound`, `permissionDenied`, `isDirectory`,
    ///   `unrecognisedFormat` (the message shows the first bytes), `unsupportedCodec`,
    ///   `corrupt`, or `ffmpegMissing`.
    public static func open(_ path: String) throws(CodecError) -> any AudioDecoder {
        try open(path, mixToMono: false)
    }

    /// Opens a file as ``open(_:)`` does, letting the decoder do part of a later conversion
    /// where it can do it more cheaply.
    /// - Parameters:
    ///   - path: The file's path.
    ///   - mixToMono: When true, a decoder that can mix channels before synthesis (libmpg123)
    ///     produces mono; other decoders ignore it, so check the decoder's format.
    ///   - targetSampleRate: The rate the caller will resample to, if any. When it is at most
    ///     45 % of an MPEG stream's rate, libmpg123 decodes at half rate (only the subbands that
    ///     survive the resampling); the decoder's format then shows the lower rate, and the
    ///     output is half a sample (at that rate) late.
    /// - Returns: A decoder positioned at the first frame.
    /// - Throws: ``CodecError`` as ``open(_:)`` does.
    public static func open(_ path: String, mixToMono: Bool, targetSampleRate: Double? = nil) throws(CodecError) -> any AudioDecoder {
        try open(.file(OpenFile(reading: path)), mixToMono: mixToMono, targetSampleRate: targetSampleRate)
    }

    /// Opens bytes already in memory — an archive member — as ``open(_:mixToMono:targetSampleRate:)``
    /// opens a file, with no temporary file: libsndfile reads them through its virtual I/O,
    /// libmpg123 through a replacement reader (the gapless length stays exact), and `ffmpeg`
    /// (MP4/M4A and the other formats it decodes) through an anonymous memory file, which it
    /// can seek in to find an MP4's index at the end. The decoded frames are those of the same
    /// file decoded from disk, bit for bit.
    /// - Parameters:
    ///   - bytes: The whole file.
    ///   - name: The name to show in errors and in ``AudioInfo/path`` (e.g. `archive.tar.gz/clips/x.mp3`).
    ///   - mixToMono: As for a file.
    ///   - targetSampleRate: As for a file.
    /// - Returns: A decoder positioned at the first frame.
    /// - Throws: ``CodecError`` as ``open(_:)`` does, except the file-system codes.
    public static func open(
        bytes: [UInt8], name: String, mixToMono: Bool = false, targetSampleRate: Double? = nil
    ) throws(CodecError) -> any AudioDecoder {
        try open(.memory(MemoryFile(bytes: bytes, name: name)), mixToMono: mixToMono, targetSampleRate: targetSampleRate)
    }

    static func open(_ input: DecoderInput, mixToMono: Bool, targetSampleRate: Double?) throws(CodecError) -> any AudioDecoder {
        let prefix = try input.prefix(ContainerSniffer.prefixLength)
        switch ContainerSniffer.backend(for: prefix) {
        case .sndfile: return try SndFileDecoder(input: input)
        case .mpg123: return try MPG123Decoder(input: input, mixToMono: mixToMono, targetSampleRate: targetSampleRate)
        case .ffmpeg: return try FFmpegDecoder(input: input)
        case nil:
            if let frame = ContainerSniffer.cutMPEGFrame(prefix) {
                throw CodecError(
                    .truncated, subject: input.path,
                    "truncated MP3: the file ends after \(prefix.count) bytes, inside its first MPEG frame of \(frame.frameLength) bytes")
            }
            throw CodecError(
                .unrecognisedFormat, subject: input.path,
                "not a recognised audio file; \(ContainerSniffer.describe(prefix))")
        }
    }

    /// Describes a file: container, codec, rate, channels, exact frame count, bit depth, size.
    /// - Parameter path: The file's path.
    /// - Returns: The facts `soxi` reports.
    /// - Throws: ``CodecError`` as ``open(_:)`` does.
    public static func info(_ path: String) throws(CodecError) -> AudioInfo {
        let decoder = try open(path)
        defer { decoder.close() }
        return decoder.info
    }
}
