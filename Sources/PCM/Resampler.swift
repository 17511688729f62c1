/// A streaming sample-rate converter: polyphase Kaiser-windowed-sinc filtering, with
/// half-band decimation stages in front when the rate falls by more than about 2.2×, and —
/// when the rate falls by 1.2× or more — the sharp anti-aliasing filter run by FFT
/// overlap-save so that the polyphase stage can be short (presets other than
/// ``Quality/veryHigh``).
///
/// ```swift
/// var resampler = try Resampler(inputRate: 44_100, outputRate: 16_000, channelCount: 1)
/// var output = PCMBuffer(format: resampler.outputFormat)
/// for chunk in chunks { try output.append(resampler.process(chunk)) }
/// try output.append(resampler.flush())
/// ```
///
/// Guarantees:
/// - The ratio is exact for integral rates (reduced by their greatest common divisor) and
///   within 1e-12 otherwise.
/// - After ``flush()`` the stream holds exactly `round(inputFrames × outputRate / inputRate)`
///   frames, and output frame `n` is the band-limited input at time `n / outputRate` (the
///   filters' delay is compensated; the stream starts and ends as if padded with silence).
/// - The output does not depend on how the input was cut into chunks, to the bit.
/// - Non-finite input (NaN, ±infinity) is rejected with ``PCMError/Code/nonFiniteSample``
///   before any state changes, so the stream can continue with clean data.
///
/// After ``flush()`` the resampler is back at its initial state and can take a new stream.
/// Copies are independent (value semantics).
public struct Resampler: SampleProcessor, Sendable {
    /// A trade-off between speed and fidelity. Every preset keeps the output free of
    /// aliasing: any input above the lower Nyquist frequency is rejected by at least the
    /// preset's stopband attenuation.
    public enum Quality: String, Sendable, Hashable, CaseIterable, Codable {
        /// 70 dB stopband, flat to 80 % of the lower Nyquist frequency.
        case quick
        /// 95 dB stopband, flat to 87 % of the lower Nyquist frequency.
        case medium
        /// 120 dB stopband (like soxr "HQ"), flat within 0.01 dB to 90 % of the lower
        /// Nyquist frequency. The default.
        case high
        /// 150 dB stopband (limited in practice by Float32 arithmetic to about 140–145 dB),
        /// flat to 90 % of the lower Nyquist frequency.
        case veryHigh

        /// The stopband attenuation the filters are designed for, in decibels.
        public var stopbandAttenuationDB: Double {
            switch self {
            case .quick: 70
            case .medium: 95
            case .high: 120
            case .veryHigh: 150
            }
        }

        /// The end of the flat passband as a fraction of the lower of the two Nyquist
        /// frequencies.
        public var passbandEdge: Double {
            switch self {
            case .quick: 0.80
            case .medium: 0.87
            case .high, .veryHigh: 0.90
            }
        }
    }

    /// The sample rates the resampler accepts, in hertz (its quality is specified and
    /// tested for 8 kHz to 192 kHz).
    public static let supportedRates: ClosedRange<Double> = 1_000...384_000

    /// The input's rate and channel count.
    public let inputFormat: AudioFormat
    /// The output's rate and the same channel count.
    public let outputFormat: AudioFormat
    /// The preset the filters were designed for.
    public let quality: Quality
    /// The exact conversion ratio `outputRate / inputRate` as a reduced fraction.
    public let ratio: (numerator: Int, denominator: Int)

    /// Per channel: the decimate-by-2 stages, the sharp FFT low-pass (when used), then the
    /// final rational stage.
    private var halfBands: [[HalfBandDecimator]]
    private var lowPasses: [FFTLowPassStage]
    private var finals: [PolyphaseStage]
    private var scratch: [[Float]]
    private var channelOutput: [[Float]]
    private var inputFrames = 0
    private let passthrough: Bool

