/// An error raised by the `Transcription` module.
///
/// Errors are a struct with static codes, so new codes never break clients. Every message
/// names the file or record concerned and the cause, in words a user understands.
public struct TranscriptionError: Error, Hashable, Sendable, CustomStringConvertible {
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

    /// `"subject: message"`, or the message alone when there is no subject.
    public var description: String {
        if let subject { return "\(subject): \(message)" }
        return message
    }
}

extension TranscriptionError.Code {
    /// A model file or folder (acoustic model, language model, dictionary) is missing; the
    /// message names the Debian package that provides it.
    public static let modelNotFound = Self("modelNotFound")
    /// The engine rejected its configuration (an unknown option or a value it cannot use).
    public static let invalidConfiguration = Self("invalidConfiguration")
    /// The engine failed while decoding a clip.
    public static let engineFailed = Self("engineFailed")
    /// The input audio cannot be turned into what the engine needs.
    public static let invalidAudio = Self("invalidAudio")
    /// An external recogniser could not be started (not installed, not executable).
    public static let launchFailed = Self("launchFailed")
    /// An external recogniser exited with a non-zero status or was killed by a signal.
    public static let commandFailed = Self("commandFailed")
    /// An external recogniser ran longer than its timeout and was killed.
    public static let timedOut = Self("timedOut")
    /// An external recogniser's output was not what was asked for (for example no JSON field).
    public static let invalidOutput = Self("invalidOutput")
    /// A temporary file for the clip could not be written.
    public static let temporaryFileFailed = Self("temporaryFileFailed")
    /// The surrounding task was cancelled; the clip was not transcribed.
    public static let cancelled = Self("cancelled")
}
