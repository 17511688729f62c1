/// An error raised by the PCM and DSP layer.
///
/// Errors are a struct with static codes, so new codes never break clients. Match a code with
/// `==` or in a `switch` with a `default` case.
public struct PCMError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, as an open set of named codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code's name, for example `"invalidSampleRate"`.
        public let name: String

        /// Creates a code.
        /// - Parameter name: A short camel-case name.
        public init(_ name: String) { self.name = name }

        /// The code's name.
        public var description: String { name }
    }

    /// What went wrong.
    public var code: Code
    /// The file, stream or record the error concerns, when known.
    public var subject: String?
    /// A sentence that says what was wrong, in words a user understands.
    public var message: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - message: A sentence naming the offending value.
    ///   - subject: The file, stream or record concerned, if known.
    public init(_ code: Code, _ message: String, subject: String? = nil) {
        self.code = code
        self.message = message
        self.subject = subject
    }

    /// The error with a subject attached (for callers that know which file was being processed).
    /// - Parameter subject: The file, stream or record concerned.
    /// - Returns: A copy of the error naming `subject`.
    public func about(_ subject: String) -> PCMError {
        var copy = self
        copy.subject = subject
        return copy
    }

    /// `"subject: message"`, or just the message when there is no subject.
    public var description: String {
        if let subject { return "\(subject): \(message)" }
        return message
    }
}

extension PCMError.Code {
    /// A sample rate that is zero, negative, not finite, or outside the supported range.
    public static let invalidSampleRate = Self("invalidSampleRate")
    /// A channel count of zero or more than ``AudioFormat/maximumChannelCount``.
    public static let invalidChannelCount = Self("invalidChannelCount")
    /// Two buffers or a buffer and a processor disagree on their format.
    public static let formatMismatch = Self("formatMismatch")
    /// A sample count that is not a whole number of frames, or a byte count that is not a
    /// whole number of samples.
    public static let invalidLength = Self("invalidLength")
    /// A buffer holds NaN or infinite samples where the operation forbids them.
    public static let nonFiniteSample = Self("nonFiniteSample")
    /// An argument outside its documented range (for example a channel index).
    public static let invalidArgument = Self("invalidArgument")
}
