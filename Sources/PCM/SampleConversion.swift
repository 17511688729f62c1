/// Integer samples converted from a ``PCMBuffer``, with a count of what had to be clipped.
public struct SampleConversion<Sample: Sendable>: Sendable {
    /// The converted samples, interleaved like the source buffer. For packed 24-bit output
    /// these are bytes, three per sample, little-endian.
    public var samples: [Sample]
    /// How many samples were outside the integer range and were clipped to its ends
    /// (non-finite samples included).
    public var clippedCount: Int
    /// How many samples were NaN (written as 0) or infinite (clipped).
    public var nonFiniteCount: Int
}

/// Dither added before rounding to fewer bits.
public enum Dither: Sendable, Hashable {
    /// Plain rounding to nearest (ties to even).
    case none
    /// Triangular (TPDF) dither of ±1 least-significant bit, which makes the rounding error
    /// independent of the signal. With a `seed` the noise is the same on every run (for
    /// tests); without one it is seeded from the system's random source.
    case triangular(seed: UInt64? = nil)
}

/// The integer sample formats and their full-scale factor: integer = float × 2^(bits−1),
/// so −1.0 maps to the most negative integer and integers map back exactly.
enum IntegerScale {
    static let int16: Float = 32_768
    static let int24: Float = 8_388_608
    static let int32: Double = 2_147_483_648
}

/// SplitMix64: a tiny, fast, seedable generator so dithered output can be reproduced.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A triangular value in (−1, 1): the sum of two uniform values in [−0.5, 0.5).
    mutating func triangular() -> Double {
        let bits = next()
        let a = Double(bits >> 40) / Double(1 << 24)
        let b = Double(bits & 0xFF_FFFF) / Double(1 << 24)
        return a + b - 1
    }
}

extension PCMBuffer {
    // MARK: - From integers

    /// Creates a buffer from interleaved 16-bit samples (divided by 32768).
    /// - Parameters:
    ///   - int16: Interleaved samples; the count must be a multiple of the channel count.
    ///   - format: The format of the frames.
    /// - Throws: `PCMError.Code.invalidLength` when the samples are not whole frames.
    public init(int16: [Int16], format: AudioFormat) throws(PCMError) {
        try self.init(format: format, interleaved: int16.map { Float($0) / IntegerScale.int16 })
    }

    /// Creates a buffer from interleaved 32-bit samples (divided by 2^31).
    /// - Parameters:
    ///   - int32: Interleaved samples; the count must be a multiple of the channel count.
    ///   - format: The format of the frames.
    /// - Throws: `PCMError.Code.invalidLength` when the samples are not whole frames.
    public init(int32: [Int32], format: AudioFormat) throws(PCMError) {
        try self.init(format: format, interleaved: int32.map { Float(Double($0) / IntegerScale.int32) })
    }

    /// Creates a buffer from packed little-endian 24-bit samples (3 bytes each, divided by 2^23).
    /// - Parameters:
    ///   - bytes: Bytes; the count must be a multiple of 3 × the channel count.
    ///   - format: The format of the frames.
    /// - Throws: `PCMError.Code.invalidLength` when the bytes are not whole samples or frames.
    public init(int24Packed bytes: [UInt8], format: AudioFormat) throws(PCMError) {
        guard bytes.count % 3 == 0 else {
            throw PCMError(.invalidLength, "\(bytes.count) bytes are not a whole number of 3-byte samples")
        }
        var samples = [Float](repeating: 0, count: bytes.count / 3)
        for i in samples.indices {
            let raw = Int32(bytes[3 * i]) | Int32(bytes[3 * i + 1]) << 8 | Int32(bytes[3 * i + 2]) << 16
            samples[i] = Float((raw << 8) >> 8) / IntegerScale.int24
        }
        try self.init(format: format, interleaved: samples)
    }

    // MARK: - To integers

    /// Converts to 16-bit integers: scaled by 32768, optionally dithered, rounded to nearest,
    /// clipped to `Int16.min...Int16.max`.
    /// - Parameter dither: Dither to add before rounding; none by default.
    /// - Returns: The samples and how many were clipped.
    public func int16Samples(dither: Dither = .none) -> SampleConversion<Int16> {
        dither == .none
            ? rounded(Int16.self, scale: IntegerScale.int16, maximum: Float(Int16.max))
            : quantized(Int16.self, scale: Double(IntegerScale.int16), maximum: Double(Int16.max), dither: dither)
    }

    /// Converts to 32-bit integers: scaled by 2^31, optionally dithered, rounded to nearest,
    /// clipped to `Int32.min...Int32.max`.
    /// - Parameter dither: Dither to add before rounding; none by default.
    /// - Returns: The samples and how many were clipped.
    public func int32Samples(dither: Dither = .none) -> SampleConversion<Int32> {
        quantized(Int32.self, scale: IntegerScale.int32, maximum: Double(Int32.max), dither: dither)
    }

