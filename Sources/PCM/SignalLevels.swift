internal import RealModule

/// Level measurements over every sample of a buffer (all channels together).
///
/// dBFS figures are relative to a full-scale sample (1.0): a full-scale sine reads 0 dBFS
/// peak and −3.01 dBFS RMS (no AES17 +3 dB correction). Silence reads `-infinity`.
public struct SignalLevels: Sendable, Hashable {
    /// The largest absolute sample value.
    public var peak: Double
    /// The root mean square of the samples.
    public var rms: Double
    /// The mean of the samples (DC offset).
    public var dcOffset: Double
    /// Samples at or beyond full scale (|x| ≥ 1), which would clip as integers, and
    /// non-finite samples.
    public var clippedCount: Int
    /// Samples that are NaN or infinite (excluded from peak, RMS and DC).
    public var nonFiniteCount: Int

    /// ``peak`` in dB relative to full scale.
    public var peakDBFS: Double { 20 * Double.log10(peak) }
    /// ``rms`` in dB relative to full scale.
    public var rmsDBFS: Double { 20 * Double.log10(rms) }

    /// Measures a buffer, accumulating in Double precision.
    /// - Parameter buffer: The samples to measure.
    @_optimize(speed)
    public init(of buffer: PCMBuffer) {
        var peak: Float = 0
        var sumSquares = 0.0
        var sum = 0.0
        var clipped = 0
        var nonFinite = 0
        buffer.withUnsafeSamples { samples in
            for x in samples {
                guard x.isFinite else {
                    nonFinite += 1
                    clipped += 1
                    continue
                }
                let magnitude = abs(x)
                peak = max(peak, magnitude)
                if magnitude >= 1 { clipped += 1 }
                sum += Double(x)
                sumSquares += Double(x) * Double(x)
            }
        }
        let count = Double(max(1, buffer.samples.count - nonFinite))
        self.peak = Double(peak)
        rms = (sumSquares / count).squareRoot()
        dcOffset = sum / count
        clippedCount = clipped
        nonFiniteCount = nonFinite
    }
}
