public import Foundation
import SystemPackage
import SystemSupport

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
/// buffered and appended to a temporary file next to the destination (SystemSupport's
/// `AtomicOutput`, the package's one atomic writer); ``commit()`` makes the file appear under
/// its name. Without `commit()` (an error, or the writer is dropped) the temporary file is
/// removed and the destination is untouched.
public final class AtomicFileWriter {
    /// The destination path.
    public var path: String { output.path }
    /// The temporary file the bytes go to until ``commit()``.
    public var temporaryPath: String { output.temporaryPath }
    private let output: AtomicOutput
    private var buffer: [UInt8] = []
    private static let flushThreshold = 1 << 18

    /// Creates the temporary file next to `path`.
    /// - Parameter path: The destination; its folder must exist.
    /// - Throws: ``DatasetError`` `.io` when the temporary file cannot be created.
    public init(path: String) throws(DatasetError) {
        do { output = try AtomicOutput(path: path) } catch {
            throw Syscall.failure("create a temporary file in its folder", path, error)
        }
        buffer.reserveCapacity(Self.flushThreshold)
    }

    /// Appends bytes.
    /// - Parameter data: The bytes to append.
    /// - Throws: ``DatasetError`` `.io` when writing fails.
    public func write(_ data: Data) throws(DatasetError) {
        try write(bytes: data)
    }

    /// Appends the UTF-8 bytes of `text`.
    /// - Parameter text: The text to append.
    /// - Throws: ``DatasetError`` `.io` when writing fails.
    public func write(_ text: String) throws(DatasetError) {
        try write(bytes: text.utf8)
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
        do { try flush() } catch {
            discard()
            throw error
        }
        do { try output.commit() } catch {
            let (call, subject) = switch error.step {
            case .flush: ("fsync", temporaryPath)
            case .close: ("close", temporaryPath)
            case .rename: ("rename to \(path)", temporaryPath)
            case .syncFolder: ("fsync folder", Self.split(path).folder)
            }
            throw Syscall.failure(call, subject, error.errno)
        }
    }

    /// Abandons the output: the temporary file is removed and the destination left as it was.
    public func discard() {
        output.discard()
        buffer.removeAll()
    }

    /// Appends a block of bytes, written to the file directly (after what is buffered) instead
    /// of copied into the buffer: for callers that gather their own blocks.
    /// - Parameter bytes: The bytes to append.
    /// - Throws: ``DatasetError`` `.io` when writing fails.
    public func writeBlock(_ bytes: UnsafeRawBufferPointer) throws(DatasetError) {
        try flush()
        try writeOut(bytes)
    }

    private func flush() throws(DatasetError) {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { bytes in Result { () throws(DatasetError) in try writeOut(bytes) } }.get()
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeOut(_ bytes: UnsafeRawBufferPointer) throws(DatasetError) {
        do throws(Errno) { try output.write(bytes) } catch { throw Syscall.failure("write", temporaryPath, error) }
    }

    static func split(_ path: String) -> (folder: String, name: String) { AtomicOutput.split(path) }
}