    /// Creates a resampler.
    /// - Parameters:
    ///   - inputRate: The input's sample rate in hertz, within ``supportedRates``.
    ///   - outputRate: The wanted sample rate in hertz, within ``supportedRates``.
    ///   - channelCount: Channels per frame (1 to ``AudioFormat/maximumChannelCount``).
    ///   - quality: The filter preset; ``Quality/high`` by default.
    /// - Throws: ``PCMError`` with ``PCMError/Code/invalidSampleRate`` or
    ///   ``PCMError/Code/invalidChannelCount``.
    public init(
        inputRate: Double, outputRate: Double, channelCount: Int, quality: Quality = .high
    ) throws(PCMError) {
        for rate in [inputRate, outputRate] where !(rate.isFinite && Self.supportedRates.contains(rate)) {
            throw PCMError(
                .invalidSampleRate, "the resampler cannot convert at \(rate) Hz (it supports 1 kHz to 384 kHz)")
        }
        inputFormat = try AudioFormat(sampleRate: inputRate, channelCount: channelCount)
        outputFormat = try AudioFormat(sampleRate: outputRate, channelCount: channelCount)
        self.quality = quality
        let (up, down) = RateRatio.reduced(outputRate: outputRate, inputRate: inputRate)
        ratio = (up, down)
        passthrough = up == down

        // Each stage's output starts where its filter first reaches real input (before time
        // 0 for the intermediate ones), and the next stage takes that as its first sample.
        var halfBand: [HalfBandDecimator] = []
        var rate = inputRate
        var start = 0
        while rate >= 2.2 * outputRate {
            let stage = HalfBandDecimator(
                transition: 0.5 - outputRate / rate, attenuationDB: quality.stopbandAttenuationDB,
                inputStart: start)
            halfBand.append(stage)
            start = stage.outputStart
            rate /= 2
        }
        let (finalUp, finalDown) = RateRatio.reduce(up << halfBand.count, down)
        let band = min(rate, outputRate) / 2
        let passEdge = quality.passbandEdge * band
        let cutoff = (passEdge + band) / 2 / rate, transition = (band - passEdge) / rate
        let final: PolyphaseStage
        // When falling by 1.2× or more, the sharp filter runs by FFT at the higher rate and
        // the polyphase stage only has to reject images beyond `rate − band`, with few taps.
        // veryHigh keeps the direct form: Float32 FFT round-off would cap it near 135 dB.
        if quality != .veryHigh, rate >= 1.2 * outputRate {
            let lowPass = FFTLowPassStage(
                cutoff: cutoff, transition: transition, attenuationDB: quality.stopbandAttenuationDB,
                inputStart: start)
            start = lowPass.outputStart
            lowPasses = Array(repeating: lowPass, count: channelCount)
            // Flat to the pass edge; full rejection from `rate − fftCutoff`, the image of the
            // FFT filter's −6 dB point. Images closer in come from the FFT filter's
            // transition band, already attenuated by it, so the sum stays above the preset.
            let fftCutoff = cutoff * rate
            let stopEdge = rate - fftCutoff
            final = PolyphaseStage(
                up: finalUp, down: finalDown, cutoff: (passEdge + stopEdge) / 2 / rate,
                transition: (stopEdge - passEdge) / rate, attenuationDB: quality.stopbandAttenuationDB,
                inputStart: start)
        } else {
            lowPasses = []
            final = PolyphaseStage(
                up: finalUp, down: finalDown, cutoff: cutoff, transition: transition,
                attenuationDB: quality.stopbandAttenuationDB, inputStart: start)
        }
        halfBands = Array(repeating: halfBand, count: channelCount)
        finals = Array(repeating: final, count: channelCount)
        scratch = [[], [], []]
        channelOutput = Array(repeating: [], count: channelCount)
    }

    /// Resamples one chunk.
    /// - Parameter input: Frames in ``inputFormat``, of any length.
    /// - Returns: The output frames that are ready (the filters hold back a few
    ///   milliseconds of look-ahead until more input or ``flush()`` arrives).
    /// - Throws: ``PCMError/Code/formatMismatch`` when `input` has another format;
    ///   ``PCMError/Code/nonFiniteSample`` when it holds NaN or infinity (nothing is consumed).
    public mutating func process(_ input: PCMBuffer) throws(PCMError) -> PCMBuffer {
        guard input.format == inputFormat else {
            throw PCMError(.formatMismatch, "the resampler takes \(inputFormat) frames, not \(input.format)")
        }
        guard input.withUnsafeSamples(allFinite) else {
            throw PCMError(.nonFiniteSample, "the resampler's input holds NaN or infinite samples")
        }
        if passthrough { return input.relabelled(as: outputFormat) }
        inputFrames += input.frameCount
        return run(input, flushing: false)
    }

