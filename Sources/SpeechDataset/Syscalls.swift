// Every libc call of the module goes through this file: the descriptor work is SystemSupport's
// `SystemCall`, and its `Errno` becomes a `DatasetError` naming the path here, once.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import SystemPackage
import SystemSupport

/// The POSIX file calls the module makes, throwing `DatasetError` naming the path, with the
/// `Errno` as its cause.
enum Syscall {
    static func failure(_ what: String, _ path: String, _ errno: Errno) -> DatasetError {
        DatasetError(.io, subject: path, "\(what) failed: \(errno.description)", cause: errno)
    }

    /// Runs one `SystemCall`, turning its `Errno` into a `DatasetError`.
    private static func call<T>(_ what: String, _ path: String, _ body: () throws(Errno) -> T) throws(DatasetError) -> T {
        do { return try body() } catch { throw failure(what, path, error) }
    }

    static func openForReading(_ path: String) throws(DatasetError) -> Int32 {
        try call("open", path) { () throws(Errno) in try SystemCall.open(path, O_RDONLY) }
    }

    /// Opens (creating when asked) a file for writing; `exclusive` refuses an existing file.
    static func openForWriting(_ path: String, create: Bool, exclusive: Bool, append: Bool) throws(DatasetError) -> Int32 {
        var flags = O_WRONLY
        if create { flags |= O_CREAT }
        if exclusive { flags |= O_EXCL }
        if append { flags |= O_APPEND }
        return try call("open for writing", path) { () throws(Errno) in try SystemCall.open(path, flags) }
    }

    static func openReadWrite(_ path: String) throws(DatasetError) -> Int32 {
        try call("open", path) { () throws(Errno) in try SystemCall.open(path, O_RDWR | O_APPEND) }
    }

    /// Reads up to `count` bytes; returns 0 at end of file.
    static func read(_ fd: Int32, into buffer: UnsafeMutableRawPointer, count: Int, path: String) throws(DatasetError) -> Int {
        try call("read", path) { () throws(Errno) in
            try SystemCall.read(fd, into: UnsafeMutableRawBufferPointer(start: buffer, count: count))
        }
    }

    /// Reads up to `buffer.count` bytes at `offset` without moving the file position, looping
    /// over short reads; returns fewer only at the end of the file.
    static func readAll(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int, path: String) throws(DatasetError) -> Int {
        try call("read", path) { () throws(Errno) in try SystemCall.readAll(fd, into: buffer, at: offset) }
    }

    /// Writes all bytes, looping over short writes.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(DatasetError) {
        try call("write", path) { () throws(Errno) in try SystemCall.writeAll(fd, bytes) }
    }

    static func fsync(_ fd: Int32, path: String) throws(DatasetError) {
        try call("fsync", path) { () throws(Errno) in try SystemCall.sync(fd) }
    }

    static func truncate(_ fd: Int32, length: Int, path: String) throws(DatasetError) {
        try call("truncate", path) { () throws(Errno) in try SystemCall.truncate(fd, to: length) }
    }

    static func unlink(_ path: String) { SystemCall.unlink(path) }

    static func close(_ fd: Int32) { SystemCall.close(fd) }

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
}

extension Syscall {
    /// Writes all bytes at `offset` without moving the file position, looping over short writes.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int, path: String) throws(DatasetError) {
        try call("write", path) { () throws(Errno) in try SystemCall.writeAll(fd, bytes, at: offset) }
    }

    /// Creates a read-write file in `folder` and unlinks it at once, so it has no name to clean
    /// up: the space comes back when the descriptor is closed, or when the process dies.
    /// - Returns: The descriptor.
    static func scratchFile(in folder: String) throws(DatasetError) -> Int32 {
        var template = Array("\(folder)/.speechprep-scratch.XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw failure("create a scratch file", folder, Errno(rawValue: errno)) }
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
