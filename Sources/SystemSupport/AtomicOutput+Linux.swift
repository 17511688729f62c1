#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
public import SystemPackage

/// When a finished output file is forced to disk.
///
/// Every output is written to a temporary file and renamed into place, so readers never see
/// a partial file. Durability is about power loss: ``synced`` outputs survive it as soon as
/// they are committed; ``deferred`` outputs only after `SystemCall.syncFileSystem(containing:)`,
/// which lets a batch job make many files durable with one flush (group commit) instead of two
/// `fsync`s per file.
public enum OutputDurability: Hashable, Sendable {
    /// Committing fsyncs the file and its folder (the default).
    case synced
    /// Committing renames without fsync; synchronise the file system before recording anywhere
    /// durable that the file exists.
    case deferred
}

/// A temporary file next to its final path that becomes that path only when committed: the
/// package's one atomic writer.
///
/// The temporary file is hidden (`.name.XXXXXX.partial`) in the target's folder so the final
/// `rename` stays on one file system and is atomic; ``leftoverTarget(_:)`` reads the name back,
/// so a clean-up never parses it by hand. Released without ``commit(_:)``, the temporary file
/// is removed and the final path left untouched.
public final class AtomicOutput {
    /// Where the file goes when committed.
    public let path: String
    /// The temporary file's path.
    public let temporaryPath: String
    /// The temporary file's descriptor, open for reading and writing until ``commit(_:)``.
    public let descriptor: Int32
    private var isOpen = true
    private var committed = false
    /// Bytes written, and how many of them have been handed to the disk (``write(_:)``).
    private var written = 0
    private var handedToDisk = 0
    /// How many written bytes start their writeback (``SystemCall/startWriteback(_:offset:count:)``).
    private static let writebackStep = 1 << 23

    /// The step of ``AtomicOutput/commit(_:)`` that failed, and its `Errno`.
    public struct CommitFailure: Error, Hashable, Sendable {
        /// Which step failed.
        public enum Step: Hashable, Sendable {
            /// `fsync` of the file.
            case flush
            /// `close` of the file.
            case close
            /// `rename` into place.
            case rename
            /// `fsync` of the folder.
            case syncFolder
        }

        /// Which step failed.
        public var step: Step
        /// The failed call's `Errno`.
        public var errno: Errno
    }

    /// Creates the temporary file, with the permissions a new file gets (`0666` less the umask).
    /// The corresponding C function is `open` with `O_CREAT | O_EXCL`.
    /// - Parameter path: The final path; its folder must exist.
    /// - Throws: The `Errno` of `open` (the folder is missing, not writable, full, …).
    public init(path: String) throws(Errno) {
        self.path = path
        let (folder, name) = Self.split(path)
        var attempt = 0
        while true {
            let candidate = "\(folder)/.\(name).\(Self.randomTag()).partial"
            do {
                descriptor = try SystemCall.open(candidate, O_RDWR | O_CREAT | O_EXCL, permissions: 0o666)
                temporaryPath = candidate
                return
            } catch {
                attempt += 1
                if error != .fileExists || attempt >= 16 { throw error }
            }
        }
    }

    deinit { discard() }

    /// Writes all of `bytes` to the temporary file. Every 8 MiB written, their writeback to disk
    /// starts without waiting, so a large file's ``commit(_:)`` does not flush all of it at once
    /// (the disk works while the writer goes on).
    /// - Parameter bytes: The bytes to append.
    /// - Throws: The `Errno` of `write`.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(Errno) {
        try SystemCall.writeAll(descriptor, bytes)
        written += bytes.count
        if written - handedToDisk >= Self.writebackStep {
            SystemCall.startWriteback(descriptor, offset: handedToDisk, count: written - handedToDisk)
            handedToDisk = written
        }
    }

    /// Flushes the file to disk, renames it into place, then flushes the folder.
    /// The corresponding C functions are `fsync`, `close` and `rename`.
    /// - Parameter durability: With ``OutputDurability/deferred`` neither `fsync` is made.
    /// - Throws: ``CommitFailure`` naming the step; unless the rename was made, the temporary
    ///   file is removed first.
    public func commit(_ durability: OutputDurability = .synced) throws(CommitFailure) {
        precondition(isOpen, "AtomicOutput.commit() called twice for \(path)")
        do throws(CommitFailure) {
            if durability == .synced { try step(.flush) { () throws(Errno) in try SystemCall.sync(descriptor) } }
            isOpen = false  // close releases the descriptor even when it reports an error
            try step(.close) { () throws(Errno) in try SystemCall.closeChecked(descriptor) }
            try step(.rename) { () throws(Errno) in try SystemCall.rename(temporaryPath, to: path) }
            committed = true
        } catch {
            discard()
            throw error
        }
        guard durability == .synced else { return }
        try step(.syncFolder) { () throws(Errno) in try SystemCall.syncFolder(Self.split(path).folder) }
    }

    /// Runs one call of ``commit(_:)``, naming the step if it fails.
    private func step(_ step: CommitFailure.Step, _ call: () throws(Errno) -> Void) throws(CommitFailure) {
        do { try call() } catch { throw CommitFailure(step: step, errno: error) }
    }

    /// Abandons the output: the temporary file is removed and the final path left as it was.
    public func discard() {
        if isOpen { SystemCall.close(descriptor) }
        isOpen = false
        if !committed { SystemCall.unlink(temporaryPath) }
    }

    /// The name of the file a temporary file of this writer was to become, or `nil` when
    /// `name` is not one (for clean-up after a killed run).
    /// - Parameter name: A file name (no folder), as a folder listing gives it.
    /// - Returns: The final name, in the same folder.
    public static func leftoverTarget(_ name: String) -> String? {
        guard name.hasPrefix("."), name.hasSuffix(".partial") else { return nil }
        let stem = name.dropFirst().dropLast(".partial".count)
        guard let dot = stem.lastIndex(of: "."), dot > stem.startIndex else { return nil }
        return String(stem[..<dot])
    }

    /// Whether `name` is a temporary file of this writer, left behind by a killed run.
    /// - Parameter name: A file name (no folder).
    /// - Returns: Whether ``leftoverTarget(_:)`` names its final file.
    public static func isLeftover(_ name: String) -> Bool { leftoverTarget(name) != nil }

    /// A path's folder (`.` for a bare name, `/` for the root) and last component.
    /// - Parameter path: A file path.
    /// - Returns: The folder and the name.
    public static func split(_ path: String) -> (folder: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let folder = String(path[..<slash])
        return (folder.isEmpty ? "/" : folder, String(path[path.index(after: slash)...]))
    }

    /// Six characters from `[A-Za-z0-9]`, as `mkstemp` uses.
    private static func randomTag() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<6).map { _ in alphabet.randomElement()! })
    }
}
