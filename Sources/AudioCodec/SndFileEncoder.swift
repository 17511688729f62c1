public import PCM

/// The file types ``SndFileEncoder`` writes.
public enum AudioFileType: String, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// WAV, 16-bit signed integer (the default for speech datasets).
    case wav16
    /// WAV, 24-bit signed integer.
    case wav24
    /// WAV, 32-bit IEEE float.
    case wav32Float
    /// FLAC, 16-bit.
    case flac16
    /// FLAC, 24-bit.
    case flac24

    /// Whether the container is WAV (written as RF64 only when the data passes 4 GiB).
    public var isWAV: Bool { self == .wav16 || self == .wav24 || self == .wav32Float }

    /// Bits per sample.
    public var bitDepth: Int {
        switch self {
        case .wav16, .flac16: 16
        case .wav24, .flac24: 24
        case .wav32Float: 32
        }
    }

    /// The usual file name extension, without the dot.
    public var fileExtension: String { isWAV ? "wav" : "flac" }

    public var description: String { rawValue }
}

/// Writes WAV or FLAC files, atomically: FLAC through libsndfile, WAV directly.
///
/// Frames go to a hidden temporary file in the target folder; ``finish()`` completes the
/// header, `fsync`s the file, renames it over `path` and `fsync`s the folder. WAV output has
/// the canonical 44-byte header (`RIFF`, a 16-byte `fmt ` chunk with format tag 1 for
/// integers or 3 for float, `data` at byte 36, no other chunks), which every common reader
/// accepts — Python's `wave`, Kaldi, pocketsphinx, sox, ffmpeg and libsndfile. When the data
/// passes 4 GiB the file becomes RF64 instead of breaking. Floats are rounded to the target bit depth
/// (ties to even) and clipped to its range (no dither), so decoding an integer file and encoding it again
/// at the same depth reproduces it exactly.
public final class SndFileEncoder: AudioEncoder {
    public let format: AudioFormat
    public let path: String
    /// The file type being written.
    public let fileType: AudioFileType
    private let output: AtomicOutput
    /// Whether ``finish()`` forces the file to disk.
    public let durability: OutputDurability
    private var sink: Sink?
    private var integers: [Int32] = []
    /// Samples written so far that were outside the integer range and were clipped (always 0
    /// for float output).
    public private(set) var clippedSampleCount = 0

    /// Starts a file.
    /// - Parameters:
    ///   - path: Where the finished file goes; an existing file there is replaced at ``finish()``.
    ///   - format: The rate and channel count of the frames to be written.
    ///   - fileType: The container and sample encoding.
    ///   - durability: Whether ``finish()`` forces the file to disk (see `OutputDurability`).
    /// - Throws: ``CodecError`` with `notFound` or `permissionDenied` for the folder,
    ///   `unsupportedCodec` when the format does not fit the file type (FLAC: at most 8
    ///   channels and 655,350 Hz).
    public init(
        path: String, format: AudioFormat, fileType: AudioFileType = .wav16, durability: OutputDurability = .synced
    ) throws(CodecError) {
        guard format.sampleRate.rounded() == format.sampleRate else {
            throw CodecError(
                .unsupportedCodec, subject: path, "\(fileType) files need a whole-number sample rate, not \(format.sampleRate) Hz")
        }
        self.path = path
        self.format = format
        self.fileType = fileType
        self.durability = durability
        output = try AtomicOutput.creating(path)
        let (rate, channels) = (Int(format.sampleRate), format.channelCount)
        sink = fileType.isWAV
            ? .wav(try WAVWriter(descriptor: output.descriptor, path: path, type: fileType, sampleRate: rate, channelCount: channels))
            : .sndfile(try SndFileHandle(writing: output.descriptor, path: path, type: fileType, sampleRate: rate, channelCount: channels))
    }

    /// Where the frames go: the WAV writer or a libsndfile handle (FLAC).
    private enum Sink {
        case wav(WAVWriter)
        case sndfile(SndFileHandle)

        func writeFloats(_ samples: UnsafeBufferPointer<Float>) throws(CodecError) {
            switch self {
            case .wav(let writer): try writer.writeFloats(samples)
            case .sndfile(let handle): try handle.writeFloats(samples)
            }
        }

