public import SystemPackage

/// The module an error comes from: what its ``DomainError`` carries besides code, subject and
/// message, and how it reads.
///
/// Each SpeechPrep module declares one caseless domain and names its error after it, so typed
/// throws name the module's own type:
///
/// ```swift
/// public enum PCMErrorDomain: ErrorDomain {}
/// public typealias PCMError = DomainError<PCMErrorDomain>
/// extension PCMError.Code {
///     public static var invalidSampleRate: Self { Self("invalidSampleRate") }
/// }
/// ```
public protocol ErrorDomain: Sendable {
    /// Facts only this module's errors have (a line and field, an archive member); by default none.
    associatedtype Detail: ErrorDetail = NoErrorDetail

    /// The error in words: by default ``DomainError/subject`` and ``DomainError/message``.
    /// - Parameter error: The error to describe.
    /// - Returns: One line for a log or a terminal.
    static func describe(_ error: DomainError<Self>) -> String
}

/// Facts a module's errors carry besides code, subject and message; ``init()`` means none.
public protocol ErrorDetail: Hashable, Sendable {
    /// No facts.
    init()
}

/// The ``ErrorDomain/Detail`` of modules whose errors carry nothing extra.
public struct NoErrorDetail: ErrorDetail {
    /// No facts.
    public init() {}
}

extension ErrorDomain {
    /// `"subject: message"`, or the message alone when there is no subject or the message
    /// (a wrapped error's text) already starts with it.
    /// - Parameter error: The error to describe.
    /// - Returns: One line for a log or a terminal.
    public static func describe(_ error: DomainError<Self>) -> String {
        guard let subject = error.subject, !error.message.hasPrefix("\(subject):") else { return error.message }
        return "\(subject): \(error.message)"
    }
}

/// An error that may stand on another one: a failed system call's `Errno`, or the error of
/// another module it wraps.
public protocol CausedError: Error {
    /// The file, record or program the error concerns, when known.
    var subject: String? { get }
    /// The error this one stands on, kept as a value (an `Errno`, a `CodecError`, …), or `nil`.
    var cause: (any Error)? { get }
}

extension CausedError {
    /// The `errno` at the root of the chain of causes, when a system call failed.
    public var errno: Errno? {
        var next: (any Error)? = cause
        while let current = next {
            if let errno = current as? Errno { return errno }
            next = (current as? any CausedError)?.cause
        }
        return nil
    }
}

/// The one error shape of SpeechPrep: an open set of codes, the subject concerned, a sentence
/// in plain words, and the cause it stands on as a typed value.
///
/// Errors are a struct with static codes, so new codes never break clients. Match a code with
/// `==` or in a `switch` with a `default` case. Equality and hashing look at code, subject,
/// message and detail; the ``cause`` is not compared.
public struct DomainError<Domain: ErrorDomain>: CausedError, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, as an open set of named codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// A short stable name for the code, for logs and JSON output.
        public let name: String

        /// Creates a code.
        /// - Parameter name: A short camel-case name.
        public init(_ name: String) { self.name = name }

        /// The code's name.
        public var description: String { name }
    }

    /// What went wrong.
    public var code: Code
    /// The file, record id or other subject the error is about, when there is one.
    public var subject: String?
    /// A sentence that says what was wrong, in words a user understands.
    public var message: String
    /// Facts only this module's errors have.
    public var detail: Domain.Detail
    /// The error this one stands on, kept as a value: an `Errno` when a system call failed,
    /// another module's error when this one wraps it, or `nil`. Not part of equality.
    public var cause: (any Error)?

    /// Creates an error.
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - message: A sentence naming the offending value.
    ///   - subject: The file, stream or record concerned, if known.
    ///   - cause: The `Errno` or error this one stands on, if any.
    public init(_ code: Code, _ message: String, subject: String? = nil, cause: (any Error)? = nil) {
        self.code = code
        self.subject = subject
        self.message = message
        self.detail = Domain.Detail()
        self.cause = cause
    }

    /// Creates an error about a subject.
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - subject: The file, record or program concerned.
    ///   - message: The cause in plain words.
    ///   - cause: The `Errno` or error this one stands on, if any.
    public init(_ code: Code, subject: String?, _ message: String, cause: (any Error)? = nil) {
        self.init(code, message, subject: subject, cause: cause)
    }

    /// The error with a subject attached (for callers that know which file was being processed).
    /// - Parameter subject: The file, stream or record concerned.
    /// - Returns: A copy of the error naming `subject`.
    public func about(_ subject: String) -> Self {
        var copy = self
        copy.subject = subject
        return copy
    }

    /// The error in words, as its domain spells it (by default `"subject: message"`).
    public var description: String { Domain.describe(self) }

    /// Errors are equal when code, subject, message and detail are; the ``cause`` is not compared.
    /// - Parameters:
    ///   - lhs: An error.
    ///   - rhs: Another error of the same domain.
    /// - Returns: Whether they say the same thing.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.code == rhs.code && lhs.subject == rhs.subject && lhs.message == rhs.message && lhs.detail == rhs.detail
    }

    /// Hashes code, subject, message and detail.
    /// - Parameter hasher: The hasher to feed.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(subject)
        hasher.combine(message)
        hasher.combine(detail)
    }
}
