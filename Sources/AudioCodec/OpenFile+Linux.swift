#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A file descriptor opened for reading, owned by one object and closed in `deinit`.
///
/// Opening goes through `open(2)` directly so that "not found", "permission denied" and "is a
/// folder" are told apart before any codec library sees the file.
final class OpenFile {
    /// The path the file was opened from.
    let path: String
    /// The descriptor; valid until the object is released.
    let descriptor: Int32
    /// The file's size in bytes when it was opened.
    let size: Int

    /// Opens a file for reading. The corresponding C functions are `open` and `fstat`.
    /// - Parameters:
    ///   - openPath: The path to open.
    ///   - name: The path to show in errors and keep as ``path``, when it differs.
    /// - Throws: ``CodecError`` with `notFound`, `permissionDenied`, `isDirectory` or `readFailed`.
    init(reading openPath: String, reportedAs name: String? = nil) throws(CodecError) {
        let path = name ?? openPath
        self.path = path
        let fd = open(openPath, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw CodecError.fromErrno(errno, path: path, doing: "open it") }
        var status = stat()
        guard fstat(fd, &status) == 0 else {
            let code = errno
            close(fd)
            throw CodecError.fromErrno(code, path: path, doing: "inspect it")
        }
        if status.st_mode & S_IFMT == S_IFDIR {
            close(fd)
            throw CodecError(.isDirectory, subject: path, "this is a folder, not an audio file")
        }
        descriptor = fd
        size = Int(status.st_size)
    }

    deinit { close(descriptor) }

    /// Opens the same file again with its own read position, through `/proc/self/fd`, so a
    /// file renamed or replaced since is not mistaken for it.
    /// - Returns: A second, independent descriptor of the same file.
    /// - Throws: ``CodecError`` as ``init(reading:)`` does.
    func reopened() throws(CodecError) -> OpenFile {
        try OpenFile(reading: "/proc/self/fd/\(descriptor)", reportedAs: path)
    }

    /// Reads up to `count` bytes from the start of the file without moving the file offset.
    /// The corresponding C function is `pread`.
    /// - Parameter count: The most bytes to read.
    /// - Returns: The bytes read; fewer when the file is shorter.
    /// - Throws: `CodecError.Code.readFailed` when the read fails.
    func prefix(_ count: Int) throws(CodecError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let n = bytes.withUnsafeMutableBytes { raw in
                pread(descriptor, raw.baseAddress! + filled, count - filled, off_t(filled))
            }
            if n < 0, errno == EINTR { continue }
            if n < 0 { throw CodecError.fromErrno(errno, path: path, doing: "read it") }
            if n == 0 { break }
            filled += n
        }
        return Array(bytes[0..<filled])
    }
}

extension CodecError {
    /// Translates an `errno` value into an error naming the file.
    /// - Parameters:
    ///   - code: The `errno` value.
    ///   - path: The file concerned.
    ///   - action: What was being done, for the message ("open it", "write it").
    /// - Returns: The error.
    static func fromErrno(_ code: Int32, path: String, doing action: String) -> CodecError {
        let reason = String(cString: strerror(code))
        switch code {
        case ENOENT, ENOTDIR: return CodecError(.notFound, subject: path, "no such file")
        case EACCES, EPERM: return CodecError(.permissionDenied, subject: path, "permission denied when trying to \(action)")
        case EISDIR: return CodecError(.isDirectory, subject: path, "this is a folder, not an audio file")
        case ENOSPC, EDQUOT, EFBIG, EROFS:
            return CodecError(.writeFailed, subject: path, "could not \(action): \(reason)")
        default: return CodecError(.readFailed, subject: path, "could not \(action): \(reason)")
        }
    }
}
