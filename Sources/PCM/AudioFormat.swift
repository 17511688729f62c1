/// The shape of a stream of PCM frames: how many frames per second and how many channels in
/// each frame.
///
/// A format is validated when it is made, so every `AudioFormat` in a program is usable.
public struct AudioFormat: Hashable, Sendable, CustomStringConvertible {
    /// The largest channel count SpeechPrep accepts.
    public static let maximumChannelCount = 64
    /// The supported range of sample rates in hertz.
    public static let supportedSampleRates: ClosedRange<Double> = 1...1_000_000

    /// Frames per second, in hertz.
    public let sampleRate: Double
    /// Samples in each frame.
    public let channelCount: Int

    /// Creates a format after checking it.
    /// - Parameters:
    ///   - sampleRate: Frames per second; must be finite and within ``supportedSampleRates``.
    ///   - channelCount: Samples per frame, from 1 to ``maximumChannelCount``.
    /// - Throws: ``PCMError`` with `PCMError.Code.invalidSampleRate` or
    ///   `PCMError.Code.invalidChannelCount`.
    public init(sampleRate: Double, channelCount: Int) throws(PCMError) {
        guard sampleRate.isFinite, Self.supportedSampleRates.contains(sampleRate) else {
            throw PCMError(.invalidSampleRate, "sample rate \(sampleRate) Hz is not supported (1 Hz to 1 MHz)")
        }
        guard (1...Self.maximumChannelCount).contains(channelCount) else {
            throw PCMError(
                .invalidChannelCount,
                "channel count \(channelCount) is not supported (1 to \(Self.maximumChannelCount))")
        }
        self.sampleRate = sampleRate
        self.channelCount = channelCount
    }

    /// 16 kHz mono, the format most speech recognisers expect.
    public static let speech16kMono = try! AudioFormat(sampleRate: 16_000, channelCount: 1)

    /// The duration in seconds of a number of frames in this format.
    /// - Parameter frames: A frame count.
    /// - Returns: `frames / sampleRate`.
    public func duration(ofFrames frames: Int) -> Double {
        Double(frames) / sampleRate
    }

    /// For example `"44100 Hz, 2 ch"`.
    public var description: String {
        let rate = sampleRate.rounded() == sampleRate ? String(Int(sampleRate)) : String(sampleRate)
        return "\(rate) Hz, \(channelCount) ch"
    }
}
