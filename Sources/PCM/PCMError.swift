/// An error raised by the PCM and DSP layer.
///
/// Errors are a struct with static codes, so new codes never break clients that switch on
/// ``Code`` with a `default` case.
public struct PCMError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: Hashable, Sendable {
        /// A sample rate that is zero, negative, not finite, or outside the supported range.
        case invalidSampleRate
        /// A channel count of zero or more than ``AudioFormat/maximumChannelCount``.
        case invalidChannelCount
        /// Two buffers or a buffer and a processor disagree on their format.
        case formatMismatch
        /// A sample count that is not a whole number of frames, or a byte count that is not a
        /// whole number of samples.
        case invalidLength
        /// A buffer holds NaN or infinite samples where the operation forbids them.
        case nonFiniteSample
        /// An argument outside its documented range (for example a channel index).
        case invalidArgument
    }

    /// What went wrong.
    public var code: Code
    /// A sentence that says what was wrong, in words a user understands.
    public var message: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - message: A sentence naming the offending value.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
