public import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import SystemPackage
import SystemSupport

extension PipelineError.Code {
    /// Another run holds the output folder (or, for a shard, the same shard of it).
    public static let outputFolderBusy = Self("outputFolderBusy")
}

/// One run per output folder: two runs writing the same journal and files would interleave
/// their records and overwrite each other's outputs.
///
/// A run holds an exclusive `flock` on `speechprep.lock` in its output folder; the kernel
/// releases it when the process ends, however it ends (SIGKILL included), so a lock is never
/// stale. The holder writes its pid and command line into the file, so a second run can say
/// who is in the way. Shards of one job write different files and may share a folder: a
/// shard holds `speechprep.lock` *shared* and `speechprep.part-k-of-N.lock` exclusively, so
/// shards run side by side, the same shard twice does not, and an unsharded run excludes
/// them all (and they it).
///
/// The lock files stay in the folder after a run; an unlocked file means nothing.
public final class OutputFolderLock: Sendable {
    /// Who holds a lock: what the holder wrote into the lock file.
    public struct Holder: Codable, Sendable, Hashable {
        /// The holder's process id.
        public var pid: Int32
        /// Its command line.
        public var command: [String]
        /// The shard it runs, `k/N`, or `nil` for a whole run.
        public var shard: String?
        /// When it took the lock.
        public var started: Date
    }

    /// The lock file of a whole run.
    public static let fileName = "speechprep.lock"

    /// The output folder.
    public let directory: String
    private let descriptors: [Int32]

    /// Takes the locks for a run into `directory`, without waiting.
    /// - Parameters:
    ///   - directory: The output folder; it must exist.
    ///   - shard: The run's shard, or `nil` for a whole run.
    ///   - command: The command line recorded for others to see (default: this process's).
    /// - Throws: `PipelineError.Code.outputFolderBusy` naming the holder's pid and command
    ///   when another run holds the folder; `PipelineError.Code.outputFailed` when the lock
    ///   file cannot be created.
    public init(
        directory: String, shard: Shard?, command: [String] = CommandLine.arguments
    ) throws(PipelineError) {
        self.directory = directory
        let holder = Holder(pid: getpid(), command: command, shard: shard?.description, started: Date())
        let whole = try Self.lock(Self.path(directory, shard: nil), exclusive: shard == nil, directory: directory)
        guard let shard else {
            Self.record(holder, in: whole)
            descriptors = [whole]
            return
        }
        do {
            let part = try Self.lock(Self.path(directory, shard: shard), exclusive: true, directory: directory)
            Self.record(holder, in: part)
            descriptors = [whole, part]
        } catch {
            close(whole)
            throw error
        }
    }

    deinit { descriptors.forEach { close($0) } }

    /// The runs holding locks in `directory` now: the whole run, or every shard.
    ///
    /// This only reads (the lock files and `/proc/locks`); it never takes a lock, so asking
    /// cannot make a starting run fail.
    /// - Parameter directory: An output folder.
    /// - Returns: The holders, whole run first, then shards by file name.
    public static func holders(in directory: String) -> [Holder] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let lockFiles = [fileName] + names.filter { $0.hasPrefix("speechprep.part-") && $0.hasSuffix(".lock") }.sorted()
        let locks = heldLocks()
        return lockFiles.compactMap { name in
            let path = "\(directory)/\(name)"
            var info = stat()
            guard stat(path, &info) == 0, let pids = locks[UInt64(info.st_ino)],
                let data = smallFileData(path),
                let holder = try? JSONDecoder.jobs.decode(Holder.self, from: data), pids.contains(holder.pid)
            else { return nil }
            return holder
        }
    }

    // MARK: - Steps

    static func path(_ directory: String, shard: Shard?) -> String {
        "\(directory)/\(shard.map { "speechprep.\($0.partName).lock" } ?? fileName)"
    }

    private static func lock(_ path: String, exclusive: Bool, directory: String) throws(PipelineError) -> Int32 {
        let fd: Int32
        do { fd = try SystemCall.open(path, O_RDWR | O_CREAT) } catch {
            throw PipelineError(.outputFailed, subject: path, "cannot create the lock file: \(error)", cause: error)
        }
        while flock(fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0 {
            let code = errno
            if code == EINTR { continue }
            close(fd)
            guard code == EWOULDBLOCK else {
                let error = Errno(rawValue: code)
                throw PipelineError(.outputFailed, subject: path, "cannot lock: \(error)", cause: error)
            }
            throw busy(directory)
        }
        return fd
    }

    private static func busy(_ directory: String) -> PipelineError {
        let holders = holders(in: directory)
        let who = holders.isEmpty
            ? "another run (it has not said who yet)"
            : holders.map(\.description).joined(separator: "; ")
        return PipelineError(
            .outputFolderBusy, subject: directory,
            "is in use by \(who); wait for it, stop it, or choose another output folder")
    }

    /// Writes the holder into the locked file (best effort: the lock, not the text, is what
    /// keeps other runs out).
    private static func record(_ holder: Holder, in fd: Int32) {
        guard let data = try? JSONEncoder.jobs.encode(holder) else { return }
        _ = ftruncate(fd, 0)
        _ = data.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
    }

    /// The pids holding `flock` locks, by inode, from `/proc/locks`
    /// (`1: FLOCK  ADVISORY  WRITE 1234 fe:00:5368041 0 EOF`).
    private static func heldLocks() -> [UInt64: Set<Int32>] {
        guard let text = try? String(contentsOfFile: "/proc/locks", encoding: .utf8) else { return [:] }
        var locks: [UInt64: Set<Int32>] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 6, fields[1] == "FLOCK", let pid = Int32(fields[4]),
                let inode = fields[5].split(separator: ":").last.flatMap({ UInt64($0) })
            else { continue }
            locks[inode, default: []].insert(pid)
        }
        return locks
    }
}

extension OutputFolderLock.Holder: CustomStringConvertible {
    /// `pid 1234 (shard 0/4): speechprep prepare …`, as a refused run and `speechprep jobs` say it.
    public var description: String {
        "pid \(pid)\(shard.map { " (shard \($0))" } ?? ""): \(command.joined(separator: " "))"
    }
}
