#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import SystemPackage
import SystemSupport

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
        let fd: Int32
        do { fd = try SystemCall.open(openPath, O_RDONLY) } catch { throw CodecError.fromErrno(error, path: path, doing: "open it") }
        let status: (size: Int, isFolder: Bool, owner: UInt32)
        do { status = try SystemCall.status(fd) } catch {
            SystemCall.close(fd)
            throw CodecError.fromErrno(error, path: path, doing: "inspect it")
        }
        if status.isFolder {
            SystemCall.close(fd)
            throw CodecError(.isDirectory, subject: path, "this is a folder, not an audio file")
        }
        descriptor = fd
        size = status.size
    }

    deinit { SystemCall.close(descriptor) }

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
        let descriptor = descriptor
        let filled = bytes.withUnsafeMutableBytes { raw in
            Result { () throws(Errno) in try SystemCall.readAll(descriptor, into: raw, at: 0) }
        }
        switch filled {
        case .success(let filled): return Array(bytes[0..<filled])
        case .failure(let error): throw CodecError.fromErrno(error, path: path, doing: "read it")
        }
    }
}

extension CodecError {
    /// Translates an `errno` value into an error naming the file, with the `Errno` as its cause.
    /// - Parameters:
    ///   - errno: The failed call's `Errno`.
    ///   - path: The file concerned.
    ///   - action: What was being done, for the message ("open it", "write it").
    /// - Returns: The error.
    static func fromErrno(_ errno: Errno, path: String, doing action: String) -> CodecError {
        let code: Code = switch errno {
        case .noSuchFileOrDirectory, .notDirectory: .notFound
        case .permissionDenied, .notPermitted: .permissionDenied
        case .isDirectory: .isDirectory
        case .noSpace, .diskQuotaExceeded, .fileTooLarge, .readOnlyFileSystem: .writeFailed
        default: .readFailed
        }
        let message = switch code {
        case .notFound: "no such file"
        case .permissionDenied: "permission denied when trying to \(action)"
        case .isDirectory: "this is a folder, not an audio file"
        default: "could not \(action): \(errno.description)"
        }
        return CodecError(code, subject: path, message, cause: errno)
    }
}
