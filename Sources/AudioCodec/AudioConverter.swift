public import PCM

/// What ``AudioConverter/convert(from:to:options:)`` should produce.
public struct ConversionOptions: Hashable, Sendable {
    /// The output rate in hertz, or `nil` to keep the source's.
    public var sampleRate: Double?
    /// The output channel count (1 mixes down, more copies a mono source), or `nil` to keep the source's.
    public var channelCount: Int?
    /// The container and sample encoding of the output.
    public var fileType: AudioFileType
    /// The resampler preset when the rate changes.
    public var quality: Resampler.Quality
    /// Frames decoded per step; peak memory is proportional to this, never to the file's length.
    public var chunkFrames: Int
    /// Let libmpg123 decode MPEG audio at half its rate when the output rate is at most 45 %
    /// of it (44.1/48 kHz → 16 kHz): about 8 % less CPU, but the output is then one stream
    /// sample late (23 µs at 44.1 kHz: half a sample at the half rate, because libmpg123's
    /// half-rate synthesis keeps the odd samples), and, aligned, it differs from a full-rate
    /// decode by −80 dB near the top of the 16 kHz band (libmpg123's 2:1 synthesis filter).
    /// Off by default so output frame `n` is exactly at `n / sampleRate`.
    public var halfRateMPEGDecoding: Bool
    /// Whether the output is forced to disk when the conversion ends (see `OutputDurability`).
    public var durability: OutputDurability = .synced

    /// Creates options; the defaults give what speech recognisers want: 16 kHz mono 16-bit WAV.
    /// - Parameters:
    ///   - sampleRate: The output rate, or `nil` to keep the source's.
    ///   - channelCount: The output channel count, or `nil` to keep the source's.
    ///   - fileType: The output file type.
    ///   - quality: The resampler preset.
    ///   - chunkFrames: Frames per step (at least 1).
    ///   - halfRateMPEGDecoding: Trade a 23 µs delay and −80 dB deviation for faster MP3 decoding (see the property).
    public init(
        sampleRate: Double? = 16_000, channelCount: Int? = 1, fileType: AudioFileType = .wav16,
        quality: Resampler.Quality = .high, chunkFrames: Int = 65_536, halfRateMPEGDecoding: Bool = false
    ) {
        self.halfRateMPEGDecoding = halfRateMPEGDecoding
        self.sampleRate = sampleRate
        self.channelCount = channelCount
        self.fileType = fileType
        self.quality = quality
        self.chunkFrames = max(1, chunkFrames)
    }
}

/// What a conversion did.
public struct ConversionReport: Hashable, Sendable {
    /// The source file as it was read.
    public var source: AudioInfo
    /// The output file's path.
    public var outputPath: String
    /// The output's rate and channel count.
    public var outputFormat: AudioFormat
    /// The format the decoder produced, before mixing and resampling. For MP3 this can already
    /// be mono and half the stream's rate, when libmpg123 did that part of the work.
    public var decodedFormat: AudioFormat
    /// Frames decoded from the source, in ``decodedFormat``.
    public var inputFrames: Int
    /// Frames written to the output.
    public var outputFrames: Int
    /// Samples that were outside the output's integer range and were clipped.
    public var clippedSamples: Int

    /// The output's length in seconds.
    public var outputDurationSeconds: Double { outputFormat.duration(ofFrames: outputFrames) }
}

/// Converts audio files: decode → mix channels → resample → encode, in fixed-size chunks.
///
/// One converter can convert many files. It keeps the resamplers it has designed (one per
/// pair of rates) and its decoding buffer from file to file, so a batch of short clips pays
/// for filter design and fresh memory once, not per clip; the output is the same, to the
/// bit, as converting each file with a new converter. A converter is a value: give each
/// thread its own.
///
/// ```swift
/// var converter = AudioConverter(options: ConversionOptions(sampleRate: 16_000, channelCount: 1))
/// for clip in clips { try converter.convert(from: clip, to: clip + ".wav") }
/// ```
public struct AudioConverter: Sendable {
    /// The output format and file type of ``convert(from:to:)``, the resampler preset and
    /// the chunk size of both conversions.
    public var options: ConversionOptions
    /// Resamplers at their initial state, by the conversion they were designed for.
    private var resamplers: [ResamplerKey: Resampler] = [:]
    /// The decoding buffer, kept for its capacity.
    private var chunk: PCMBuffer?

