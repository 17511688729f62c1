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
        let file = try OpenFile(reading: path)
        let prefix = try file.prefix(ContainerSniffer.prefixLength)
        switch ContainerSniffer.backend(for: prefix) {
        case .sndfile: return try SndFileDecoder(file: file)
        case .mpg123: return try MPG123Decoder(file: file, mixToMono: mixToMono, targetSampleRate: targetSampleRate)
        case .ffmpeg: return try FFmpegDecoder(path: path)
        case nil:
            if let frame = ContainerSniffer.cutMPEGFrame(prefix) {
                throw CodecError(
                    .truncated, subject: path,
                    "truncated MP3: the file ends after \(prefix.count) bytes, inside its first MPEG frame of \(frame.frameLength) bytes")
            }
            throw CodecError(
                .unrecognisedFormat, subject: path,
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
