import Foundation
import SpeechDataset

/// An output file of ``PipelineOutputs``: its lines are copied (`memcpy`) into a buffer of
/// its own and handed to the ``AtomicFileWriter`` a block at a time, so a merge that writes
/// three lines per record spends no allocation, uniqueness check or generic append on each.
/// The buffer holds one block plus at most the longest line, whatever the file's length.
final class LineBuffer {
    /// The file the lines go to.
    let file: AtomicFileWriter
    private var storage: UnsafeMutableRawPointer
    private var capacity: Int
    private var count = 0
    /// How many bytes are handed over at once.
    private static let blockSize = 1 << 18

    /// Creates the file's temporary file.
    /// - Parameter path: The destination.
    /// - Throws: ``DatasetError`` `.io` when the temporary file cannot be created.
    init(path: String) throws(DatasetError) {
        file = try AtomicFileWriter(path: path)
        capacity = Self.blockSize + (1 << 12)
        storage = .allocate(byteCount: capacity, alignment: 16)
    }

    deinit { storage.deallocate() }

    /// The destination path.
    var path: String { file.path }

    /// Appends bytes (call ``endLine()`` after each line).
    @inline(__always) func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress else { return }
        if count + bytes.count > capacity { grow(to: count + bytes.count) }
        (storage + count).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }

    /// Appends bytes.
    @inline(__always) func append(_ bytes: UnsafeBufferPointer<UInt8>) { append(UnsafeRawBufferPointer(bytes)) }

    /// Appends a literal.
    @inline(__always) func append(_ text: StaticString) {
        append(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends one byte.
    @inline(__always) func append(_ byte: UInt8) {
        if count == capacity { grow(to: count + 1) }
        storage.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
        count += 1
    }

    /// Appends a string's UTF-8.
    func append(contentsOf text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    /// Hands the buffer to the file once it holds a block.
    /// - Throws: ``DatasetError`` `.io` when writing fails.
    @inline(__always) func endLine() throws(DatasetError) {
        if count >= Self.blockSize { try flush() }
    }

    /// Writes what is buffered and commits the file (``AtomicFileWriter/commit()``).
    /// - Throws: ``DatasetError`` `.io` when writing, syncing or renaming fails.
    func commit() throws(DatasetError) {
        try flush()
        try file.commit()
    }

    private func flush() throws(DatasetError) {
        try file.write(bytes: UnsafeRawBufferPointer(start: storage, count: count))
        count = 0
    }

    private func grow(to needed: Int) {
        let bigger = UnsafeMutableRawPointer.allocate(byteCount: max(needed, capacity * 2), alignment: 16)
        bigger.copyMemory(from: storage, byteCount: count)
        storage.deallocate()
        storage = bigger
        capacity = max(needed, capacity * 2)
    }
}
