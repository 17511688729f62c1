/// An error raised by the `Reporting` module.
///
/// Errors are a struct with static codes, so new codes never break clients. Every message
/// names the run folder or file concerned and the cause, in words a user understands.
public struct ReportingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// A short stable name for the code, for logs and JSON output.
        public let name: String
        /// Creates a code.
        /// - Parameter name: A short stable name.
        public init(_ name: String) { self.name = name }
        public var description: String { name }

        /// A run folder or one of its files cannot be read or is not what a run writes.
        public static let invalidRun = Self("invalidRun")
        /// An option is out of range or names something unknown.
        public static let invalidOption = Self("invalidOption")
        /// The report cannot be written.
        public static let outputFailed = Self("outputFailed")
    }

    /// What went wrong.
    public var code: Code
    /// The file, folder or option the error is about, when there is one.
    public var subject: String?
    /// A sentence that says what was wrong.
    public var message: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - subject: The file or option concerned.
    ///   - message: The cause in plain words.
    public init(_ code: Code, subject: String? = nil, _ message: String) {
        self.code = code
        self.subject = subject
        self.message = message
    }

    public var description: String {
        if let subject { return "\(subject): \(message)" }
        return message
    }
}