    /// Creates a converter.
    /// - Parameter options: What ``convert(from:to:)`` produces; 16 kHz mono 16-bit WAV by default.
    public init(options: ConversionOptions = .init()) {
        self.options = options
    }

    /// Converts a file in one streaming pass; memory use depends on `options.chunkFrames`, not
    /// on the file's length. The output is written atomically (see ``SndFileEncoder``).
    ///
    /// For MP3 sources going to mono, libmpg123 mixes the channels before synthesis; with
    /// ``ConversionOptions/halfRateMPEGDecoding`` it also synthesises at half rate.
    /// - Parameters:
    ///   - source: The file to read (any format ``AudioFile/open(_:)`` accepts).
    ///   - destination: Where to write the result.
    /// - Returns: A report of the frames read and written.
    /// - Throws: ``CodecError`` from decoding or encoding; `unsupportedCodec` when the channel
    ///   layouts cannot be mapped (for example 3 → 2) or the rate is outside the resampler's
    ///   range. On error the destination is left as it was.
    @discardableResult
    public mutating func convert(from source: String, to destination: String) throws(CodecError) -> ConversionReport {
        try convert(.file(OpenFile(reading: source)), to: destination)
    }

    /// Converts a file held in memory (an archive member) as ``convert(from:to:)`` converts one
    /// on disk, with the same output bit for bit.
    /// - Parameters:
    ///   - bytes: The whole source file.
    ///   - name: Its name, for messages.
    ///   - destination: Where to write the result.
    /// - Returns: A report of the frames read and written.
    /// - Throws: ``CodecError`` as ``convert(from:to:)`` does.
    @discardableResult
    public mutating func convert(bytes: [UInt8], name: String, to destination: String) throws(CodecError) -> ConversionReport {
        try convert(.memory(MemoryFile(bytes: bytes, name: name)), to: destination)
    }

    private mutating func convert(_ input: DecoderInput, to destination: String) throws(CodecError) -> ConversionReport {
        let source = input.path
        let decoder = try AudioFile.open(
            input, mixToMono: options.channelCount == 1,
            targetSampleRate: options.halfRateMPEGDecoding ? options.sampleRate : nil)
        defer { decoder.close() }
        let target = try AudioFormat.checked(
            sampleRate: options.sampleRate ?? decoder.format.sampleRate,
            channelCount: options.channelCount ?? decoder.format.channelCount, path: destination)
        var stage = try makeStage(from: decoder.format, to: target, path: source)
        let encoder = try SndFileEncoder(
            path: destination, format: target, fileType: options.fileType, durability: options.durability)
        var inputFrames = 0
        var outputFrames = 0
        try decode(decoder) { (chunk) throws(CodecError) in
            inputFrames += chunk.frameCount
            let converted = try stage.process(chunk)
            try encoder.write(converted)
            outputFrames += converted.frameCount
        }
        let tail = finish(&stage)
        try encoder.write(tail)
        outputFrames += tail.frameCount
        try encoder.finish()
        return ConversionReport(
            source: decoder.info, outputPath: destination, outputFormat: target, decodedFormat: decoder.format,
            inputFrames: inputFrames,
            outputFrames: outputFrames, clippedSamples: encoder.clippedSampleCount)
    }

