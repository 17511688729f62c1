/// An error raised while starting, talking to or waiting for a ``ChildProcess``.
///
/// Errors are a struct with static codes, so new codes never break clients. The message
/// names the program and the cause.
public struct ChildProcessError: Error, Hashable, Sendable, CustomStringConvertible {
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
    /// The program concerned (the first argv element).
    public var program: String
    /// A sentence that says what was wrong.
    public var message: String
    /// The `errno` behind the error, when a system call failed.
    public var errno: Int32?

    /// Creates an error.
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - program: The program concerned.
    ///   - message: The cause in plain words.
    ///   - errno: The failed system call's `errno`, if any.
    public init(_ code: Code, program: String, _ message: String, errno: Int32? = nil) {
        self.code = code
        self.program = program
        self.message = message
        self.errno = errno
    }

    /// `"program: message"`.
    public var description: String { "\(program): \(message)" }
}

extension ChildProcessError.Code {
    /// The program is not installed, not on `PATH`, or not executable.
    public static let notFound = Self("notFound")
    /// `posix_spawn` or a pipe failed.
    public static let spawnFailed = Self("spawnFailed")
    /// The deadline passed before the child answered or exited.
    public static let timedOut = Self("timedOut")
    /// The surrounding task was cancelled while waiting for the child.
    public static let cancelled = Self("cancelled")
    /// The child closed its standard output (usually: it exited) before a whole line arrived,
    /// or closed its standard input before a request was written.
    public static let endOfOutput = Self("endOfOutput")
    /// The child wrote a line longer than the caller's bound.
    public static let lineTooLong = Self("lineTooLong")
    /// Reading from or writing to the child failed.
    public static let ioFailed = Self("ioFailed")
}
