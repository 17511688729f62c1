/// One entry of an archive or folder, as its header describes it.
public struct ArchiveMember: Hashable, Sendable {
    /// What the entry is.
    public enum Kind: Hashable, Sendable {
        /// A regular file, the only kind whose data is read.
        case file
        /// A folder.
        case directory
        /// A symbolic link (never followed).
        case symbolicLink
        /// A hard link to an earlier member (never followed).
        case hardLink
        /// A character or block device, FIFO or socket.
        case special
    }

    /// The name as stored in the archive, byte for byte (shown in messages).
    public let rawPath: String
    /// The name with `./` and repeated `/` folded away, or `nil` when it is absolute or holds a
    /// `..` component: such a name is never used to find, follow or write anything.
    public let path: String?
    /// The data size the header declares, in bytes.
    public let size: Int
    /// What the entry is.
    public let kind: Kind

    /// Creates a member description.
    /// - Parameters:
    ///   - rawPath: The stored name.
    ///   - size: The declared data size.
    ///   - kind: What the entry is.
    public init(rawPath: String, size: Int, kind: Kind) {
        self.rawPath = rawPath
        self.path = Self.safePath(rawPath)
        self.size = size
        self.kind = kind
    }

    /// Whether the data of this member may be read: a regular file with a safe name.
    public var isReadableFile: Bool { kind == .file && path != nil }

    /// The last path component (the file name), or `nil` for an unsafe name.
    public var fileName: String? {
        guard let path else { return nil }
        return path.split(separator: "/").last.map(String.init)
    }

    /// A name relative to the archive root, or `nil` when it is absolute, empty or climbs with
    /// `..`.
    /// - Parameter raw: A stored member name.
    /// - Returns: The name without `.` components and empty components.
    public static func safePath(_ raw: String) -> String? {
        guard !raw.hasPrefix("/"), !raw.isEmpty else { return nil }
        var parts: [Substring] = []
        for part in raw.split(separator: "/", omittingEmptySubsequences: true) where part != "." {
            if part == ".." { return nil }
            parts.append(part)
        }
        return parts.isEmpty ? nil : parts.joined(separator: "/")
    }
}

/// Something whose files can be read in one forward pass, member by member: an archive, or a
/// folder, so the dataset layer reads both the same way.
///
/// Call ``nextMember()`` to move to the next entry; the data of the current entry may be read
/// once with ``readMember()``, and is skipped without being buffered when it is not read.
public protocol MemberSource: AnyObject {
    /// The archive or folder path, for messages.
    var sourcePath: String { get }
    /// Moves to the next entry, skipping what was not read of the current one.
    /// - Returns: The entry, or `nil` at the end.
    /// - Throws: ``ArchiveError`` with `truncated` or `corrupt` when the stream breaks off,
    ///   `notAnArchive` when the first header cannot be read.
    func nextMember() throws(ArchiveError) -> ArchiveMember?
    /// Reads the whole data of the current entry.
    /// - Returns: The bytes.
    /// - Throws: ``ArchiveError`` `memberTooLarge` when the entry is over the size cap (nothing
    ///   is read), `unsafeMember` for a link, device or unsafe name, `truncated`/`corrupt`
    ///   when the data breaks off.
    func readMember() throws(ArchiveError) -> [UInt8]
}
