/// An error raised by the `ProcessProbe` module.
///
/// Errors are a struct with static codes, so new codes never break clients. Every message
/// names the file or record concerned and the cause, in words a user understands.
public struct ProbeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// A short stable name for the code, for logs and JSON output.
        public let name: String
        /// Creates a code.
        /// - Parameter name: A short stable name.
        public init(_ name: String) { self.name = name }
        /// The code's name.
        public var description: String { name }
    }

    /// What went wrong.
    public var code: Code
    /// The file, record id or other subject the error is about, when there is one.
    public var subject: String?
    /// A sentence that says what was wrong.
    public var message: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - subject: The file or record concerned.
    ///   - message: The cause in plain words.
    public init(_ code: Code, subject: String? = nil, _ message: String) {
        self.code = code
        self.subject = subject
        self.message = message
    }

    /// "subject: message", or the message alone when there is no subject.
    public var description: String {
        if let subject { return "\(subject): \(message)" }
        return message
    }
}

extension ProbeError.Code {
    /// The process does not exist (it never did, or it has exited and been reaped).
    public static let noSuchProcess = Self("noSuchProcess")
    /// The caller may not read or signal the process.
    public static let permissionDenied = Self("permissionDenied")
    /// A `/proc` or `/sys` file could not be read.
    public static let unreadable = Self("unreadable")
    /// A `/proc` file did not have the layout the kernel documents.
    public static let malformed = Self("malformed")
    /// A process-name pattern is not a valid POSIX extended regular expression.
    public static let invalidPattern = Self("invalidPattern")
}
