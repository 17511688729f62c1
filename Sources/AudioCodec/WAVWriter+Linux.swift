#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import SystemPackage
import SystemSupport

/// Writes WAV data to a descriptor with the canonical 44-byte header, becoming RF64 only when
/// the data passes what a RIFF size field can hold.
///
/// libsndfile's RF64-with-downgrade output reserves room with a `JUNK` chunk and writes
/// `WAVE_FORMAT_EXTENSIBLE` and `fact` chunks, which Python's `wave`, Kaldi and pocketsphinx
/// reject. This writer puts out what they all read: `RIFF`, a 16-byte `fmt ` chunk (format tag
/// 1 for integers, 3 for float) and `data` at byte 36. Sizes are written as 0 and patched at
/// ``finish()``, so the length need not be known in advance. When the data turns out too large
/// for RIFF (more than 4 GiB), ``finish()`` moves it 36 bytes further to make room for a `ds64`
/// chunk and writes an RF64 header, as EBU Tech 3306 describes — a one-off copy that only
/// files past 4 GiB pay.
final class WAVWriter {
    /// The canonical header's length.
    static let headerSize = 44
    /// The RF64 header's length: the canonical one plus a 36-byte `ds64` chunk.
    static let rf64HeaderSize = 80

    private let descriptor: Int32
    private let path: String
    private let type: AudioFileType
    private let sampleRate: Int
    private let bytesPerSample: Int
    private let channelCount: Int
    private var pending: [UInt8] = []
    /// Data bytes handed to the file so far (excluding any in `pending`).
    private var flushedBytes: UInt64 = 0
    private static let flushThreshold = 1 << 16

    /// Writes the header with zero sizes.
    /// - Parameters:
    ///   - descriptor: A descriptor open for reading and writing, at offset 0 of an empty file.
    ///   - path: The final path, for messages.
    ///   - type: A WAV file type.
    ///   - sampleRate: Frames per second.
    ///   - channelCount: Samples per frame.
    /// - Throws: `CodecError.Code.writeFailed` when the header cannot be written.
    init(descriptor: Int32, path: String, type: AudioFileType, sampleRate: Int, channelCount: Int) throws(CodecError) {
        precondition(type.isWAV)
        self.descriptor = descriptor
        self.path = path
        self.type = type
        self.sampleRate = sampleRate
        self.channelCount = channelCount
        bytesPerSample = type.bitDepth / 8
        pending.reserveCapacity(Self.flushThreshold + 4_096)
        try writeFully(Self.header(type: type, sampleRate: sampleRate, channelCount: channelCount, dataSize: 0, rf64: false), at: 0)
    }

    /// Appends left-justified integers (the top `bitDepth` bits are the sample), little-endian.
    /// - Throws: `CodecError.Code.writeFailed`.
    func writeIntegers(_ samples: UnsafeBufferPointer<Int32>) throws(CodecError) {
        let width = bytesPerSample
        append(byteCount: samples.count * width) { bytes in
            for (i, sample) in samples.enumerated() {
                let value = UInt32(bitPattern: sample) >> UInt32(32 - 8 * width)
                for byte in 0..<width { bytes[i * width + byte] = UInt8(truncatingIfNeeded: value >> UInt32(8 * byte)) }
            }
        }
        if pending.count >= Self.flushThreshold { try flush() }
    }

    /// Appends 32-bit IEEE floats, little-endian.
    /// - Throws: `CodecError.Code.writeFailed`.
    func writeFloats(_ samples: UnsafeBufferPointer<Float>) throws(CodecError) {
        append(byteCount: samples.count * 4) { bytes in
            for (i, sample) in samples.enumerated() {
                withUnsafeBytes(of: sample.bitPattern.littleEndian) { bytes.baseAddress!.advanced(by: 4 * i).update(from: $0.baseAddress!.assumingMemoryBound(to: UInt8.self), count: 4) }
            }
        }
        if pending.count >= Self.flushThreshold { try flush() }
    }

    /// Grows the buffer by `byteCount` bytes and lets `fill` write them.
    private func append(byteCount: Int, _ fill: (UnsafeMutableBufferPointer<UInt8>) -> Void) {
        let start = pending.count
        pending.append(contentsOf: repeatElement(0, count: byteCount))
        pending.withUnsafeMutableBufferPointer { all in
            fill(UnsafeMutableBufferPointer(rebasing: all[start..<start + byteCount]))
        }
    }

