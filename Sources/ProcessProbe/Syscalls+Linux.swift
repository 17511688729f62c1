#if os(Linux)
// Every libc call of the module lives in this file, so the C types stay here and never reach
// the public API; descriptor calls and their "−1 means errno" rule are SystemSupport's `SystemCall`.
import Glibc
import SystemPackage
import SystemSupport

// MARK: - Constants

/// Facts about the running kernel that never change while the process lives.
enum System {
    /// Clock ticks per second (`USER_HZ`), the unit of times in `/proc/<pid>/stat`.
    static let clockTicksPerSecond: Int = max(1, sysconf(Int32(_SC_CLK_TCK)))
    /// The page size, the unit of `rss` in `/proc/<pid>/stat` and of `/proc/<pid>/statm`.
    static let pageSize: Int = max(1, sysconf(Int32(_SC_PAGESIZE)))
    /// The calling process's id.
    static var processID: Int32 { getpid() }

    static let noSuchProcessErrors: Set<Errno> = [.noSuchFileOrDirectory, .noSuchProcess]
    static let permissionErrors: Set<Errno> = [.permissionDenied, .notPermitted]

    /// The peak resident set size of this process in bytes (`getrusage`'s `ru_maxrss`).
    static func peakResidentBytesOfSelf() -> Int {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
        return usage.ru_maxrss * 1024
    }

    /// Sends a signal; returns `nil` or the errno of `kill`.
    static func sendSignal(_ signal: Int32, to pid: Int32) -> Errno? {
        kill(pid, signal) == 0 ? nil : SystemCall.lastError
    }

    /// The login name of a user id, or `nil` when the user database has no entry.
    /// The corresponding C function is `getpwuid_r`.
    static func userName(of uid: UInt32) -> String? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 4096) { scratch in
            let status = getpwuid_r(uid, &entry, scratch.baseAddress!, scratch.count, &result)
            guard status == 0, result != nil, let name = entry.pw_name else { return nil }
            return String(cString: name)
        }
    }
}

extension ProcessSignal {
    /// The signal's number on Linux.
    var number: Int32 {
        switch self {
        case .terminate: SIGTERM
        case .interrupt: SIGINT
        case .kill: SIGKILL
        case .stop: SIGSTOP
        case .continue: SIGCONT
        case .hangup: SIGHUP
        }
    }
}

// MARK: - Reading files

/// The outcome of reading one file: how many bytes, or the errno that stopped it.
struct FileRead {
    var count: Int
    var error: Errno?
    /// The file's owner, when asked for.
    var owner: UInt32
    var succeeded: Bool { error == nil }
}

/// A growable byte buffer that whole `/proc` files are read into, reused from file to file
/// so a snapshot of the process table allocates once. It owns its memory and frees it in
/// `deinit`.
final class ReadBuffer {
    private(set) var bytes: UnsafeMutableRawBufferPointer

    init(capacity: Int = 16 * 1024) {
        bytes = .allocate(byteCount: capacity, alignment: 16)
    }

    deinit { bytes.deallocate() }

    /// The first `count` bytes read.
    func prefix(_ count: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[0..<count])
    }

    /// Reads a whole file, opened relative to a directory descriptor (`AT_FDCWD` for an
    /// absolute path), growing the buffer until the file fits.
    func read(
        at directory: Int32 = AT_FDCWD, _ path: UnsafePointer<CChar>, owner: Bool = false, stopAtShortRead: Bool = false
    ) -> FileRead {
        let fd: Int32
        do { fd = try SystemCall.open(in: directory, path, O_RDONLY) } catch {
            return FileRead(count: 0, error: error, owner: 0)
        }
        defer { SystemCall.close(fd) }
        var result = FileRead(count: 0, error: nil, owner: 0)
        if owner { result.owner = (try? SystemCall.status(fd).owner) ?? 0 }
        while true {
            if result.count == bytes.count { grow() }
            let n: Int
            do { n = try SystemCall.read(fd, into: UnsafeMutableRawBufferPointer(rebasing: bytes[result.count...])) } catch {
                result.error = error
                return result
            }
            if n == 0 { return result }
            result.count += n
            // procfs produces a record whole: a read that did not fill the buffer reached the
            // end, so the extra read that would return 0 is skipped (ps does the same).
            if stopAtShortRead, result.count < bytes.count { return result }
        }
    }

    private func grow() {
        let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count * 2, alignment: 16)
        bigger.copyMemory(from: UnsafeRawBufferPointer(bytes))
        bytes.deallocate()
        bytes = bigger
    }
}

