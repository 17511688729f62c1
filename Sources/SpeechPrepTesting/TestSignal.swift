public import PCM
import Foundation

/// Deterministic test signals as `PCMBuffer`s: tones, noise, silence and speech-like
/// bursts. Random signals draw from a ``SeededRandom``, so the same seed gives the same samples.
public enum TestSignal {
    /// A sine tone, the same in every channel.
    /// - Parameters:
    ///   - frequency: Hertz.
    ///   - seconds: Length.
    ///   - format: Rate and channels; 16 kHz mono by default.
    ///   - amplitude: Peak level, 0…1.
    /// - Returns: `seconds × rate` frames (rounded down).
    public static func sine(
        frequency: Double, seconds: Double, format: AudioFormat = .speech16kMono, amplitude: Float = 0.5
    ) -> PCMBuffer {
        let step = 2 * Double.pi * frequency / format.sampleRate
        return make(seconds: seconds, format: format) { n, _ in amplitude * Float(sin(step * Double(n))) }
    }

    /// White noise, uniform in ±`amplitude`, independent in each channel.
    /// - Parameters:
    ///   - seconds: Length.
    ///   - format: Rate and channels; 16 kHz mono by default.
    ///   - amplitude: Peak level, 0…1.
    ///   - seed: The random seed.
    /// - Returns: The noise.
    public static func noise(seconds: Double, format: AudioFormat = .speech16kMono, amplitude: Float = 0.1, seed: UInt64 = 1) -> PCMBuffer {
        var random = SeededRandom(seed: seed)
        return make(seconds: seconds, format: format) { _, _ in Float.random(in: -amplitude...amplitude, using: &random) }
    }

    /// Digital silence.
    /// - Parameters:
    ///   - seconds: Length.
    ///   - format: Rate and channels; 16 kHz mono by default.
    /// - Returns: Zeros.
    public static func silence(seconds: Double, format: AudioFormat = .speech16kMono) -> PCMBuffer {
        make(seconds: seconds, format: format) { _, _ in 0 }
    }

    /// Speech-like bursts separated by near-silence: each burst is a harmonic tone (a random
    /// pitch of 100–250 Hz with 8 harmonics falling 6 dB per octave) with a 4 Hz syllable
    /// envelope, between pauses of low noise — what segmenters and voice activity detectors
    /// must cut apart.
    /// - Parameters:
    ///   - seconds: Total length.
    ///   - format: Rate and channels; 16 kHz mono by default.
    ///   - burstSeconds: The range burst lengths are drawn from.
    ///   - pauseSeconds: The range pause lengths are drawn from.
    ///   - seed: The random seed.
    /// - Returns: The signal, and where each burst lies (in seconds).
    public static func speechLikeBursts(
        seconds: Double, format: AudioFormat = .speech16kMono, burstSeconds: ClosedRange<Double> = 0.4...1.2,
        pauseSeconds: ClosedRange<Double> = 0.3...0.7, seed: UInt64 = 1
    ) -> (buffer: PCMBuffer, bursts: [Range<Double>]) {
        var random = SeededRandom(seed: seed)
        let rate = format.sampleRate
        var bursts: [(range: Range<Double>, pitch: Double)] = []
        var time = Double.random(in: pauseSeconds, using: &random)
        while true {
            let length = Double.random(in: burstSeconds, using: &random)
            guard time + length <= seconds else { break }
            bursts.append((time..<time + length, Double.random(in: 100...250, using: &random)))
            time += length + Double.random(in: pauseSeconds, using: &random)
        }
        var burst = 0
        let buffer = make(seconds: seconds, format: format) { n, channel in
            let t = Double(n) / rate
            while burst < bursts.count, bursts[burst].range.upperBound <= t { burst += 1 }
            let floor = Float.random(in: -0.001...0.001, using: &random)
            guard burst < bursts.count, bursts[burst].range.contains(t) else { return floor }
            let (range, pitch) = bursts[burst]
            let local = t - range.lowerBound
            // Rises and falls at the edges (10 ms) and 4 times a second.
            let edge = min(1, local / 0.01, (range.upperBound - t) / 0.01)
            let envelope = edge * (0.6 + 0.4 * sin(2 * Double.pi * 4 * local))
            var value = 0.0
            for harmonic in 1...8 { value += sin(2 * Double.pi * pitch * Double(harmonic) * t) / Double(harmonic) }
            return floor + Float(0.2 * envelope * value)
        }
        return (buffer, bursts.map(\.range))
    }

    /// `seconds × rate` frames whose samples `sample(frame, channel)` gives.
    private static func make(seconds: Double, format: AudioFormat, _ sample: (Int, Int) -> Float) -> PCMBuffer {
        let frames = max(0, Int(seconds * format.sampleRate))
        var samples = [Float](repeating: 0, count: frames * format.channelCount)
        for frame in 0..<frames {
            for channel in 0..<format.channelCount { samples[frame * format.channelCount + channel] = sample(frame, channel) }
        }
        // The count is whole frames of `format`, so this cannot fail.
        return try! PCMBuffer(format: format, interleaved: samples)
    }
}