    /// Converts to packed little-endian 24-bit integers (3 bytes per sample): scaled by 2^23,
    /// optionally dithered, rounded to nearest, clipped to −8388608...8388607.
    /// - Parameter dither: Dither to add before rounding; none by default.
    /// - Returns: The bytes and how many samples were clipped.
    public func int24PackedSamples(dither: Dither = .none) -> SampleConversion<UInt8> {
        let converted = dither == .none
            ? rounded(Int32.self, scale: IntegerScale.int24, maximum: 8_388_607)
            : quantized(Int32.self, scale: Double(IntegerScale.int24), maximum: 8_388_607, dither: dither)
        var bytes = [UInt8](repeating: 0, count: converted.samples.count * 3)
        for (i, value) in converted.samples.enumerated() {
            let bits = UInt32(bitPattern: value)
            bytes[3 * i] = UInt8(truncatingIfNeeded: bits)
            bytes[3 * i + 1] = UInt8(truncatingIfNeeded: bits >> 8)
            bytes[3 * i + 2] = UInt8(truncatingIfNeeded: bits >> 16)
        }
        return SampleConversion(samples: bytes, clippedCount: converted.clippedCount, nonFiniteCount: converted.nonFiniteCount)
    }

    /// The undithered conversion for up to 24 bits, without library calls: the baseline
    /// x86-64 target has no rounding instruction, so rounding to nearest-even is done by
    /// adding and subtracting 1.5 × 2^52 in Double (exact for these magnitudes). Same results
    /// and NaN/infinity policy as the general path, several times faster.
    @_optimize(speed)
    private func rounded<Integer: FixedWidthInteger & Sendable>(
        _: Integer.Type, scale: Float, maximum: Float
    ) -> SampleConversion<Integer> {
        var values = [Integer](repeating: 0, count: samples.count)
        var clipped = 0
        var nonFinite = 0
        let top = Double(maximum), bottom = -Double(maximum) - 1
        let magic = 6_755_399_441_055_744.0
        samples.withUnsafeBufferPointer { source in
            values.withUnsafeMutableBufferPointer { target in
                for i in source.indices {
                    let scaled = Double(source[i]) * Double(scale)
                    var v: Double
                    // Ties at the ends: top + ½ rounds up (top is odd), bottom − ½ rounds to bottom.
                    if scaled >= top + 0.5 {
                        v = top
                        clipped += 1
                        if scaled.isInfinite { nonFinite += 1 }
                    } else if scaled < bottom - 0.5 {
                        v = bottom
                        clipped += 1
                        if scaled.isInfinite { nonFinite += 1 }
                    } else if scaled.isNaN {
                        v = 0
                        nonFinite += 1
                    } else {
                        v = (scaled + magic) - magic
                    }
                    target[i] = Integer(truncatingIfNeeded: Int32(v))  // concrete: the generic init is slow
                }
            }
        }
        return SampleConversion(samples: values, clippedCount: clipped, nonFiniteCount: nonFinite)
    }

    /// Scales, dithers, rounds (ties to even) and clips every sample to
    /// `-(maximum + 1)...maximum`. NaN becomes 0; ±infinity clips. Both count as non-finite,
    /// and infinity also as clipped.
    @_optimize(speed)
    private func quantized<Integer: FixedWidthInteger & Sendable>(
        _: Integer.Type, scale: Double, maximum: Double, dither: Dither
    ) -> SampleConversion<Integer> {
        var values = [Integer](repeating: 0, count: samples.count)
        var clipped = 0
        var nonFinite = 0
        var generator: SplitMix64?
        if case .triangular(let seed) = dither {
            generator = SplitMix64(seed: seed ?? UInt64.random(in: .min ... .max))
        }
        let minimum = -(maximum + 1)
        samples.withUnsafeBufferPointer { source in
            for i in source.indices {
                let sample = source[i]
                if sample.isNaN {
                    nonFinite += 1
                    continue
                }
                if sample.isInfinite { nonFinite += 1 }
                var scaled = Double(sample) * scale
                if generator != nil { scaled += generator!.triangular() }
                scaled.round(.toNearestOrEven)
                if scaled > maximum {
                    scaled = maximum
                    clipped += 1
                } else if scaled < minimum {
                    scaled = minimum
                    clipped += 1
                }
                values[i] = Integer(truncatingIfNeeded: Int64(scaled))
            }
        }
        return SampleConversion(samples: values, clippedCount: clipped, nonFiniteCount: nonFinite)
    }
}
