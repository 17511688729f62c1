// The error shape lives in SystemSupport; re-exported so `error.code` needs no second import.
@_exported public import SystemSupport

/// The domain of ``ArchiveError``: the module it comes from.
public enum ArchiveErrorDomain: ErrorDomain {
    /// The member an error is about.
    public struct Detail: ErrorDetail {
        /// The member's path inside the archive, when the error is about one.
        public var member: String?

        /// No member.
        public init() {}
    }

    /// `archive: [member name: ]message`.
    /// - Parameter error: The error to describe.
    /// - Returns: One line for a log or a terminal.
    public static func describe(_ error: ArchiveError) -> String {
        if let member = error.member { return "\(error.archive): member \(member): \(error.message)" }
        return "\(error.archive): \(error.message)"
    }
}

/// An error raised by the `Archive` module, naming the archive and, when there is one, the member.
///
/// Errors are a struct with static codes, so new codes never break clients; libarchive's
/// status codes and messages are translated at the boundary.
public typealias ArchiveError = DomainError<ArchiveErrorDomain>

extension ArchiveError {
    /// The archive (or folder) concerned: the `subject`.
    public var archive: String { subject ?? "" }

    /// The member concerned, when the error is about one.
    public var member: String? {
        get { detail.member }
        set { detail.member = newValue }
    }

    /// Creates an error.
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - archive: The archive or folder path.
    ///   - member: The member's path inside it, if any.
    ///   - message: The cause in plain words.
    ///   - cause: The `Errno` or error this one stands on, if any.
    public init(_ code: Code, archive: String, member: String? = nil, _ message: String, cause: (any Error)? = nil) {
        self.init(code, subject: archive, message, cause: cause)
        detail.member = member
    }
}

extension ArchiveError.Code {
    /// The archive file does not exist or cannot be opened.
    public static var notFound: Self { Self("notFound") }
    /// The file is not a tar archive (plain or compressed with gzip, xz, zstd or bzip2).
    public static var notAnArchive: Self { Self("notAnArchive") }
    /// The archive or its compression stream is damaged.
    public static var corrupt: Self { Self("corrupt") }
    /// The archive ends early: cut in a header or in a member's data.
    public static var truncated: Self { Self("truncated") }
    /// A member is larger than the reader's size cap and was not read into memory.
    public static var memberTooLarge: Self { Self("memberTooLarge") }
    /// The member cannot be read as a file: a link, device, folder, or a name with `..` or an
    /// absolute path.
    public static var unsafeMember: Self { Self("unsafeMember") }
    /// Reading failed at the operating-system level.
    public static var readFailed: Self { Self("readFailed") }
    /// The reader was used out of order (for example reading data before the first member).
    public static var invalidUse: Self { Self("invalidUse") }
}