/// Reads a small file (at most `capacity` bytes are used) into stack memory and hands the
/// bytes to `body`; fails with the errno when the file cannot be opened or read.
func withSmallFile<R>(
    _ path: String, capacity: Int = 8192, _ body: (UnsafeRawBufferPointer) -> R
) -> Result<R, Errno> {
    withUnsafeTemporaryAllocation(byteCount: capacity, alignment: 16) { scratch in
        Result { () throws(Errno) in
            let fd = try SystemCall.open(path, O_RDONLY)
            defer { SystemCall.close(fd) }
            let count = try SystemCall.readAll(fd, into: scratch)
            return body(UnsafeRawBufferPointer(rebasing: scratch[0..<count]))
        }
    }
}

// MARK: - The /proc directory

/// An open `/proc` directory: lists the numeric entries and opens files below them with
/// `openat`, building each relative path in a fixed scratch area instead of a `String`.
final class ProcDirectory {
    let root: String
    private let fd: Int32
    private let path = UnsafeMutablePointer<CChar>.allocate(capacity: 64)

    init(root: String) throws(ProbeError) {
        self.root = root
        do { fd = try SystemCall.open(root, O_RDONLY | O_DIRECTORY) } catch {
            path.deallocate()
            throw ProbeError(.unreadable, subject: root, "cannot open the process directory: \(error)", cause: error)
        }
    }

    deinit {
        SystemCall.close(fd)
        path.deallocate()
    }

    /// Calls `body` with the id of every process listed, in directory order.
    func forEachProcess(_ body: (Int32) -> Void) throws(ProbeError) {
        guard let stream = opendir(root) else {
            let error = SystemCall.lastError
            throw ProbeError(.unreadable, subject: root, "cannot list processes: \(error)", cause: error)
        }
        defer { closedir(stream) }
        while let entry = readdir(stream) {
            let pid: Int32? = withUnsafeBytes(of: &entry.pointee.d_name) { name in
                var value: Int32 = 0
                for byte in name {
                    if byte == 0 { break }
                    guard byte >= 0x30, byte <= 0x39 else { return nil }
                    value = value &* 10 &+ Int32(byte - 0x30)
                }
                return value > 0 ? value : nil
            }
            if let pid { body(pid) }
        }
    }

    /// Reads `<root>/<pid>/<name>` into `buffer`.
    func read(_ name: StaticString, of pid: Int32, into buffer: ReadBuffer, owner: Bool = false) -> FileRead {
        // Digits in reverse, then flipped: no String, no allocation.
        var cursor = 0, value = pid
        repeat {
            path[cursor] = CChar(0x30 + value % 10)
            value /= 10
            cursor += 1
        } while value > 0
        var low = 0, high = cursor - 1
        while low < high {
            (path[low], path[high]) = (path[high], path[low])
            low += 1
            high -= 1
        }
        path[cursor] = 0x2F  // "/"
        cursor += 1
        name.withUTF8Buffer { suffix in
            for byte in suffix {
                path[cursor] = CChar(bitPattern: byte)
                cursor += 1
            }
        }
        path[cursor] = 0
        return buffer.read(at: fd, path, owner: owner, stopAtShortRead: true)
    }
}

// MARK: - Regular expressions

/// A compiled POSIX extended regular expression, as `pgrep` uses (`regcomp` with
/// `REG_EXTENDED | REG_NOSUB`). Owns the compiled form and frees it in `deinit`.
final class POSIXRegex {
    private var compiled = regex_t()

    init(_ pattern: String) throws(ProbeError) {
        let status = regcomp(&compiled, pattern, REG_EXTENDED | REG_NOSUB)
        guard status == 0 else {
            var message = [CChar](repeating: 0, count: 256)
            regerror(status, &compiled, &message, message.count)
            let text = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw ProbeError(.invalidPattern, subject: pattern, "not a valid extended regular expression: \(text)")
        }
    }

    deinit { regfree(&compiled) }

    /// Whether the expression matches anywhere in `text`.
    func matches(_ text: String) -> Bool {
        regexec(&compiled, text, 0, nil, 0) == 0
    }
}
#endif
