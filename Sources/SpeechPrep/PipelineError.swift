/// An error raised by the `SpeechPrep` umbrella module: the pipeline, jobs and shard merging.
///
/// Errors are a struct with static codes, so new codes never break clients. Every message
/// names the file, record or job concerned and the cause, in words a user understands.
public struct PipelineError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// A short stable name for the code, for logs and JSON output.
        public let name: String
        /// Creates a code.
        /// - Parameter name: A short stable name.
        public init(_ name: String) { self.name = name }
        public var description: String { name }
    }

    /// What went wrong.
    public var code: Code
    /// The file, record id or job the error is about, when there is one.
    public var subject: String?
    /// A sentence that says what was wrong.
    public var message: String
    /// The error of another module this one wraps (a `CodecError`, `DatasetError`,
    /// `TranscriptionError`, …), kept with its own code so callers can still switch on it;
    /// `nil` when the pipeline itself found the problem. Not part of equality or hashing.
    public var cause: (any Error)?

    /// Creates an error.
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - subject: The file, record or job concerned.
    ///   - message: The cause in plain words.
    ///   - cause: The wrapped error of another module, if any.
    public init(_ code: Code, subject: String? = nil, _ message: String, cause: (any Error)? = nil) {
        self.code = code
        self.subject = subject
        self.message = message
        self.cause = cause
    }

    /// `subject: message`, with the subject said once even when the message (a wrapped
    /// error's text) already starts with it.
    public var description: String {
        guard let subject, !message.hasPrefix("\(subject):") else { return message }
        return "\(subject): \(message)"
    }

    /// Errors are equal when code, subject and message are; the ``cause`` is not compared.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.code == rhs.code && lhs.subject == rhs.subject && lhs.message == rhs.message
    }

    /// Hashes code, subject and message.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(subject)
        hasher.combine(message)
    }
}

extension PipelineError.Code {
    /// The input (manifest, release folder or audio folder) could not be read.
    public static let invalidInput = Self("invalidInput")
    /// A setting is out of range or settings contradict each other.
    public static let invalidConfiguration = Self("invalidConfiguration")
    /// The output folder holds a journal made with a different configuration.
    public static let configurationMismatch = Self("configurationMismatch")
    /// An output file could not be written.
    public static let outputFailed = Self("outputFailed")
    /// The recogniser could not be started.
    public static let engineUnavailable = Self("engineUnavailable")
    /// An item failed and the run was strict.
    public static let itemFailed = Self("itemFailed")
    /// Shard outputs are missing, duplicated or inconsistent.
    public static let shardsIncomplete = Self("shardsIncomplete")
    /// A background job could not be started, found or signalled.
    public static let jobFailed = Self("jobFailed")
}

extension PipelineError {
    /// Wraps an error of another SpeechPrep module, keeping it as the ``cause`` and its text
    /// as the message.
    static func wrapping(_ code: Code, _ error: some Error, subject: String? = nil) -> PipelineError {
        PipelineError(code, subject: subject, String(describing: error), cause: error)
    }
}
