#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import SystemPackage
import SystemSupport

/// The bytes of a file already in memory (an archive member), with the name shown in messages.
final class MemoryFile: Sendable {
    let bytes: [UInt8]
    let name: String

    init(bytes: [UInt8], name: String) {
        self.bytes = bytes
        self.name = name
    }
}

/// What a decoder reads: a file on disk through its descriptor, or bytes in memory.
enum DecoderInput {
    case file(OpenFile)
    case memory(MemoryFile)

    /// The path or member name, for messages and ``AudioInfo/path``.
    var path: String {
        switch self {
        case .file(let file): file.path
        case .memory(let memory): memory.name
        }
    }

    /// The size in bytes.
    var size: Int {
        switch self {
        case .file(let file): file.size
        case .memory(let memory): memory.bytes.count
        }
    }

    /// Up to `count` leading bytes, for sniffing.
    func prefix(_ count: Int) throws(CodecError) -> [UInt8] {
        switch self {
        case .file(let file): try file.prefix(count)
        case .memory(let memory): Array(memory.bytes.prefix(count))
        }
    }

    /// A second input with its own read position over the same data (for a length scan).
    func reopened() throws(CodecError) -> DecoderInput {
        switch self {
        case .file(let file): .file(try file.reopened())
        case .memory: self
        }
    }
}

/// A read position over a ``MemoryFile``, with the `read`/`lseek` contracts the C libraries'
/// callbacks need.
final class MemoryCursor {
    let file: MemoryFile
    var position = 0

    init(_ file: MemoryFile) { self.file = file }

    /// `read(2)`'s contract: up to `count` bytes, 0 at the end.
    func read(into destination: UnsafeMutableRawPointer, count: Int) -> Int {
        let n = max(0, min(count, file.bytes.count - position))
        guard n > 0 else { return 0 }
        file.bytes.withUnsafeBytes { (destination).copyMemory(from: $0.baseAddress! + position, byteCount: n) }
        position += n
        return n
    }

    /// `lseek(2)`'s contract: the new offset, or −1 with `errno` set.
    func seek(to offset: Int, whence: Int32) -> Int {
        let base = switch whence {
        case SEEK_SET: 0
        case SEEK_CUR: position
        case SEEK_END: file.bytes.count
        default: -1
        }
        guard base >= 0, base + offset >= 0 else {
            errno = EINVAL
            return -1
        }
        position = base + offset
        return position
    }
}

/// Bytes in an anonymous memory file (`memfd_create`), for a child process that must read
/// them by path and seek in them: `ffmpeg` needs to seek to an MP4's index, which most
/// encoders write at the end, so a pipe cannot carry such a file. Nothing touches the disk.
final class AnonymousMemoryFile {
    let descriptor: Int32

    /// Copies bytes into a new memory file. The corresponding C function is `memfd_create`.
    /// - Throws: `CodecError.Code.readFailed` when the kernel refuses.
    init(_ memory: MemoryFile) throws(CodecError) {
        let fd = Self.memfdCreate?("speechprep-member", 1 /* MFD_CLOEXEC */) ?? -1
        guard fd >= 0 else { throw CodecError.fromErrno(SystemCall.lastError, path: memory.name, doing: "hold it in memory") }
        descriptor = fd
        let written = memory.bytes.withUnsafeBytes { bytes in Result { () throws(Errno) in try SystemCall.writeAll(fd, bytes) } }
        if case .failure(let error) = written { throw CodecError.fromErrno(error, path: memory.name, doing: "hold it in memory") }
    }

    deinit { close(descriptor) }

    /// glibc's `memfd_create`, which Swift's Glibc module does not import (it needs `_GNU_SOURCE`).
    private static let memfdCreate: (@convention(c) (UnsafePointer<CChar>, UInt32) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "memfd_create") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafePointer<CChar>, UInt32) -> Int32).self)
    }()

    /// A path another process of this user can open the file by.
    var path: String { "/proc/\(getpid())/fd/\(descriptor)" }
}
