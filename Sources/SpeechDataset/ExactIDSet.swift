import Foundation

/// A set of ids, compared byte for byte as ``ExactID`` does, whose memory stays bounded
/// however many ids it holds: up to 16,384 ids it is an ordinary in-memory hash table, beyond that its slots and the ids' bytes move to two scratch files (created in
/// `scratchFolder` and unlinked at once, so nothing is left behind, even by a crash).
///
/// This is what lets a reader or a pipeline drop repeated ids of a manifest with millions of
/// entries without its memory growing with the entry count. A spilled set keeps a cache of its
/// slots' pages (as large as its in-memory table was) and gathers new ids' bytes into 64 KiB
/// writes, so a membership test costs at most a read or two of the kernel's page cache; a hash
/// collision is told apart by comparing the ids themselves.
///
/// ```swift
/// let seen = ExactIDSet()
/// for entry in entries where try seen.insert(entry.id) { use(entry) }
/// ```
///
/// The set is not `Sendable`: one thread owns it.
public final class ExactIDSet {
    private var table: ScratchHashTable
    /// The table's scratch folder, kept apart: ``holds(_:_:)`` runs inside the table's probe.
    private let scratchFolder: String
    /// The ids' UTF-8 bytes, back to back, from offset ``flushedEnd`` on: all of them while the
    /// table is in memory, the ones not yet written to ``bytesFD`` once it is on disk.
    private var bytes: [UInt8] = []
    /// The file the ids' bytes go to once the table is on disk, else -1.
    private var bytesFD: Int32 = -1
    /// How many bytes are in the file; the rest are in ``bytes``. An id is never split.
    private var flushedEnd = 0
    private var bytesEnd = 0
    /// Bytes gathered before one write to the file, so an insert rarely costs a system call.
    private static let writeBuffer = 1 << 16

    /// Creates an empty set.
    /// - Parameters:
    ///   - scratchFolder: Where the scratch files go when the set outgrows memory. Default: the
    ///     `TMPDIR` environment variable's folder, or `/tmp`.
    ///   - memorySlotLimit: Hash slots (24 bytes each, at most half full) kept in memory before
    ///     the set moves to disk, rounded down to a power of two. Default ``defaultMemorySlotLimit``.
    public init(scratchFolder: String? = nil, memorySlotLimit: Int = defaultMemorySlotLimit) {
        self.scratchFolder = scratchFolder ?? Self.temporaryFolder
        table = ScratchHashTable(memorySlotLimit: memorySlotLimit, scratchFolder: self.scratchFolder)
    }

    deinit { if bytesFD >= 0 { Syscall.close(bytesFD) } }

    /// Hash slots kept in memory by default: 2¹⁵, 768 KiB, room for 16,384 ids. Small runs stay
    /// in memory; past that a few such tables (a pipeline has three) would otherwise be most of
    /// its heap.
    public static let defaultMemorySlotLimit = 1 << 15

    /// The number of ids in the set.
    public var count: Int { table.count }

    /// Whether the set has moved to its scratch files.
    public var isOnDisk: Bool { table.isOnDisk }

    /// Adds `id` unless the set holds it already.
    /// - Parameter id: An id.
    /// - Returns: `true` when `id` was new.
    /// - Throws: ``DatasetError`` `.io` when a scratch file cannot be created, read or written
    ///   (a full disk, a missing scratch folder).
    public func insert(_ id: String) throws(DatasetError) -> Bool {
        let key = Array(id.utf8)
        let hash = ScratchHashTable.hash(key)
        guard case .absent(let position) = try table.probe(hash, matches: { (slot) throws(DatasetError) in try holds(key, slot) }) else {
            return false
        }
        let offset = bytesEnd
        try appendBytes(key)
        try table.store(.init(hash: hash, first: UInt64(offset), second: UInt64(key.count)), at: position, isNew: true)
        if table.isOnDisk, bytesFD < 0 { try spillBytes() }
        return true
    }

    /// Whether the set holds `id`.
    /// - Parameter id: An id.
    /// - Returns: `true` when `id` was inserted before.
    /// - Throws: ``DatasetError`` `.io` when a scratch file cannot be read.
    public func contains(_ id: String) throws(DatasetError) -> Bool {
        let key = Array(id.utf8)
        if case .found = try table.probe(ScratchHashTable.hash(key), matches: { (slot) throws(DatasetError) in try holds(key, slot) }) {
            return true
        }
        return false
    }

    private static var temporaryFolder: String {
        let folder = ProcessInfo.processInfo.environment["TMPDIR"] ?? ""
        return folder.isEmpty ? "/tmp" : folder
    }

    /// Whether the id a slot points at is `key`, byte for byte.
    private func holds(_ key: [UInt8], _ slot: ScratchHashTable.Slot) throws(DatasetError) -> Bool {
        let (offset, length) = (Int(slot.first), Int(slot.second))
        guard length == key.count else { return false }
        if offset >= flushedEnd { return bytes[offset - flushedEnd..<offset - flushedEnd + length].elementsEqual(key) }
        var stored = [UInt8](repeating: 0, count: length)
        let (fd, folder) = (bytesFD, scratchFolder)
        let read: Result<Int, DatasetError> = stored.withUnsafeMutableBytes { buffer in
            do throws(DatasetError) { return .success(try Syscall.readAll(fd, into: buffer, at: offset, path: folder)) } catch {
                return .failure(error)
            }
        }
        return try read.get() == length && stored.elementsEqual(key)
    }

    private func appendBytes(_ key: [UInt8]) throws(DatasetError) {
        if bytesFD >= 0, bytes.count + key.count > Self.writeBuffer { try flushBytes() }
        bytes.append(contentsOf: key)
        bytesEnd += key.count
    }

    /// Moves the ids' bytes to their scratch file when the table has moved to its own.
    private func spillBytes() throws(DatasetError) {
        bytesFD = try Syscall.scratchFile(in: scratchFolder)
        try flushBytes()
        bytes = []  // gives back the in-memory table's share
    }

    /// Writes the buffered bytes to the scratch file.
    private func flushBytes() throws(DatasetError) {
        try Self.write(bytes, to: bytesFD, at: flushedEnd, path: scratchFolder)
        flushedEnd += bytes.count
        bytes.removeAll(keepingCapacity: true)
    }

    private static func write(_ bytes: [UInt8], to fd: Int32, at offset: Int, path: String) throws(DatasetError) {
        let written: Result<Void, DatasetError> = bytes.withUnsafeBytes { buffer in
            do throws(DatasetError) { return .success(try Syscall.writeAll(fd, buffer, at: offset, path: path)) } catch {
                return .failure(error)
            }
        }
        try written.get()
    }
}
