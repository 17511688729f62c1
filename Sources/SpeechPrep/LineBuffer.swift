import Foundation
import SpeechDataset

/// An output file of ``PipelineOutputs``: its lines are copied (`memcpy`) into a buffer of
/// its own and written a block at a time (``AtomicFileWriter/writeBlock(_:)``), so a merge that writes
/// three lines per record spends no allocation, uniqueness check or generic append on each.
/// The buffer holds one block plus at most the longest line, whatever the file's length
/// (two such blocks with a ``BlockWriter``, which writes one while the other fills).
final class LineBuffer {
    /// The file the lines go to.
    let file: AtomicFileWriter
    /// The block being filled, and its bytes.
    private var block: BlockWriter.Block
    private var storage: UnsafeMutableRawPointer
    private var capacity: Int
    private var count = 0
    private let writer: BlockWriter?
    /// Where the writer hands back the block it was given, when one is out.
    private let returned = BlockingQueue<BlockWriter.Returned>(capacity: 1)
    private var blockIsOut = false
    /// How many bytes are handed over at once.
    private static let blockSize = 1 << 18

    /// Creates the file's temporary file.
    /// - Parameters:
    ///   - path: The destination.
    ///   - writer: Writes the full blocks on its thread; `nil`: on the caller's.
    /// - Throws: ``DatasetError`` `.io` when the temporary file cannot be created.
    init(path: String, writer: BlockWriter? = nil) throws(DatasetError) {
        file = try AtomicFileWriter(path: path)
        self.writer = writer
        block = BlockWriter.Block(capacity: Self.blockSize + (1 << 12))
        storage = block.storage
        capacity = block.capacity
    }

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
        _ = try takeBack()
        try file.writeBlock(UnsafeRawBufferPointer(start: storage, count: count))
        count = 0
        try file.commit()
    }

    private func flush() throws(DatasetError) {
        guard let writer else {
            try file.writeBlock(UnsafeRawBufferPointer(start: storage, count: count))
            count = 0
            return
        }
        let spare = try takeBack() ?? BlockWriter.Block(capacity: capacity)
        writer.write(BlockWriter.Job(file: file, block: block, count: count, done: returned))
        blockIsOut = true
        use(spare, keeping: 0)
    }

    /// Waits for the block out with the writer, if any.
    /// - Returns: The block, free again.
    /// - Throws: The error of its write.
    private func takeBack() throws(DatasetError) -> BlockWriter.Block? {
        guard blockIsOut else { return nil }
        blockIsOut = false
        let back = returned.pop()!
        if let error = back.error { throw error }
        return back.block
    }

    private func grow(to needed: Int) {
        use(BlockWriter.Block(capacity: max(needed, capacity * 2)), keeping: count)
    }

    /// Fills `next` from now on, after the first `kept` bytes of the current block.
    private func use(_ next: BlockWriter.Block, keeping kept: Int) {
        next.storage.copyMemory(from: storage, byteCount: kept)
        block = next
        storage = next.storage
        capacity = next.capacity
        count = kept
    }
}
