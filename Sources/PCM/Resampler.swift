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
/// - Non-finite input (NaN, ±infinity) is rejected with `PCMError.Code.nonFiniteSample`
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
    private var chains: [ResamplerChain]
    /// One channel's input and each channel's output, for more than one channel.
    private var channelInput = SampleQueue()
    private var channelOutputs: [SampleQueue]
    private var inputFrames = 0
    private let passthrough: Bool

    /// Creates a resampler.
    /// - Parameters:
    ///   - inputRate: The input's sample rate in hertz, within ``supportedRates``.
    ///   - outputRate: The wanted sample rate in hertz, within ``supportedRates``.
    ///   - channelCount: Channels per frame (1 to ``AudioFormat/maximumChannelCount``).
    ///   - quality: The filter preset; ``Quality/high`` by default.
    /// - Throws: ``PCMError`` with `PCMError.Code.invalidSampleRate` or
    ///   `PCMError.Code.invalidChannelCount`.
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
        var lowPass: FFTLowPassStage?
        // When falling by 1.2× or more, the sharp filter runs by FFT at the higher rate and
        // the polyphase stage only has to reject images beyond `rate − band`, with few taps.
        // veryHigh keeps the direct form: Float32 FFT round-off would cap it near 135 dB.
        if quality != .veryHigh, rate >= 1.2 * outputRate {
            let stage = FFTLowPassStage(
                cutoff: cutoff, transition: transition, attenuationDB: quality.stopbandAttenuationDB,
                inputStart: start)
            start = stage.outputStart
            lowPass = stage
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
            final = PolyphaseStage(
                up: finalUp, down: finalDown, cutoff: cutoff, transition: transition,
                attenuationDB: quality.stopbandAttenuationDB, inputStart: start)
        }
        chains = Array(
            repeating: ResamplerChain(halfBands: halfBand, lowPass: lowPass, final: final), count: channelCount)
        channelOutputs = Array(repeating: SampleQueue(), count: channelCount)
    }

    /// Resamples one chunk.
    /// - Parameter input: Frames in ``inputFormat``, of any length.
    /// - Returns: The output frames that are ready (the filters hold back a few
    ///   milliseconds of look-ahead until more input or ``flush()`` arrives).
    /// - Throws: `PCMError.Code.formatMismatch` when `input` has another format;
    ///   `PCMError.Code.nonFiniteSample` when it holds NaN or infinity (nothing is consumed).
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

    private mutating func run(_ input: PCMBuffer, flushing: Bool) -> PCMBuffer {
        let channels = inputFormat.channelCount
        let total = outputFrameCount(forInputFrames: inputFrames)
        // The final stage never gets ahead of the input, so this bounds the outputs.
        let capacity = max(0, total - chains[0].outputIndex + (flushing ? 0 : 1))
        if channels == 1 {
            // At least one element, so that there is an address even when nothing comes out.
            let samples = [Float](unsafeUninitializedCapacity: max(1, capacity)) { buffer, count in
                count = input.withUnsafeSamples {
                    runChannel(0, $0, total: total, flushing: flushing, into: buffer.baseAddress!, capacity: capacity)
                }
            }
            return PCMBuffer(uncheckedFormat: outputFormat, samples: samples)
        }
        var one = SampleQueue()
        var outputs: [SampleQueue] = []
        swap(&one, &channelInput)
        swap(&outputs, &channelOutputs)
        for c in 0..<channels {
            one.removeAll()
            one.append(upTo: input.frameCount) { target in
                input.withUnsafeSamples { all in
                    for f in 0..<input.frameCount { target[f] = all[f * channels + c] }
                }
                return input.frameCount
            }
            outputs[c].removeAll()
            one.withSamples { samples in
                _ = outputs[c].append(upTo: max(1, capacity)) { target in
                    runChannel(c, samples, total: total, flushing: flushing, into: target, capacity: capacity)
                }
            }
        }
        let frames = outputs[0].count
        let interleaved = [Float](unsafeUninitializedCapacity: frames * channels) { target, count in
            for c in 0..<channels {
                outputs[c].withSamples { source in
                    for f in 0..<frames { target[f * channels + c] = source[f] }
                }
            }
            count = frames * channels
        }
        swap(&one, &channelInput)
        swap(&outputs, &channelOutputs)
        return PCMBuffer(uncheckedFormat: outputFormat, samples: interleaved)
    }

    /// Runs one channel's samples through its chain into `output`.
    /// - Returns: The number of output frames written.
    private mutating func runChannel(
        _ c: Int, _ input: UnsafeBufferPointer<Float>, total: Int, flushing: Bool,
        into output: UnsafeMutablePointer<Float>, capacity: Int
    ) -> Int {
        if flushing { return chains[c].flush(outputLimit: total, into: output, capacity: capacity) }
        return chains[c].process(input, into: output, capacity: capacity)
    }
}
