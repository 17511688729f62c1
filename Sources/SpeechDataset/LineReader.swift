/// Reads a file line by line in fixed-size blocks, so memory is bounded by the longest line,
/// not the file. Lines are handed out as byte views that stay valid until the next call.
/// The bytes come from a file, or from any stream (an archive member) through a read function.
package final class LineReader {
    package let path: String
    private var fd: Int32
    /// Reads the next bytes of a stream into the buffer, returning 0 at its end.
    private let readStream: ((UnsafeMutableRawBufferPointer) throws(DatasetError) -> Int)?
    private var storage: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var start = 0
    private var end = 0
    private var atEnd = false
    /// File offset of `storage[0]`.
    private var bufferOffset = 0
    /// The 1-based number of the line last returned.
    private(set) var lineNumber = 0
    /// File offset of the first byte of the line last returned.
    private(set) var lineStartOffset = 0
    /// File offset just past the line last returned (and its newline, if it had one).
    private(set) var lineEndOffset = 0
    /// Whether the line last returned ended with a newline (false only for a torn last line).
    private(set) var lineWasTerminated = true

    package init(path: String, blockSize: Int = 1 << 18) throws(DatasetError) {
        self.path = path
        fd = try Syscall.openForReading(path)
        readStream = nil
        capacity = blockSize
        storage = .allocate(capacity: blockSize)
    }

    /// Reads lines from a stream.
    /// - Parameters:
    ///   - name: What to call the stream in messages (e.g. `archive.tar.gz/en/test.tsv`).
    ///   - blockSize: The initial buffer size.
    ///   - read: Fills the buffer with the next bytes, returning how many; 0 at the end.
    init(name: String, blockSize: Int = 1 << 18, read: @escaping (UnsafeMutableRawBufferPointer) throws(DatasetError) -> Int) {
        path = name
        fd = -1
        readStream = read
        capacity = blockSize
        storage = .allocate(capacity: blockSize)
    }

    deinit {
        if fd >= 0 { Syscall.close(fd) }
        storage.deallocate()
    }

    /// The next line without its `\n` (and without a `\r` before it), or `nil` at the end.
    package func next() throws(DatasetError) -> UnsafeBufferPointer<UInt8>? {
        while true {
            if let newline = Syscall.find(0x0A, in: storage, from: start, to: end) {
                return emit(upTo: newline, terminated: true)
            }
            if atEnd {
                guard start < end else { return nil }
                return emit(upTo: end, terminated: false)
            }
            try refill()
        }
    }

    private func emit(upTo stop: Int, terminated: Bool) -> UnsafeBufferPointer<UInt8> {
        lineNumber += 1
        lineStartOffset = bufferOffset + start
        var last = stop
        if last > start && storage[last - 1] == 0x0D { last -= 1 }
        let line = UnsafeBufferPointer(start: storage + start, count: last - start)
        start = terminated ? stop + 1 : stop
        lineEndOffset = bufferOffset + start
        lineWasTerminated = terminated
        return line
    }

    private func refill() throws(DatasetError) {
        if start > 0 {
            let pending = end - start
            if pending > 0 { Syscall.moveBytes(storage, from: start, count: pending) }
            bufferOffset += start
            start = 0
            end = pending
        }
        if end == capacity {
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
            bigger.update(from: storage, count: end)
            storage.deallocate()
            storage = bigger
            capacity *= 2
        }
        let n = if let readStream {
            try readStream(UnsafeMutableRawBufferPointer(start: storage + end, count: capacity - end))
        } else {
            try Syscall.read(fd, into: storage + end, count: capacity - end, path: path)
        }
        if n == 0 { atEnd = true } else { end += n }
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// The bytes as text, or `nil` when they are not valid UTF-8.
    var validatedString: String? {
        var ascii = true
        for byte in self where byte >= 0x80 { ascii = false; break }
        return ascii ? String(decoding: self, as: UTF8.self) : String(validating: self, as: UTF8.self)
    }

    /// Whether the bytes are only spaces, tabs and carriage returns.
    var isBlank: Bool { allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D } }
}