        func writeIntegers(_ samples: UnsafeBufferPointer<Int32>) throws(CodecError) {
            switch self {
            case .wav(let writer): try writer.writeIntegers(samples)
            case .sndfile(let handle): try handle.writeIntegers(samples)
            }
        }
    }

    public func write(_ buffer: PCMBuffer) throws(CodecError) {
        guard let sink else { throw CodecError(.closed, subject: path, "the encoder was already finished") }
        guard buffer.format == format else {
            throw CodecError(.invalidArgument, subject: path, "cannot write \(buffer.format) frames to a \(format) file")
        }
        if fileType == .wav32Float {
            try buffer.withUnsafeSamples { (samples) throws(CodecError) in try sink.writeFloats(samples) }
            return
        }
        // Convert into a local array (no per-sample exclusivity checks on a class property).
        var converted = integers
        integers = []
        let clipped = buffer.withUnsafeSamples { samples in
            Self.convert(samples, bits: fileType.bitDepth, into: &converted)
        }
        integers = converted
        clippedSampleCount += clipped
        try integers.withUnsafeBufferPointer { (samples) throws(CodecError) in try sink.writeIntegers(samples) }
    }

    public func finish() throws(CodecError) {
        guard let sink else { throw CodecError(.closed, subject: path, "the encoder was already finished") }
        self.sink = nil
        switch sink {
        case .wav(let writer):
            try writer.finish()
        case .sndfile(let handle):
            let status = handle.close()
            guard status == 0 else {
                throw CodecError(.writeFailed, subject: path, "could not complete the file header (libsndfile error \(status))")
            }
        }
        try output.commitOutput(durability)
    }

    /// Rounds floats to `bits`-bit integers, clips them, and shifts them to the top of an
    /// Int32, which is how libsndfile takes integers for any depth.
    /// - Returns: How many samples were clipped.
    @inline(__always)
    static func convert(_ samples: UnsafeBufferPointer<Float>, bits: Int, into output: inout [Int32]) -> Int {
        let scale = Float(1 << (bits - 1))
        let limit = scale - 1
        let shift = Int32(32 - bits)
        let count = samples.count
        if output.count < count { output = [Int32](repeating: 0, count: count) }
        var clipped = 0
        output.withUnsafeMutableBufferPointer { target in
            var i = 0
            if bits <= 16 {
                // Eight at a time. Adding 1.5 × 2²³ rounds to the nearest integer, ties to
                // even, for |x| < 2²² (every in-range 16-bit value) — the same result as
                // `rounded(.toNearestOrEven)`, which baseline x86-64 has no instruction for —
                // and leaves that integer in the low bits of the float's bit pattern, so no
                // float-to-integer conversion is needed. Out-of-range and NaN lanes fail the
                // range test.
                let magic = SIMD8<Float>(repeating: 12_582_912)
                let magicBits = SIMD8<Int32>(repeating: 0x4B40_0000)
                let high = SIMD8<Float>(repeating: limit), low = SIMD8<Float>(repeating: -scale)
                var clippedLanes = SIMD8<Int32>()
                let source = UnsafeRawPointer(samples.baseAddress!)
                let destination = UnsafeMutableRawPointer(target.baseAddress!)
                while i + 8 <= count {
                    var shifted = source.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self) * scale + magic
                    var rounded = shifted - magic
                    let inRange = (rounded .<= high) .& (rounded .>= low)
                    if !all(inRange) {
                        clippedLanes &+= SIMD8<Int32>(repeating: 1).replacing(with: 0, where: inRange)
                        rounded.replace(with: high, where: rounded .> high)
                        rounded.replace(with: low, where: rounded .< low)
                        rounded.replace(with: 0, where: rounded .!= rounded)
                        shifted = rounded + magic
                    }
                    let integers = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- magicBits
                    destination.storeBytes(of: integers &<< shift, toByteOffset: 4 * i, as: SIMD8<Int32>.self)
                    i += 8
                }
                clipped = Int(clippedLanes.wrappedSum())
            }
            while i < count {
                // The remainder one by one; NaN fails both comparisons.
                var rounded = (samples[i] * scale).rounded(.toNearestOrEven)
                if !(rounded <= limit && rounded >= -scale) {
                    clipped += 1
                    rounded = rounded.isNaN ? 0 : (rounded > 0 ? limit : -scale)
                }
                target[i] = Int32(rounded) << shift
                i += 1
            }
        }
        if output.count > count { output.removeLast(output.count - count) }
        return clipped
    }
}