    /// Ends the stream and returns the last frames, then resets for a new stream.
    /// - Returns: The remaining frames; with everything returned before, exactly
    ///   `round(inputFrames × outputRate / inputRate)` frames in total.
    public mutating func flush() -> PCMBuffer {
        if passthrough { return PCMBuffer(format: outputFormat) }
        let output = run(PCMBuffer(format: inputFormat), flushing: true)
        for c in 0..<finals.count {
            for s in 0..<halfBands[c].count { halfBands[c][s].reset() }
            if !lowPasses.isEmpty { lowPasses[c].reset() }
            finals[c].reset()
        }
        inputFrames = 0
        return output
    }

    /// The output frames an input of `frames` frames turns into, after ``flush()``.
    /// - Parameter frames: An input frame count.
    /// - Returns: `round(frames × outputRate / inputRate)`, computed exactly.
    public func outputFrameCount(forInputFrames frames: Int) -> Int {
        RateRatio.roundedScale(frames, by: ratio.numerator, over: ratio.denominator)
    }

    // MARK: - Driving the stages

    @_optimize(speed)
    private mutating func run(_ input: PCMBuffer, flushing: Bool) -> PCMBuffer {
        let channels = inputFormat.channelCount
        let limit = flushing ? outputFrameCount(forInputFrames: inputFrames) : nil
        let expected = outputFrameCount(forInputFrames: input.frameCount) + 16
        if channels == 1 {
            var out: [Float] = []
            out.reserveCapacity(expected)
            input.withUnsafeSamples { runChannel(0, $0, limit: limit, flushing: flushing, into: &out) }
            return PCMBuffer(uncheckedFormat: outputFormat, samples: out)
        }
        var deinterleaved: [Float] = []
        swap(&deinterleaved, &scratch[2])
        for c in 0..<channels {
            deinterleaved.removeAll(keepingCapacity: true)
            deinterleaved.append(contentsOf: repeatElement(0, count: input.frameCount))
            input.withUnsafeSamples { all in
                deinterleaved.withUnsafeMutableBufferPointer { one in
                    for f in 0..<one.count { one[f] = all[f * channels + c] }
                }
            }
            var out: [Float] = []
            swap(&out, &channelOutput[c])
            out.removeAll(keepingCapacity: true)
            deinterleaved.withUnsafeBufferPointer { runChannel(c, $0, limit: limit, flushing: flushing, into: &out) }
            swap(&out, &channelOutput[c])
        }
        swap(&deinterleaved, &scratch[2])
        let frames = channelOutput[0].count
        var interleaved = [Float](repeating: 0, count: frames * channels)
        interleaved.withUnsafeMutableBufferPointer { target in
            for c in 0..<channels {
                channelOutput[c].withUnsafeBufferPointer { source in
                    for f in 0..<frames { target[f * channels + c] = source[f] }
                }
            }
        }
        return PCMBuffer(uncheckedFormat: outputFormat, samples: interleaved)
    }

    /// Runs one channel's samples through its chain of stages, ping-ponging between two
    /// scratch arrays that keep their capacity from call to call.
    private mutating func runChannel(
        _ c: Int, _ input: UnsafeBufferPointer<Float>, limit: Int?, flushing: Bool, into out: inout [Float]
    ) {
        var samples: [Float] = []
        var next: [Float] = []
        swap(&samples, &scratch[0])
        swap(&next, &scratch[1])
        var fromInput = true
        for stage in halfBands[c].indices {
            next.removeAll(keepingCapacity: true)
            if fromInput {
                halfBands[c][stage].process(input, into: &next)
            } else {
                samples.withUnsafeBufferPointer { halfBands[c][stage].process($0, into: &next) }
            }
            if flushing { halfBands[c][stage].flush(into: &next) }
            swap(&samples, &next)
            fromInput = false
        }
        if !lowPasses.isEmpty {
            next.removeAll(keepingCapacity: true)
            if fromInput {
                lowPasses[c].process(input, into: &next)
            } else {
                samples.withUnsafeBufferPointer { lowPasses[c].process($0, into: &next) }
            }
            if flushing { lowPasses[c].flush(into: &next) }
            swap(&samples, &next)
            fromInput = false
        }
        if fromInput {
            finals[c].process(input, outputLimit: limit ?? .max, into: &out)
        } else {
            samples.withUnsafeBufferPointer { finals[c].process($0, outputLimit: limit ?? .max, into: &out) }
        }
        if flushing { finals[c].flush(outputLimit: limit, into: &out) }
        swap(&samples, &scratch[0])
        swap(&next, &scratch[1])
    }
}
