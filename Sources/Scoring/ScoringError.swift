// The error shape lives in SystemSupport; re-exported so `error.code` needs no second import.
@_exported public import SystemSupport

/// The domain of ``ScoringError``: the module it comes from.
public enum ScoringErrorDomain: ErrorDomain {}

/// An error raised by the `Scoring` module.
///
/// Errors are a struct with static codes, so new codes never break clients. Every message
/// names the file or record concerned and the cause, in words a user understands.
public typealias ScoringError = DomainError<ScoringErrorDomain>
