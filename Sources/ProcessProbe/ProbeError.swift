// The error shape lives in SystemSupport; re-exported so `error.code` needs no second import.
@_exported public import SystemSupport

/// The domain of ``ProbeError``: the module it comes from.
public enum ProbeErrorDomain: ErrorDomain {}

/// An error raised by the `ProcessProbe` module.
///
/// Errors are a struct with static codes, so new codes never break clients. Every message
/// names the file or record concerned and the cause, in words a user understands.
public typealias ProbeError = DomainError<ProbeErrorDomain>

extension ProbeError.Code {
    /// The process does not exist (it never did, or it has exited and been reaped).
    public static var noSuchProcess: Self { Self("noSuchProcess") }
    /// The caller may not read or signal the process.
    public static var permissionDenied: Self { Self("permissionDenied") }
    /// A `/proc` or `/sys` file could not be read.
    public static var unreadable: Self { Self("unreadable") }
    /// A `/proc` file did not have the layout the kernel documents.
    public static var malformed: Self { Self("malformed") }
    /// A process-name pattern is not a valid POSIX extended regular expression.
    public static var invalidPattern: Self { Self("invalidPattern") }
}
