import Foundation

/// A folder read as if it were an archive: its files, in sorted path order, as members with
/// paths relative to the folder. Symbolic links are reported as links and never followed.
public final class FolderMembers: MemberSource {
    /// The folder.
    public let sourcePath: String
    /// The largest file ``readMember()`` reads into memory, in bytes.
    public let memberSizeLimit: Int
    private let paths: [String]
    private var position = -1
    private var current: ArchiveMember?

    /// Lists a folder, recursively.
    /// - Parameters:
    ///   - path: The folder.
    ///   - memberSizeLimit: The largest file read whole, in bytes.
    /// - Throws: ``ArchiveError`` `notFound` when the folder cannot be listed.
    public init(path: String, memberSizeLimit: Int = ArchiveReader.defaultMemberSizeLimit) throws(ArchiveError) {
        sourcePath = path
        self.memberSizeLimit = memberSizeLimit
        guard let found = FileManager.default.subpaths(atPath: path) else {
            throw ArchiveError(.notFound, archive: path, "the folder cannot be listed")
        }
        paths = found.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    public func nextMember() throws(ArchiveError) -> ArchiveMember? {
        position += 1
        guard position < paths.count else {
            current = nil
            return nil
        }
        let relative = paths[position]
        let attributes = try? FileManager.default.attributesOfItem(atPath: "\(sourcePath)/\(relative)")
        let type = attributes?[.type] as? FileAttributeType
        let kind: ArchiveMember.Kind = switch type {
        case .typeRegular?: .file
        case .typeDirectory?: .directory
        case .typeSymbolicLink?: .symbolicLink
        default: .special
        }
        let size = (attributes?[.size] as? NSNumber)?.intValue ?? 0
        current = ArchiveMember(rawPath: relative, size: size, kind: kind)
        return current
    }

    public func readMember() throws(ArchiveError) -> [UInt8] {
        guard let member = current, let path = member.path, member.kind == .file else {
            throw ArchiveError(.unsafeMember, archive: sourcePath, member: current?.rawPath, "is not a regular file")
        }
        guard member.size <= memberSizeLimit else {
            throw ArchiveError(
                .memberTooLarge, archive: sourcePath, member: path,
                "is \(member.size) bytes, over the \(memberSizeLimit)-byte limit for one member; it was skipped, not read")
        }
        guard let data = FileManager.default.contents(atPath: "\(sourcePath)/\(path)") else {
            throw ArchiveError(.readFailed, archive: sourcePath, member: path, "cannot be read")
        }
        return [UInt8](data)
    }
}

/// Several sources read one after another as one stream, each opened only when the previous
/// one ends (Hugging Face Common Voice shards: `audio/<lang>/<split>/<lang>_<split>_<n>.tar`).
/// A member's ``ArchiveMember/rawPath`` stays relative to its own shard.
public final class ConcatenatedMembers: MemberSource {
    /// The shard paths, in reading order.
    public let shardPaths: [String]
    /// The shard being read, for messages; the first before reading starts.
    public var sourcePath: String { active?.sourcePath ?? shardPaths.first ?? "" }
    private let open: (String) throws(ArchiveError) -> any MemberSource
    private var nextShard = 0
    private var active: (any MemberSource)?

    /// Creates a stream over shards.
    /// - Parameters:
    ///   - shardPaths: The archives, in reading order.
    ///   - open: Opens one shard; by default as an ``ArchiveReader`` with the default size cap.
    public init(
        shardPaths: [String],
        open: @escaping (String) throws(ArchiveError) -> any MemberSource = { (path) throws(ArchiveError) in try ArchiveReader(path: path) }
    ) {
        self.shardPaths = shardPaths
        self.open = open
    }

    public func nextMember() throws(ArchiveError) -> ArchiveMember? {
        while true {
            if let active, let member = try active.nextMember() { return member }
            guard nextShard < shardPaths.count else {
                active = nil
                return nil
            }
            active = try open(shardPaths[nextShard])
            nextShard += 1
        }
    }

    public func readMember() throws(ArchiveError) -> [UInt8] {
        guard let active else { throw ArchiveError(.invalidUse, archive: sourcePath, "no current member") }
        return try active.readMember()
    }
}
