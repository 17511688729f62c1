internal import CSystemSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
public import SystemPackage

/// The package's one layer over the POSIX file calls: the "−1 means look at `errno`" rule,
/// the retry on `EINTR` and the loops over short reads and writes are written here once.
///
/// Every call throws the typed `Errno` (whose `description` is the C library's `strerror`
/// text); each module maps it to its own error code, naming the file and keeping the `Errno`
/// as the ``DomainError/cause``. Descriptors are plain `Int32` values, because the C libraries
/// SpeechPrep hands them to (libsndfile, libmpg123) take them so.
public enum SystemCall {
    /// The `errno` of the call that just failed on this thread.
    public static var lastError: Errno { Errno(rawValue: errno) }

    /// Opens a file. The corresponding C function is `open`; `O_CLOEXEC` is always added.
    /// - Parameters:
    ///   - path: The file to open.
    ///   - flags: `O_RDONLY`, `O_WRONLY | O_CREAT | O_EXCL`, … .
    ///   - permissions: The mode of a file that `O_CREAT` creates.
    /// - Returns: The new descriptor.
    /// - Throws: The call's `Errno`.
    public static func open(_ path: String, _ flags: Int32, permissions: UInt32 = 0o644) throws(Errno) -> Int32 {
        try retrying { Glibc.open(path, flags | O_CLOEXEC, mode_t(permissions)) }
    }

    /// Opens a file relative to an open folder, for hot loops that keep the path in C memory.
    /// The corresponding C function is `openat`; `O_CLOEXEC` is always added.
    /// - Parameters:
    ///   - folder: An open folder's descriptor, or `AT_FDCWD`.
    ///   - path: A NUL-terminated path relative to it.
    ///   - flags: `O_RDONLY`, … .
    /// - Returns: The new descriptor.
    /// - Throws: The call's `Errno`.
    public static func open(in folder: Int32, _ path: UnsafePointer<CChar>, _ flags: Int32) throws(Errno) -> Int32 {
        try retrying { openat(folder, path, flags | O_CLOEXEC) }
    }

    /// Reads up to `buffer.count` bytes at the file position. The corresponding C function is `read`.
    /// - Parameters:
    ///   - descriptor: An open descriptor.
    ///   - buffer: Where the bytes go.
    /// - Returns: The number of bytes read; 0 at the end of the file.
    /// - Throws: The call's `Errno`.
    public static func read(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer) throws(Errno) -> Int {
        try retrying { Glibc.read(descriptor, buffer.baseAddress, buffer.count) }
    }

    /// Fills `buffer` from the file position (or from `offset`, leaving the position alone),
    /// looping over short reads. The corresponding C functions are `read` and `pread`.
    /// - Parameters:
    ///   - descriptor: An open descriptor.
    ///   - buffer: Where the bytes go.
    ///   - offset: The byte offset to read at, or `nil` for the file position.
    /// - Returns: The number of bytes read; fewer than `buffer.count` only at the end of the file.
    /// - Throws: The call's `Errno`.
    public static func readAll(
        _ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int? = nil
    ) throws(Errno) -> Int {
        var filled = 0
        while filled < buffer.count {
            let rest = UnsafeMutableRawBufferPointer(rebasing: buffer[filled...])
            let n = try retrying {
                if let offset { pread(descriptor, rest.baseAddress, rest.count, off_t(offset + filled)) }
                else { Glibc.read(descriptor, rest.baseAddress, rest.count) }
            }
            if n == 0 { break }
            filled += n
        }
        return filled
    }