    /// Reads a whole file into memory, optionally converted to another format with
    /// ``options``' resampler preset and chunk size.
    ///
    /// Channels are mixed down when `format` is mono (or a mono file is copied to every
    /// channel), and the rate is changed with PCM's streaming `Resampler`.
    /// - Parameters:
    ///   - path: The file's path.
    ///   - format: The format wanted, or `nil` for the file's own.
    /// - Returns: Every frame of the file.
    /// - Throws: ``CodecError`` as ``AudioFile/open(_:)`` and ``AudioDecoder/read(into:maxFrames:)``
    ///   do; `unsupportedCodec` when the channel layouts cannot be mapped (for example 3 → 2).
    public mutating func read(_ path: String, as format: AudioFormat? = nil) throws(CodecError) -> PCMBuffer {
        try read(.file(OpenFile(reading: path)), as: format)
    }

    /// Reads a whole file held in memory (an archive member) as ``read(_:as:)`` reads one on disk.
    /// - Parameters:
    ///   - bytes: The whole source file.
    ///   - name: Its name, for messages.
    ///   - format: The format wanted, or `nil` for the file's own.
    /// - Returns: Every frame of the file.
    /// - Throws: ``CodecError`` as ``read(_:as:)`` does.
    public mutating func read(bytes: [UInt8], name: String, as format: AudioFormat? = nil) throws(CodecError) -> PCMBuffer {
        try read(.memory(MemoryFile(bytes: bytes, name: name)), as: format)
    }

    private mutating func read(_ input: DecoderInput, as format: AudioFormat?) throws(CodecError) -> PCMBuffer {
        let path = input.path
        let decoder = try AudioFile.open(input, mixToMono: format?.channelCount == 1, targetSampleRate: nil)
        defer { decoder.close() }
        guard let format, format != decoder.format else { return try decoder.readAll() }
        var stage = try makeStage(from: decoder.format, to: format, path: path)
        var output = PCMBuffer(format: format)
        try decode(decoder) { (chunk) throws(CodecError) in try stage.append(stage.process(chunk), to: &output) }
        try stage.append(finish(&stage), to: &output)
        return output
    }

    /// Converts a file with a converter of its own (see ``convert(from:to:)``).
    /// - Parameters:
    ///   - source: The file to read (any format ``AudioFile/open(_:)`` accepts).
    ///   - destination: Where to write the result.
    ///   - options: The output format and file type.
    /// - Returns: A report of the frames read and written.
    /// - Throws: ``CodecError`` as ``convert(from:to:)`` does.
    @discardableResult
    public static func convert(
        from source: String, to destination: String, options: ConversionOptions = .init()
    ) throws(CodecError) -> ConversionReport {
        var converter = AudioConverter(options: options)
        return try converter.convert(from: source, to: destination)
    }

    /// Feeds every chunk of the decoder to `body`, in the kept buffer.
    private mutating func decode(
        _ decoder: any AudioDecoder, _ body: (PCMBuffer) throws(CodecError) -> Void
    ) throws(CodecError) {
        var buffer: PCMBuffer
        if let kept = chunk, kept.format == decoder.format {
            buffer = kept
        } else {
            buffer = PCMBuffer(format: decoder.format, frameCapacity: options.chunkFrames)
        }
        chunk = nil
        buffer.removeAll(keepingCapacity: true)
        while try decoder.read(into: &buffer, maxFrames: options.chunkFrames) > 0 {
            try body(buffer)
            buffer.removeAll(keepingCapacity: true)
        }
        chunk = buffer
    }

    /// A stage for one file, with a kept resampler when one was designed for this conversion.
    private mutating func makeStage(from source: AudioFormat, to target: AudioFormat, path: String) throws(CodecError)
        -> ConversionStage
    {
        let key = ResamplerKey(from: source, to: target, quality: options.quality)
        return try ConversionStage(
            from: source, to: target, quality: options.quality, path: path, resampler: resamplers.removeValue(forKey: key))
    }