    /// Writes what is buffered, pads the data to an even length, and fills in the sizes —
    /// as RIFF, or as RF64 when the data is too large for RIFF.
    /// - Throws: `CodecError.Code.writeFailed`.
    func finish() throws(CodecError) {
        let dataSize = flushedBytes + UInt64(pending.count)
        if dataSize % 2 == 1 { pending.append(0) }  // A chunk's data is padded to an even length.
        try flush()
        let riffSize = UInt64(Self.headerSize - 8) + flushedBytes
        if riffSize <= UInt64(UInt32.max) {
            try writeFully(Self.littleEndian(UInt32(riffSize)), at: 4)
            try writeFully(Self.littleEndian(UInt32(dataSize)), at: 40)
            return
        }
        try moveData(by: UInt64(Self.rf64HeaderSize - Self.headerSize), length: flushedBytes)
        let header = Self.header(
            type: type, sampleRate: sampleRate, channelCount: channelCount, dataSize: dataSize, rf64: true,
            riffSize: riffSize + UInt64(Self.rf64HeaderSize - Self.headerSize))
        try writeFully(header, at: 0)
    }

    /// The header: `RIFF` (or `RF64` + `ds64`), a 16-byte `fmt ` chunk, and the `data` chunk's header.
    static func header(
        type: AudioFileType, sampleRate: Int, channelCount: Int, dataSize: UInt64, rf64: Bool, riffSize: UInt64 = 0
    ) -> [UInt8] {
        let bytesPerSample = type.bitDepth / 8
        var bytes: [UInt8] = []
        bytes.reserveCapacity(rf64HeaderSize)
        let sizeField = { (size: UInt64) in littleEndian(rf64 ? UInt32.max : UInt32(truncatingIfNeeded: size)) }
        bytes += Array((rf64 ? "RF64" : "RIFF").utf8) + sizeField(riffSize) + Array("WAVE".utf8)
        if rf64 {
            let frames = dataSize / UInt64(bytesPerSample * channelCount)
            bytes += Array("ds64".utf8) + littleEndian(UInt32(28))
            bytes += littleEndian(riffSize) + littleEndian(dataSize) + littleEndian(frames) + littleEndian(UInt32(0))
        }
        bytes += Array("fmt ".utf8) + littleEndian(UInt32(16))
        bytes += littleEndian(UInt16(type == .wav32Float ? 3 : 1)) + littleEndian(UInt16(channelCount))
        bytes += littleEndian(UInt32(sampleRate)) + littleEndian(UInt32(sampleRate * channelCount * bytesPerSample))
        bytes += littleEndian(UInt16(channelCount * bytesPerSample)) + littleEndian(UInt16(type.bitDepth))
        bytes += Array("data".utf8) + sizeField(dataSize)
        return bytes
    }

    private static func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }

    private func flush() throws(CodecError) {
        guard !pending.isEmpty else { return }
        try writeFully(pending, at: UInt64(Self.headerSize) + flushedBytes)
        flushedBytes += UInt64(pending.count)
        pending.removeAll(keepingCapacity: true)
    }

    /// Moves `length` bytes starting at the data offset `distance` bytes further, from the
    /// end backwards so nothing is overwritten before it is copied; memory stays one block.
    private func moveData(by distance: UInt64, length: UInt64) throws(CodecError) {
        let blockSize: UInt64 = 1 << 22
        var block = [UInt8](repeating: 0, count: Int(blockSize))
        var end = length
        while end > 0 {
            let start = end > blockSize ? end - blockSize : 0
            let count = Int(end - start)
            let source = UInt64(Self.headerSize) + start
            let descriptor = descriptor
            let read = block.withUnsafeMutableBytes { buffer in
                Result { () throws(Errno) in
                    try SystemCall.readAll(descriptor, into: UnsafeMutableRawBufferPointer(rebasing: buffer[..<count]), at: Int(source))
                }
            }
            switch read {
            case .success(let done) where done == count: break
            case .success: throw CodecError(.writeFailed, subject: path, "could not read back its data: the file is shorter than written")
            case .failure(let error): throw CodecError.fromErrno(error, path: path, doing: "read back its data").asWriteFailure
            }
            try writeFully(block, count: count, at: source + distance)
            end = start
        }
    }

    /// Writes the first `count` bytes (all by default) at `offset`, retrying short writes.
    private func writeFully(_ bytes: [UInt8], count: Int? = nil, at offset: UInt64) throws(CodecError) {
        let total = count ?? bytes.count
        let descriptor = descriptor
        let written = bytes.withUnsafeBytes { buffer in
            Result { () throws(Errno) in
                try SystemCall.writeAll(descriptor, UnsafeRawBufferPointer(rebasing: buffer[..<total]), at: Int(offset))
            }
        }
        if case .failure(let error) = written {
            throw CodecError.fromErrno(error, path: path, doing: "write audio after \(flushedBytes) data bytes").asWriteFailure
        }
    }
}
