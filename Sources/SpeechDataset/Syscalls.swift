// Every libc call of the module goes through this file, so the "-1 means errno" rule and the
// translation into `DatasetError` are written once.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Thin wrappers over the POSIX file calls that throw `DatasetError` naming the path.
enum Syscall {
    static func failure(_ what: String, _ path: String, errno code: Int32 = errno) -> DatasetError {
        DatasetError(.io, subject: path, "\(what) failed: \(String(cString: strerror(code)))")
    }

    static func openForReading(_ path: String) throws(DatasetError) -> Int32 {
        let fd = retryingEINTR { open(path, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else { throw failure("open", path) }
        return fd
    }

    /// Opens (creating when asked) a file for writing; `exclusive` refuses an existing file.
    static func openForWriting(_ path: String, create: Bool, exclusive: Bool, append: Bool) throws(DatasetError) -> Int32 {
        var flags = O_WRONLY | O_CLOEXEC
        if create { flags |= O_CREAT }
        if exclusive { flags |= O_EXCL }
        if append { flags |= O_APPEND }
        let fd = retryingEINTR { open(path, flags, 0o644) }
        guard fd >= 0 else { throw failure("open for writing", path) }
        return fd
    }

    static func openReadWrite(_ path: String) throws(DatasetError) -> Int32 {
        let fd = retryingEINTR { open(path, O_RDWR | O_APPEND | O_CLOEXEC) }
        guard fd >= 0 else { throw failure("open", path) }
        return fd
    }

    /// Reads up to `count` bytes; returns 0 at end of file.
    static func read(_ fd: Int32, into buffer: UnsafeMutableRawPointer, count: Int, path: String) throws(DatasetError) -> Int {
        let n = retryingEINTR { Glibc.read(fd, buffer, count) }
        guard n >= 0 else { throw failure("read", path) }
        return n
    }

    /// Reads up to `buffer.count` bytes at `offset` without moving the file position, looping
    /// over short reads; returns fewer only at the end of the file.
    static func readAll(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int, path: String) throws(DatasetError) -> Int {
        var filled = 0
        while filled < buffer.count {
            let n = retryingEINTR { Glibc.pread(fd, buffer.baseAddress! + filled, buffer.count - filled, off_t(offset + filled)) }
            guard n >= 0 else { throw failure("read", path) }
            if n == 0 { break }
            filled += n
        }
        return filled
    }

    /// Writes all bytes, looping over short writes.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(DatasetError) {
        var offset = 0
        while offset < bytes.count {
            let n = retryingEINTR { Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset) }
            guard n > 0 else { throw failure("write", path) }
            offset += n
        }
    }

    static func fsync(_ fd: Int32, path: String) throws(DatasetError) {
        guard retryingEINTR({ Glibc.fsync(fd) }) == 0 else { throw failure("fsync", path) }
    }

    /// Syncs a folder so a rename or a new file inside it survives a crash.
    static func fsyncDirectory(_ path: String) throws(DatasetError) {
        let fd = retryingEINTR { open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        guard fd >= 0 else { throw failure("open folder", path) }
        defer { _ = Glibc.close(fd) }
        try fsync(fd, path: path)
    }

    static func rename(_ from: String, to: String) throws(DatasetError) {
        guard Glibc.rename(from, to) == 0 else { throw failure("rename to \(to)", from) }
    }

    static func truncate(_ fd: Int32, length: Int, path: String) throws(DatasetError) {
        guard retryingEINTR({ ftruncate(fd, off_t(length)) }) == 0 else { throw failure("truncate", path) }
    }

    static func unlink(_ path: String) { _ = Glibc.unlink(path) }

    static func close(_ fd: Int32) { _ = Glibc.close(fd) }

    /// The canonical absolute path with every symlink resolved, or `nil` when it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    static var processID: Int32 { getpid() }

    private static func retryingEINTR<T: BinaryInteger>(_ body: () -> T) -> T {
        while true {
            let result = body()
            if result >= 0 || errno != EINTR { return result }
        }
    }
}

extension Syscall {
    /// Writes all bytes at `offset` without moving the file position, looping over short writes.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int, path: String) throws(DatasetError) {
        var done = 0
        while done < bytes.count {
            let n = retryingEINTR { Glibc.pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done)) }
            guard n > 0 else { throw failure("write", path) }
            done += n
        }
    }

    /// Creates a read-write file in `folder` and unlinks it at once, so it has no name to clean
    /// up: the space comes back when the descriptor is closed, or when the process dies.
    /// - Returns: The descriptor.
    static func scratchFile(in folder: String) throws(DatasetError) -> Int32 {
        var template = Array("\(folder)/.speechprep-scratch.XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw failure("create a scratch file", folder) }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        template.withUnsafeBufferPointer { _ = Glibc.unlink($0.baseAddress!) }
        return fd
    }
}

extension Syscall {
    /// The index of the first `byte` in `[from, to)` of `base`, or `nil` (libc `memchr`).
    static func find(_ byte: UInt8, in base: UnsafeMutablePointer<UInt8>, from: Int, to: Int) -> Int? {
        guard from < to, let hit = memchr(base + from, Int32(byte), to - from) else { return nil }
        return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }
}

extension Syscall {
    /// Moves `count` bytes at `base + from` to `base` (regions may overlap; libc `memmove`).
    static func moveBytes(_ base: UnsafeMutablePointer<UInt8>, from: Int, count: Int) {
        memmove(base, base + from, count)
    }
}
