/// An error raised by the `Archive` module, naming the archive and, when there is one, the member.
///
/// Errors are a struct with static codes, so new codes never break clients; libarchive's
/// status codes and messages are translated at the boundary.
public struct ArchiveError: Error, Hashable, Sendable, CustomStringConvertible {
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
    /// The archive (or folder) concerned.
    public var archive: String
    /// The member concerned, when the error is about one.
    public var member: String?
    /// A sentence that says what was wrong.
    public var message: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - archive: The archive or folder path.
    ///   - member: The member's path inside it, if any.
    ///   - message: The cause in plain words.
    public init(_ code: Code, archive: String, member: String? = nil, _ message: String) {
        self.code = code
        self.archive = archive
        self.member = member
        self.message = message
    }

    public var description: String {
        if let member { return "\(archive): member \(member): \(message)" }
        return "\(archive): \(message)"
    }
}

extension ArchiveError.Code {
    /// The archive file does not exist or cannot be opened.
    public static let notFound = Self("notFound")
    /// The file is not a tar archive (plain or compressed with gzip, xz, zstd or bzip2).
    public static let notAnArchive = Self("notAnArchive")
    /// The archive or its compression stream is damaged.
    public static let corrupt = Self("corrupt")
    /// The archive ends early: cut in a header or in a member's data.
    public static let truncated = Self("truncated")
    /// A member is larger than the reader's size cap and was not read into memory.
    public static let memberTooLarge = Self("memberTooLarge")
    /// The member cannot be read as a file: a link, device, folder, or a name with `..` or an
    /// absolute path.
    public static let unsafeMember = Self("unsafeMember")
    /// Reading failed at the operating-system level.
    public static let readFailed = Self("readFailed")
    /// The reader was used out of order (for example reading data before the first member).
    public static let invalidUse = Self("invalidUse")
}
