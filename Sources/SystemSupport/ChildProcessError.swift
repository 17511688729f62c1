import SystemPackage

/// The domain of ``ChildProcessError``: the module it comes from.
public enum ChildProcessErrorDomain: ErrorDomain {}

/// An error raised while starting, talking to or waiting for a ``ChildProcess``.
///
/// Errors are a ``DomainError`` with static codes, so new codes never break clients. The
/// subject is the program (the first argv element); the message names the cause, and a failed
/// system call's `Errno` is the cause.
public typealias ChildProcessError = DomainError<ChildProcessErrorDomain>

extension ChildProcessError {
    /// The program concerned (the first argv element).
    public var program: String { subject ?? "" }

    /// Creates an error about a program.
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - program: The program concerned.
    ///   - message: The cause in plain words.
    ///   - errno: The failed system call's `errno`, if any; it becomes the cause.
    init(_ code: Code, program: String, _ message: String, errno: Int32? = nil) {
        self.init(code, subject: program, message, cause: errno.map { Errno(rawValue: $0) })
    }
}

extension ChildProcessError.Code {
    /// The program is not installed, not on `PATH`, or not executable.
    public static var notFound: Self { Self("notFound") }
    /// `posix_spawn` or a pipe failed.
    public static var spawnFailed: Self { Self("spawnFailed") }
    /// The deadline passed before the child answered or exited.
    public static var timedOut: Self { Self("timedOut") }
    /// The surrounding task was cancelled while waiting for the child.
    public static var cancelled: Self { Self("cancelled") }
    /// The child closed its standard output (usually: it exited) before a whole line arrived,
    /// or closed its standard input before a request was written.
    public static var endOfOutput: Self { Self("endOfOutput") }
    /// The child wrote a line longer than the caller's bound.
    public static var lineTooLong: Self { Self("lineTooLong") }
    /// Reading from or writing to the child failed.
    public static var ioFailed: Self { Self("ioFailed") }
}
