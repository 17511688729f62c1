#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import SystemPackage
import SystemSupport

/// A temporary file next to its final path that becomes that path only when committed.
///
/// The temporary file is hidden (`.name.XXXXXX.partial`) in the target's folder so the final
/// `rename` stays on one file system and is atomic. Released without ``commit()``, it removes
/// the temporary file and leaves the final path untouched.
final class AtomicOutput {
    /// Where the file goes when committed.
    let path: String
    /// The temporary file's path.
    let temporaryPath: String
    /// The temporary file's descriptor, open for reading and writing.
    let descriptor: Int32
    private var isOpen = true
    private var committed = false

    /// Creates the temporary file. The corresponding C function is `mkstemps`.
    /// - Parameter path: The final path.
    /// - Throws: ``CodecError`` when the folder does not exist or is not writable.
    init(path: String) throws(CodecError) {
        self.path = path
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        var template = Array("\(folder.isEmpty ? "/" : folder)/.\(name).XXXXXX.partial".utf8CString)
        let suffixLength = Int32(".partial".utf8.count)
        let fd = template.withUnsafeMutableBufferPointer { mkstemps($0.baseAddress!, suffixLength) }
        guard fd >= 0 else { throw CodecError.fromErrno(SystemCall.lastError, path: path, doing: "create a file in its folder") }
        descriptor = fd
        temporaryPath = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        // mkstemps creates 0600; give the output the usual permissions a new file gets.
        fchmod(fd, 0o666 & ~processFileCreationMask)
    }

    deinit {
        if isOpen { close(descriptor) }
        if !committed { unlink(temporaryPath) }
    }

    /// Flushes the file to disk and renames it into place, then flushes the folder.
    /// The corresponding C functions are `fsync`, `close` and `rename`.
    /// - Parameter durability: With ``OutputDurability/deferred`` neither `fsync` is made.
    /// - Throws: `CodecError.Code.writeFailed`; the temporary file is then removed.
    func commit(_ durability: OutputDurability = .synced) throws(CodecError) {
        guard isOpen else { throw CodecError(.closed, subject: path, "the file was already completed") }
        isOpen = false
        if durability == .synced, fsync(descriptor) != 0 {
            let code = errno
            close(descriptor)
            throw CodecError.fromErrno(Errno(rawValue: code), path: path, doing: "flush it to disk").asWriteFailure
        }
        if close(descriptor) != 0 { throw CodecError.fromErrno(SystemCall.lastError, path: path, doing: "close it").asWriteFailure }
        if rename(temporaryPath, path) != 0 {
            throw CodecError.fromErrno(SystemCall.lastError, path: path, doing: "move it into place").asWriteFailure
        }
        committed = true
        guard durability == .synced else { return }
        let folder = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        let folderDescriptor = open(folder.isEmpty ? "/" : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folderDescriptor >= 0 {
            fsync(folderDescriptor)
            close(folderDescriptor)
        }
    }
}

/// The process's umask, read once from `/proc/self/status`: asking `umask(2)` means setting
/// it, and setting it even for a moment changes the permissions of files other threads create
/// at that moment. (Without the `Umask:` line, Linux before 4.7, it falls back to that race.)
private let processFileCreationMask: mode_t = {
    var bytes = [UInt8](repeating: 0, count: 4_096)
    let fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC)
    let count = fd < 0 ? 0 : bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
    if fd >= 0 { close(fd) }
    let status = String(decoding: bytes.prefix(max(0, count)), as: UTF8.self)
    if let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Umask:") }),
        let mask = mode_t(String(line.dropFirst("Umask:".count).filter { !$0.isWhitespace }), radix: 8)
    {
        return mask
    }
    let mask = umask(0)
    umask(mask)
    return mask
}()

@_silgen_name("syncfs") private func system_syncfs(_ descriptor: Int32) -> Int32

extension OutputDurability {
    /// Forces every file written on the file system that holds `path` to disk: the commit
    /// step of ``OutputDurability/deferred`` outputs. The corresponding C function is
    /// `syncfs` (Glibc does not export it to Swift, hence the direct binding).
    /// - Parameter path: A file or folder on the file system to synchronise.
    /// - Throws: `CodecError.Code.writeFailed` when the file system reports a write error.
    public static func synchronizeFileSystem(containing path: String) throws(CodecError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw CodecError.fromErrno(SystemCall.lastError, path: path, doing: "open it to synchronise its file system") }
        defer { close(descriptor) }
        if system_syncfs(descriptor) != 0 {
            throw CodecError.fromErrno(SystemCall.lastError, path: path, doing: "flush its file system to disk").asWriteFailure
        }
    }
}

extension CodecError {
    /// The same error as a write failure, unless it is already about permissions.
    var asWriteFailure: CodecError {
        code == .permissionDenied || code == .writeFailed ? self : CodecError(.writeFailed, subject: subject, message, cause: cause)
    }
}
