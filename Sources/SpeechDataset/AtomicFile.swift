public import Foundation

/// Writes files so that a reader sees either the old file or the complete new one, never a
/// part: the bytes go to a temporary file in the same folder, which is fsynced, renamed over
/// the destination, and then the folder is fsynced so the rename itself survives a crash.
public enum AtomicFile {
    /// Replaces the file at `path` with `data`, atomically.
    /// - Parameters:
    ///   - data: The complete new contents.
    ///   - path: The destination; its folder must exist.
    /// - Throws: ``DatasetError`` with code `.io` naming the file and the failing call.
    public static func write(_ data: Data, to path: String) throws(DatasetError) {
        let writer = try AtomicFileWriter(path: path)
        try writer.write(data)
        try writer.commit()
    }

    /// Replaces the file at `path` with the UTF-8 bytes of `text`, atomically.
    /// - Parameters:
    ///   - text: The complete new contents.
    ///   - path: The destination; its folder must exist.
    /// - Throws: ``DatasetError`` with code `.io` naming the file and the failing call.
    public static func write(_ text: String, to path: String) throws(DatasetError) {
        let writer = try AtomicFileWriter(path: path)
        try writer.write(text)
        try writer.commit()
    }
}

/// A streaming variant of ``AtomicFile`` for outputs too large to build in memory: bytes are
/// buffered and appended to a temporary file next to the destination; ``commit()`` makes the
/// file appear under its name. Without `commit()` (an error, or the writer is dropped) the
/// temporary file is removed and the destination is untouched.
public final class AtomicFileWriter {
    /// The destination path.
    public let path: String
    /// The temporary file the bytes go to until ``commit()``.
    public let temporaryPath: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    private var committed = false
    private static let flushThreshold = 1 << 18

    /// Creates the temporary file next to `path`.
    /// - Parameter path: The destination; its folder must exist.
    /// - Throws: ``DatasetError`` `.io` when the temporary file cannot be created.
    public init(path: String) throws(DatasetError) {
        self.path = path
        let (folder, name) = Self.split(path)
        var attempt = 0
        while true {
            let candidate = "\(folder)/.\(name).tmp-\(Syscall.processID)-\(UInt32.random(in: 0...UInt32.max))"
            do {
                fd = try Syscall.openForWriting(candidate, create: true, exclusive: true, append: false)
                temporaryPath = candidate
                break
            } catch {
                attempt += 1
                if attempt >= 8 { throw error }
            }
        }
        buffer.reserveCapacity(Self.flushThreshold)
    }

    /// Appends bytes.
    /// - Parameter data: The bytes to append.
    /// - Throws: ``DatasetError`` `.io` when writing fails.
    public func write(_ data: Data) throws(DatasetError) {
        buffer.append(contentsOf: data)
        if buffer.count >= Self.flushThreshold { try flush() }
    }

    /// Appends the UTF-8 bytes of `text`.
    /// - Parameter text: The text to append.
    /// - Throws: ``DatasetError`` `.io` when writing fails.
    public func write(_ text: String) throws(DatasetError) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= Self.flushThreshold { try flush() }
    }

    /// Appends raw bytes.
    /// - Parameter bytes: The bytes to append.
    /// - Throws: ``DatasetError`` `.io` when writing fails.
    public func write(bytes: some Sequence<UInt8>) throws(DatasetError) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.flushThreshold { try flush() }
    }

    /// Writes the buffered bytes, fsyncs the file, renames it over ``path`` and fsyncs the folder.
    /// - Throws: ``DatasetError`` `.io` naming the file and the failing call; the temporary file
    ///   is then removed.
    public func commit() throws(DatasetError) {
        precondition(!committed, "AtomicFileWriter.commit() called twice for \(path)")
        do {
            try flush()
            try Syscall.fsync(fd, path: temporaryPath)
            Syscall.close(fd)
            fd = -1
            try Syscall.rename(temporaryPath, to: path)
            committed = true
            try Syscall.fsyncDirectory(Self.split(path).folder)
        } catch {
            if !committed { discard() }
            throw error
        }
    }

    /// Abandons the output: the temporary file is removed and the destination left as it was.
    public func discard() {
        if fd >= 0 { Syscall.close(fd); fd = -1 }
        if !committed { Syscall.unlink(temporaryPath) }
        buffer.removeAll()
    }

    private func flush() throws(DatasetError) {
        guard !buffer.isEmpty else { return }
        let target = temporaryPath
        let descriptor = fd
        let result: Result<Void, DatasetError> = buffer.withUnsafeBytes { bytes in
            do throws(DatasetError) {
                try Syscall.writeAll(descriptor, bytes, path: target)
                return .success(())
            } catch { return .failure(error) }
        }
        try result.get()
        buffer.removeAll(keepingCapacity: true)
    }

    static func split(_ path: String) -> (folder: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let folder = String(path[..<slash])
        return (folder.isEmpty ? "/" : folder, String(path[path.index(after: slash)...]))
    }

    deinit { if !committed { discard() } }
}
