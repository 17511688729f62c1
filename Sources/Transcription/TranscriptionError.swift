// The error shape lives in SystemSupport; re-exported so `error.code` needs no second import.
@_exported public import SystemSupport

/// The domain of ``TranscriptionError``: the module it comes from.
public enum TranscriptionErrorDomain: ErrorDomain {}

/// An error raised by the `Transcription` module.
///
/// Errors are a struct with static codes, so new codes never break clients. Every message
/// names the file or record concerned and the cause, in words a user understands.
public typealias TranscriptionError = DomainError<TranscriptionErrorDomain>

extension TranscriptionError.Code {
    /// A model file or folder (acoustic model, language model, dictionary) is missing; the
    /// message names the Debian package that provides it.
    public static var modelNotFound: Self { Self("modelNotFound") }
    /// The engine rejected its configuration (an unknown option or a value it cannot use).
    public static var invalidConfiguration: Self { Self("invalidConfiguration") }
    /// The engine failed while decoding a clip.
    public static var engineFailed: Self { Self("engineFailed") }
    /// The input audio cannot be turned into what the engine needs.
    public static var invalidAudio: Self { Self("invalidAudio") }
    /// An external recogniser could not be started (not installed, not executable).
    public static var launchFailed: Self { Self("launchFailed") }
    /// An external recogniser exited with a non-zero status or was killed by a signal.
    public static var commandFailed: Self { Self("commandFailed") }
    /// An external recogniser ran longer than its timeout and was killed.
    public static var timedOut: Self { Self("timedOut") }
    /// An external recogniser's output was not what was asked for (for example no JSON field).
    public static var invalidOutput: Self { Self("invalidOutput") }
    /// A temporary file for the clip could not be written.
    public static var temporaryFileFailed: Self { Self("temporaryFileFailed") }
    /// The surrounding task was cancelled; the clip was not transcribed.
    public static var cancelled: Self { Self("cancelled") }
}
