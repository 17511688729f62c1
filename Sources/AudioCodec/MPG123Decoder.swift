public import PCM

/// Decodes MPEG-1, 2 and 2.5 audio (layers I–III, so MP3 at every sample rate) through libmpg123.
///
/// ID3v2 and ID3v1 tags are skipped; LAME/Xing headers are honoured and decoding is gapless,
/// so the frames produced, and ``frameCount``, equal what `mpg123` itself outputs.
/// Decoding produces 32-bit floats directly from libmpg123's synthesis.
public final class MPG123Decoder: AudioDecoder {
    public let path: String
    public let format: AudioFormat
    /// The exact length, equal to `mpg123`'s decode. Found on first use by scanning the frame
    /// headers through a second descriptor of the same file (the decoding position is not
    /// touched, and a file renamed or replaced since is not confused with it), so a
    /// straight decode never pays for it; a straight decode that reaches the end sets it to
    /// the frames decoded. For a damaged file whose Info header disagrees with its data, the
    /// scanned length can differ from what decoding yields (decoding follows `mpg123 -s`).
    public var frameCount: Int? {
        if knownFrameCount != nil || scanned { return knownFrameCount }
        scanned = true  // Asked once: a scan that cannot be made is not retried on every access.
        guard let file, let second = try? file.reopened(),
            let scanner = try? MPG123Handle(
                reading: second.descriptor, path: path, mixToMono: mixToMono, targetSampleRate: targetSampleRate)
        else { return nil }
        knownFrameCount = scanner.scanLength()
        return knownFrameCount
    }
    public var info: AudioInfo {
        var info = baseInfo
        info.frameCount = frameCount
        return info
    }
    private let baseInfo: AudioInfo
    private var knownFrameCount: Int?
    private var hasSeeked = false
    private var scanned = false
    private let mixToMono: Bool
    private let targetSampleRate: Double?
    private var file: OpenFile?
    private var handle: MPG123Handle?
    private var position = 0

    /// Opens an MPEG audio file.
    /// - Parameters:
    ///   - path: The file's path.
    ///   - mixToMono: Mix stereo to mono inside libmpg123, before synthesis, which roughly
    ///     halves the synthesis work; ``format`` is then mono. Mono files are unaffected.
    ///   - targetSampleRate: The rate the caller will resample to, if any. When it is at most
    ///     45 % of the stream's rate (44.1 or 48 kHz → 16 kHz), libmpg123 decodes only the lower
    ///     16 of the 32 subbands and synthesises at half rate: everything above a quarter of the
    ///     stream's rate, which the resampler would remove anyway, is dropped inside the
    ///     filterbank. ``format`` then shows the half rate, and the output is half a (half-rate)
    ///     sample late (libmpg123 keeps the odd samples).
    /// - Throws: ``CodecError`` with `notFound`, `permissionDenied`, `isDirectory`,
    ///   `unrecognisedFormat` (no MPEG frame found) or `corrupt`.
    public convenience init(path: String, mixToMono: Bool = false, targetSampleRate: Double? = nil) throws(CodecError) {
        try self.init(file: OpenFile(reading: path), mixToMono: mixToMono, targetSampleRate: targetSampleRate)
    }

    init(file: OpenFile, mixToMono: Bool = false, targetSampleRate: Double? = nil) throws(CodecError) {
        let handle = try MPG123Handle(
            reading: file.descriptor, path: file.path, mixToMono: mixToMono, targetSampleRate: targetSampleRate)
        path = file.path
        format = try AudioFormat.checked(
            sampleRate: Double(handle.sampleRate), channelCount: handle.channelCount, path: file.path)
        baseInfo = AudioInfo(
            path: file.path, container: "MP3", codec: handle.codecName, sampleRate: Double(handle.sampleRate),
            channelCount: handle.channelCount, frameCount: nil, bitDepth: nil, fileSize: file.size)
        self.file = file
        self.handle = handle
        self.mixToMono = mixToMono
        self.targetSampleRate = targetSampleRate
    }

    /// Channels in the stream itself; differs from ``format`` when mixing to mono.
    public var sourceChannelCount: Int { handle?.sourceChannelCount ?? format.channelCount }

    public func read(into buffer: inout PCMBuffer, maxFrames: Int) throws(CodecError) -> Int {
        let n = try read(from: handle, into: &buffer, maxFrames: maxFrames, position: &position)
        // Reaching the end of a straight decode tells the length without a scan.
        if n == 0, knownFrameCount == nil, !hasSeeked { knownFrameCount = position }
        return n
    }

    public func seek(toFrame frame: Int) throws(CodecError) {
        try seek(handle, toFrame: frame, position: &position)
        hasSeeked = true
    }

    public func close() {
        handle?.close()
        handle = nil
        file = nil
    }
}