    /// Flushes a stage and keeps its resampler, back at its initial state, for the next file.
    /// (A stage abandoned on an error is never kept: its resampler holds part of a stream.)
    private mutating func finish(_ stage: inout ConversionStage) -> PCMBuffer {
        let tail = stage.flush()
        if let resampler = stage.resampler {
            if resamplers.count >= 8 { resamplers.removeAll() }
            resamplers[ResamplerKey(from: resampler.inputFormat, to: resampler.outputFormat, quality: resampler.quality)] =
                resampler
        }
        return tail
    }
}

/// What a resampler was designed for.
private struct ResamplerKey: Hashable {
    var inputRate: Double
    var outputRate: Double
    var channelCount: Int
    var quality: Resampler.Quality

    init(from source: AudioFormat, to target: AudioFormat, quality: Resampler.Quality) {
        inputRate = source.sampleRate
        outputRate = target.sampleRate
        channelCount = target.channelCount
        self.quality = quality
    }
}

extension AudioFile {
    /// Reads a whole file into memory, optionally converted to another format (see
    /// ``AudioConverter/read(_:as:)``, which keeps its resamplers from file to file).
    /// - Parameters:
    ///   - path: The file's path.
    ///   - format: The format wanted, or `nil` for the file's own.
    ///   - quality: The resampler preset when the rate changes.
    /// - Returns: Every frame of the file.
    /// - Throws: ``CodecError`` as ``open(_:)`` and ``AudioDecoder/read(into:maxFrames:)`` do;
    ///   `unsupportedCodec` when the channel layouts cannot be mapped (for example 3 → 2).
    public static func read(
        _ path: String, as format: AudioFormat? = nil, quality: Resampler.Quality = .high
    ) throws(CodecError) -> PCMBuffer {
        var converter = AudioConverter(options: ConversionOptions(quality: quality))
        return try converter.read(path, as: format)
    }
}

/// Channel mapping then resampling, chunk by chunk, with PCM errors named for the file.
struct ConversionStage {
    private let path: String
    private let target: AudioFormat
    private(set) var resampler: Resampler?

    /// - Parameter resampler: One designed for this conversion and at its initial state, to
    ///   use instead of designing a new one.
    init(
        from source: AudioFormat, to target: AudioFormat, quality: Resampler.Quality, path: String,
        resampler kept: Resampler? = nil
    ) throws(CodecError) {
        guard source.channelCount == target.channelCount || source.channelCount == 1 || target.channelCount == 1 else {
            throw CodecError(
                .unsupportedCodec, subject: path,
                "cannot map \(source.channelCount) channels to \(target.channelCount); only mixing to mono or copying mono is supported")
        }
        self.path = path
        self.target = target
        if source.sampleRate != target.sampleRate {
            if let kept {
                resampler = kept
                return
            }
            do {
                resampler = try Resampler(
                    inputRate: source.sampleRate, outputRate: target.sampleRate, channelCount: target.channelCount,
                    quality: quality)
            } catch {
                throw CodecError(.unsupportedCodec, subject: path, "cannot resample: \(error.message)")
            }
        }
    }

    /// Maps the channels of one chunk, then resamples it.
    mutating func process(_ chunk: PCMBuffer) throws(CodecError) -> PCMBuffer {
        do {
            var mapped = chunk
            if target.channelCount == 1 {
                mapped = chunk.downmixedToMono()
            } else if chunk.format.channelCount != target.channelCount {
                mapped = try chunk.upmixed(toChannels: target.channelCount)
            }
            return try resampler?.process(mapped) ?? mapped
        } catch {
            throw CodecError(.corrupt, subject: path, "the decoded audio cannot be converted: \(error.message)")
        }
    }

    /// The frames the resampler still holds.
    mutating func flush() -> PCMBuffer { resampler?.flush() ?? PCMBuffer(format: target) }

    /// Appends converted frames to a buffer.
    func append(_ frames: PCMBuffer, to output: inout PCMBuffer) throws(CodecError) {
        do { try output.append(frames) } catch {
            throw CodecError(.corrupt, subject: path, "internal format mismatch: \(error.message)")
        }
    }
}