    /// Writes all of `bytes` at the file position (or at `offset`, leaving the position alone),
    /// looping over short writes. The corresponding C functions are `write` and `pwrite`.
    /// - Parameters:
    ///   - descriptor: An open descriptor.
    ///   - bytes: The bytes to write.
    ///   - offset: The byte offset to write at, or `nil` for the file position.
    /// - Throws: The call's `Errno`; a write that makes no progress counts as `ENOSPC`.
    public static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int? = nil) throws(Errno) {
        var done = 0
        while done < bytes.count {
            let rest = UnsafeRawBufferPointer(rebasing: bytes[done...])
            let n = try retrying {
                if let offset { pwrite(descriptor, rest.baseAddress, rest.count, off_t(offset + done)) }
                else { Glibc.write(descriptor, rest.baseAddress, rest.count) }
            }
            guard n > 0 else { throw Errno.noSpace }
            done += n
        }
    }

    /// Forces a file's data and metadata to disk. The corresponding C function is `fsync`.
    /// - Parameter descriptor: An open descriptor.
    /// - Throws: The call's `Errno`.
    public static func sync(_ descriptor: Int32) throws(Errno) {
        _ = try retrying { fsync(descriptor) }
    }

    /// Starts writing a range of a file's dirty pages to disk and returns without waiting, so a
    /// later `fsync` finds less left to do. Only a hint: a file system that does not support it
    /// is ignored. The corresponding C function is `sync_file_range` with
    /// `SYNC_FILE_RANGE_WRITE`.
    /// - Parameters:
    ///   - descriptor: An open descriptor.
    ///   - offset: The range's first byte.
    ///   - count: The range's length.
    public static func startWriteback(_ descriptor: Int32, offset: Int, count: Int) {
        _ = try? retrying { speechprep_start_writeback(descriptor, Int64(offset), Int64(count)) }
    }

    /// Forces a folder's entries to disk, so a rename or a new file inside it survives a crash.
    /// The corresponding C functions are `open` and `fsync`.
    /// - Parameter path: The folder.
    /// - Throws: The call's `Errno`.
    public static func syncFolder(_ path: String) throws(Errno) {
        let descriptor = try open(path, O_RDONLY | O_DIRECTORY)
        defer { close(descriptor) }
        try sync(descriptor)
    }

    /// Forces every file written on the file system that holds `path` to disk. The
    /// corresponding C function is `syncfs` (Glibc does not export it to Swift, hence the
    /// direct binding).
    /// - Parameter path: A file or folder on that file system.
    /// - Throws: The call's `Errno`.
    public static func syncFileSystem(containing path: String) throws(Errno) {
        let descriptor = try open(path, O_RDONLY)
        defer { close(descriptor) }
        _ = try retrying { system_syncfs(descriptor) }
    }

    /// Cuts a file to `length` bytes. The corresponding C function is `ftruncate`.
    /// - Parameters:
    ///   - descriptor: A descriptor open for writing.
    ///   - length: The new length in bytes.
    /// - Throws: The call's `Errno`.
    public static func truncate(_ descriptor: Int32, to length: Int) throws(Errno) {
        _ = try retrying { ftruncate(descriptor, off_t(length)) }
    }

    /// Renames a file, replacing `destination` atomically. The corresponding C function is `rename`.
    /// - Parameters:
    ///   - source: The current path.
    ///   - destination: The new path.
    /// - Throws: The call's `Errno`.
    public static func rename(_ source: String, to destination: String) throws(Errno) {
        _ = try retrying { Glibc.rename(source, destination) }
    }

    /// Closes a descriptor; the descriptor is gone whatever the result. The corresponding C
    /// function is `close` (never retried: on Linux the descriptor is released even on `EINTR`).
    /// - Parameter descriptor: An open descriptor.
    /// - Throws: The call's `Errno` (a write the kernel deferred may fail only now).
    public static func closeChecked(_ descriptor: Int32) throws(Errno) {
        guard Glibc.close(descriptor) == 0 else { throw lastError }
    }

    /// Closes a descriptor, ignoring errors (for descriptors only read from, and clean-up paths).
    /// - Parameter descriptor: An open descriptor.
    public static func close(_ descriptor: Int32) { _ = Glibc.close(descriptor) }

    /// Removes a file, ignoring errors (for clean-up). The corresponding C function is `unlink`.
    /// - Parameter path: The file to remove.
    public static func unlink(_ path: String) { _ = Glibc.unlink(path) }

    /// The size and kind of an open file. The corresponding C function is `fstat`.
    /// - Parameter descriptor: An open descriptor.
    /// - Returns: The size in bytes, and whether it is a folder.
    /// - Throws: The call's `Errno`.
    public static func status(_ descriptor: Int32) throws(Errno) -> (size: Int, isFolder: Bool, owner: UInt32) {
        var info = stat()
        _ = try retrying { fstat(descriptor, &info) }
        return (Int(info.st_size), info.st_mode & S_IFMT == S_IFDIR, info.st_uid)
    }

    /// Reads a small file whole: a lock, progress or exit record, a registry entry, a `/proc`
    /// file. Foundation's `FileManager.contents(atPath:)` does the same but leaves 4 KiB read
    /// buffers behind (LeakSanitizer; Docs/notes/sanitizers.md).
    ///
    /// A file that reports size 0 (those of `/proc` and `/sys`, or an empty one) is read to its
    /// end, 4 KiB at a time.
    /// - Parameters:
    ///   - path: The file.
    ///   - limit: The most bytes to read; a longer file is cut there.
    /// - Returns: The file's bytes, or `nil` when it cannot be opened or read.
    public static func contents(of path: String, limit: Int = 1 << 20) -> [UInt8]? {
        guard let descriptor = try? open(path, O_RDONLY) else { return nil }
        defer { close(descriptor) }
        guard let size = try? status(descriptor).size else { return nil }
        var bytes = [UInt8](repeating: 0, count: max(0, min(size > 0 ? size : 4_096, limit)))
        var filled = 0
        while true {
            let start = filled
            guard let count = try? bytes.withUnsafeMutableBytes({ (buffer) throws(Errno) in
                try readAll(descriptor, into: UnsafeMutableRawBufferPointer(rebasing: buffer[start...]))
            }) else { return nil }
            filled += count
            // A short read is the end; a full buffer of a file of unknown size may have more.
            if filled < bytes.count || size > 0 || bytes.count >= limit { break }
            bytes += repeatElement(0, count: min(bytes.count, limit - bytes.count))
        }
        bytes.removeSubrange(filled...)
        return bytes
    }

    /// Runs a call until it is not interrupted; −1 becomes the thread's `errno`.
    /// - Parameter call: The system call, returning −1 on failure.
    /// - Returns: What the call returned.
    /// - Throws: The call's `Errno`.
    @inline(__always)
    static func retrying<T: BinaryInteger>(_ call: () -> T) throws(Errno) -> T {
        while true {
            let result = call()
            if result >= 0 { return result }
            if errno != EINTR { throw lastError }
        }
    }
}

@_silgen_name("syncfs") private func system_syncfs(_ descriptor: Int32) -> Int32
