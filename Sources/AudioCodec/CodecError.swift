// The error shape lives in SystemSupport; re-exported so `error.code` needs no second import.
@_exported public import SystemSupport

/// The domain of ``CodecError``: the module it comes from.
public enum CodecErrorDomain: ErrorDomain {}

/// An error raised by the `AudioCodec` module.
///
/// Errors are a struct with static codes, so new codes never break clients. Every message
/// names the file concerned and the cause, in words a user understands; libsndfile,
/// libmpg123 and `errno` codes are translated into these at the boundary.
public typealias CodecError = DomainError<CodecErrorDomain>

extension CodecError.Code {
    /// The file does not exist.
    public static var notFound: Self { Self("notFound") }
    /// The file exists but this process may not read (or write) it.
    public static var permissionDenied: Self { Self("permissionDenied") }
    /// The path names a folder, not a file.
    public static var isDirectory: Self { Self("isDirectory") }
    /// The file's first bytes match no audio container SpeechPrep reads; the message shows them.
    public static var unrecognisedFormat: Self { Self("unrecognisedFormat") }
    /// The container is known but its codec or sample encoding is not supported.
    public static var unsupportedCodec: Self { Self("unsupportedCodec") }
    /// The header is inconsistent or impossible (for example zero channels or an absurd rate).
    public static var corrupt: Self { Self("corrupt") }
    /// The data ends early or breaks off; the message gives the frame position reached.
    public static var truncated: Self { Self("truncated") }
    /// Reading from the file failed at the operating-system level.
    public static var readFailed: Self { Self("readFailed") }
    /// Writing the output failed (for example the disk is full).
    public static var writeFailed: Self { Self("writeFailed") }
    /// The file needs `ffmpeg`, which is not installed.
    public static var ffmpegMissing: Self { Self("ffmpegMissing") }
    /// An argument is outside its documented range (for example a negative seek position).
    public static var invalidArgument: Self { Self("invalidArgument") }
    /// The decoder or encoder was used after ``AudioDecoder/close()`` or `finish()`.
    public static var closed: Self { Self("closed") }
}
