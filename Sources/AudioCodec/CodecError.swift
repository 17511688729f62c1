/// An error raised by the `AudioCodec` module.
///
/// Errors are a struct with static codes, so new codes never break clients. Every message
/// names the file concerned and the cause, in words a user understands; libsndfile,
/// libmpg123 and `errno` codes are translated into these at the boundary.
public struct CodecError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// A short stable name for the code, for logs and JSON output.
        public let name: String
        /// Creates a code.
        /// - Parameter name: A short stable name.
        public init(_ name: String) { self.name = name }
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

    public var description: String {
        if let subject { return "\(subject): \(message)" }
        return message
    }
}

extension CodecError.Code {
    /// The file does not exist.
    public static let notFound = Self("notFound")
    /// The file exists but this process may not read (or write) it.
    public static let permissionDenied = Self("permissionDenied")
    /// The path names a folder, not a file.
    public static let isDirectory = Self("isDirectory")
    /// The file's first bytes match no audio container SpeechPrep reads; the message shows them.
    public static let unrecognisedFormat = Self("unrecognisedFormat")
    /// The container is known but its codec or sample encoding is not supported.
    public static let unsupportedCodec = Self("unsupportedCodec")
    /// The header is inconsistent or impossible (for example zero channels or an absurd rate).
    public static let corrupt = Self("corrupt")
    /// The data ends early or breaks off; the message gives the frame position reached.
    public static let truncated = Self("truncated")
    /// Reading from the file failed at the operating-system level.
    public static let readFailed = Self("readFailed")
    /// Writing the output failed (for example the disk is full).
    public static let writeFailed = Self("writeFailed")
    /// The file needs `ffmpeg`, which is not installed.
    public static let ffmpegMissing = Self("ffmpegMissing")
    /// An argument is outside its documented range (for example a negative seek position).
    public static let invalidArgument = Self("invalidArgument")
    /// The decoder or encoder was used after ``AudioDecoder/close()`` or `finish()`.
    public static let closed = Self("closed")
}
