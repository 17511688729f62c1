// The error shape lives in SystemSupport; re-exported so `error.code` needs no second import.
@_exported public import SystemSupport

/// The domain of ``PipelineError``: the module it comes from.
public enum PipelineErrorDomain: ErrorDomain {}

/// An error raised by the `SpeechPrep` umbrella module: the pipeline, jobs and shard merging.
///
/// Errors are a struct with static codes, so new codes never break clients. Every message
/// names the file, record or job concerned and the cause, in words a user understands.
public typealias PipelineError = DomainError<PipelineErrorDomain>

extension PipelineError.Code {
    /// The input (manifest, release folder or audio folder) could not be read.
    public static var invalidInput: Self { Self("invalidInput") }
    /// A setting is out of range or settings contradict each other.
    public static var invalidConfiguration: Self { Self("invalidConfiguration") }
    /// The output folder holds a journal made with a different configuration.
    public static var configurationMismatch: Self { Self("configurationMismatch") }
    /// An output file could not be written.
    public static var outputFailed: Self { Self("outputFailed") }
    /// The recogniser could not be started.
    public static var engineUnavailable: Self { Self("engineUnavailable") }
    /// An item failed and the run was strict.
    public static var itemFailed: Self { Self("itemFailed") }
    /// Shard outputs are missing, duplicated or inconsistent.
    public static var shardsIncomplete: Self { Self("shardsIncomplete") }
    /// A background job could not be started, found or signalled.
    public static var jobFailed: Self { Self("jobFailed") }
}

extension PipelineError {
    /// Wraps an error of another SpeechPrep module, keeping it whole as the
    /// `cause` (so callers can still switch on its code, and its `errno`) and its
    /// text as the message.
    static func wrapping(_ code: Code, _ error: some Error, subject: String? = nil) -> PipelineError {
        PipelineError(code, subject: subject, String(describing: error), cause: error)
    }
}
