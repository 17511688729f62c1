// The error shape lives in SystemSupport; re-exported so `error.code` needs no second import.
@_exported public import SystemSupport

/// The domain of ``ReportingError``: the module it comes from.
public enum ReportingErrorDomain: ErrorDomain {}

/// An error raised by the `Reporting` module.
///
/// Errors are a struct with static codes, so new codes never break clients. Every message
/// names the run folder or file concerned and the cause, in words a user understands.
public typealias ReportingError = DomainError<ReportingErrorDomain>

extension ReportingError.Code {
    /// A run folder or one of its files cannot be read or is not what a run writes.
    public static var invalidRun: Self { Self("invalidRun") }
    /// An option is out of range or names something unknown.
    public static var invalidOption: Self { Self("invalidOption") }
    /// The report cannot be written.
    public static var outputFailed: Self { Self("outputFailed") }
}
