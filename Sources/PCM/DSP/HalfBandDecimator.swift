/// One channel of a decimate-by-2 stage whose low-pass is a half-band filter (cutoff at a
/// quarter of the input rate, so every other tap is zero).
///
/// It keeps the band the final stage needs and rejects, by the design attenuation, every
/// component that would fold into it; what it lets through above the final Nyquist
/// frequency, the final stage removes.
struct HalfBandDecimator {
    private var stage: PolyphaseStage

    /// Designs a stage.
    /// - Parameters:
    ///   - transition: The transition band's width in cycles per input sample, centred on 0.25.
    ///   - attenuationDB: The stopband rejection to design for.
    init(transition: Double, attenuationDB: Double) {
        stage = PolyphaseStage(up: 1, down: 2, cutoff: 0.25, transition: transition, attenuationDB: attenuationDB)
    }

    mutating func reset() { stage.reset() }

    mutating func process(_ input: UnsafeBufferPointer<Float>, into output: inout [Float]) {
        stage.process(input, into: &output)
    }

    mutating func flush(into output: inout [Float]) {
        stage.flush(outputLimit: nil, into: &output)
    }
}
