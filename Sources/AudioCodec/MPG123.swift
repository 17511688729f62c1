internal import CMPG123
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Every call into libmpg123, and the translation of its error codes, lives in this file.
///
/// The object owns one `mpg123_handle` and deletes it in `deinit`. The descriptor it reads
/// (through a ``BufferedReader``) is owned by the caller.
final class MPG123Handle: FrameSource {
    private var handle: OpaquePointer?
    /// What libmpg123 reads the stream through (it keeps an unretained pointer to it).
    private let reader: BufferedReader
    /// The path, for error messages.
    let path: String
    /// Output rate and channels (after any mono mix).
    let sampleRate: Int
    let channelCount: Int
    /// "MPEG-1 Layer III" and the like.
    let codecName: String
    /// Channels in the stream itself, before any mono mix.
    let sourceChannelCount: Int

    /// Opens an MPEG audio stream for float output.
    ///
    /// ID3v2 tags are skipped without parsing, LAME/Xing headers honoured, and gapless decoding
    /// (encoder delay and padding removed) is on. Opening does not scan the stream; an exact
    /// length comes from ``scanLength()`` on a handle of its own. The corresponding C functions
    /// are `mpg123_new`, `mpg123_param2`, `mpg123_format`, `mpg123_replace_reader_handle`,
    /// `mpg123_open_handle` and `mpg123_getformat`.
    /// - Parameters:
    ///   - input: A file (read through a descriptor) or bytes in memory.
    ///   - mixToMono: Ask libmpg123 to mix stereo to mono before synthesis (about half the work).
    ///   - targetSampleRate: When at most 45 % of the stream's rate, decode only the lower 16 of
    ///     the 32 subbands and synthesise at half rate (the stream is opened twice: the first
    ///     open tells the rate).
    /// - Throws: ``CodecError`` with `unrecognisedFormat` when no MPEG frame is found,
    ///   `corrupt` for other decoder failures.
    init(reading input: DecoderInput, mixToMono: Bool, targetSampleRate: Double?) throws(CodecError) {
        let path = input.path
        self.path = path
        reader = switch input {
        case .file(let file): BufferedReader(descriptor: file.descriptor)
        case .memory(let memory): BufferedReader(memory: memory)
        }
        var status: Int32 = 0
        guard let created = mpg123_new(nil, &status) else {
            throw CodecError(.corrupt, subject: path, "libmpg123 could not start: \(Self.describe(status))")
        }
        handle = created
        mpg123_replace_reader_handle(created, BufferedReader.read, BufferedReader.seek, nil)
        var flags = MPG123_FORCE_FLOAT.rawValue | MPG123_GAPLESS.rawValue | MPG123_QUIET.rawValue
            | MPG123_SKIP_ID3V2.rawValue
        if mixToMono { flags |= MPG123_MONO_MIX.rawValue }
        let channelSet = mixToMono ? MPG123_MONO.rawValue : (MPG123_MONO.rawValue | MPG123_STEREO.rawValue)
        mpg123_param2(created, Int32(MPG123_FLAGS.rawValue), Int(flags), 0)
        // After a seek, decode frames ahead so the bit reservoir (up to 511 bytes, which is 8
        // frames at 8 kbps) is full again and the samples equal a straight decode; libmpg123's
        // default of one frame left VBR files wrong for the first ~700 samples.
        mpg123_param2(created, Int32(MPG123_PREFRAMES.rawValue), 16, 0)
        mpg123_format_none(created)
        var rates: UnsafePointer<Int>?
        var rateCount = 0
        mpg123_rates(&rates, &rateCount)
        for index in 0..<rateCount {
            mpg123_format(created, rates![index], Int32(channelSet), Int32(MPG123_ENC_FLOAT_32.rawValue))
        }
        // Half of 8 kHz (the lowest MPEG rate) is not in libmpg123's list of output rates.
        mpg123_format(created, 4_000, Int32(channelSet), Int32(MPG123_ENC_FLOAT_32.rawValue))
        var (rate, channels): (Int, Int32)
        do throws(CodecError) {
            (rate, channels) = try Self.open(created, reader, path: path)
            if let targetSampleRate, targetSampleRate <= 0.45 * Double(rate) {
                mpg123_close(created)
                mpg123_param2(created, Int32(MPG123_DOWN_SAMPLE.rawValue), 1, 0)
                (rate, channels) = try Self.open(created, reader, path: path)
            }
        } catch {
            // The object is not fully initialised here, so `deinit` will not run: free the
            // handle now (found by the mp3 fuzzer as a leak on every file that fails to open).
            mpg123_close(created)
            mpg123_delete(created)
            throw error
        }
        sampleRate = rate
        channelCount = Int(channels)
        var frame = mpg123_frameinfo2()
        mpg123_info2(created, &frame)
        let version = ["MPEG-1", "MPEG-2", "MPEG-2.5"][Int(min(max(frame.version, 0), 2))]
        codecName = "\(version) Layer \(String(repeating: "I", count: Int(min(max(frame.layer, 1), 3))))"
        sourceChannelCount = frame.mode == MPG123_M_MONO.rawValue ? 1 : 2
    }

    /// The length in output frames from scanning every frame header (about 5 % of a decode's
    /// time). Use it on a handle of its own: a scan can change how libmpg123 trims a damaged
    /// file whose Info header disagrees with its data. The corresponding C functions are
    /// `mpg123_scan` and `mpg123_length`.
    func scanLength() -> Int? {
        guard let open = handle else { return nil }
        // A Xing/Info header alone is not trusted: a truncated file keeps its original header.
        _ = mpg123_scan(open)
        let length = mpg123_length(open)
        return length >= 0 ? Int(length) : nil
    }

    deinit { close() }

    /// Closes the stream and frees the handle; safe to call twice.
    /// The corresponding C functions are `mpg123_close` and `mpg123_delete`.
    func close() {
        guard let open = handle else { return }
        handle = nil
        mpg123_close(open)
        mpg123_delete(open)
    }

    /// Decodes into interleaved floats. The corresponding C function is `mpg123_read`.
    /// - Parameters:
    ///   - destination: Room for `frames * channelCount` floats.
    ///   - count: The most frames to decode.
    ///   - position: Frames decoded so far, for messages.
    /// - Returns: Frames decoded; 0 at the end of the stream.
    /// - Throws: `CodecError.Code.corrupt` when decoding fails or the format changes mid-stream.
    func readFloats(into destination: UnsafeMutablePointer<Float>, frames count: Int, position: Int) throws(CodecError) -> Int {
        guard let open = handle else { throw CodecError(.closed, subject: path, "the decoder was closed") }
        let bytesPerFrame = MemoryLayout<Float>.size * channelCount
        var filled = 0
        while filled < count * bytesPerFrame {
            var done = 0
            let status = mpg123_read(open, UnsafeMutableRawPointer(destination) + filled, count * bytesPerFrame - filled, &done)
            filled += done
            if status == MPG123_OK.rawValue { continue }
            if status == MPG123_DONE.rawValue { break }
            if status == MPG123_NEW_FORMAT.rawValue {
                var rate = 0
                var channels: Int32 = 0
                var encoding: Int32 = 0
                mpg123_getformat(open, &rate, &channels, &encoding)
                if rate == sampleRate, Int(channels) == channelCount { continue }
                throw CodecError(
                    .corrupt, subject: path,
                    "the stream changes from \(sampleRate) Hz \(channelCount) ch to \(rate) Hz \(channels) ch at frame \(position + filled / bytesPerFrame)")
            }
            throw CodecError(
                .corrupt, subject: path,
                "decoding failed at frame \(position + filled / bytesPerFrame): \(String(cString: mpg123_strerror(open)))")
        }
        return filled / bytesPerFrame
    }

    /// Moves to a frame. The corresponding C function is `mpg123_seek`.
    /// - Parameter frame: The output frame to decode next.
    /// - Throws: `CodecError.Code.corrupt` when libmpg123 cannot seek there.
    func seek(toFrame frame: Int) throws(CodecError) {
        guard let open = handle else { throw CodecError(.closed, subject: path, "the decoder was closed") }
        guard mpg123_seek(open, off_t(frame), SEEK_SET) >= 0 else {
            throw CodecError(.corrupt, subject: path, "cannot seek to frame \(frame): \(String(cString: mpg123_strerror(open)))")
        }
    }

    /// Opens the stream from its start and reads the first frame's output format.
    private static func open(_ handle: OpaquePointer, _ reader: BufferedReader, path: String) throws(CodecError) -> (Int, Int32) {
        reader.position = 0
        guard mpg123_open_handle(handle, Unmanaged.passUnretained(reader).toOpaque()) == MPG123_OK.rawValue else {
            throw CodecError(.corrupt, subject: path, "libmpg123 could not open the stream: \(String(cString: mpg123_strerror(handle)))")
        }
        var rate = 0
        var channels: Int32 = 0
        var encoding: Int32 = 0
        guard mpg123_getformat(handle, &rate, &channels, &encoding) == MPG123_OK.rawValue, rate > 0, channels > 0 else {
            throw CodecError(
                .unrecognisedFormat, subject: path,
                "no decodable MPEG audio frame was found: \(String(cString: mpg123_strerror(handle)))")
        }
        return (rate, channels)
    }

    private static func describe(_ status: Int32) -> String { String(cString: mpg123_plain_strerror(status)) }
}

/// The stream as libmpg123 reads it: through a 64 KiB buffer filled by `pread(2)`. libmpg123's
/// own descriptor reader makes two `read(2)` calls per MPEG frame (header, then body), about
/// 280 system calls for a 3-second clip; this makes one per 64 KiB. `pread` leaves the
/// descriptor's own offset alone, so seeking is only arithmetic on ``position``. Bytes already in
/// memory (an archive member) are read straight from there instead.
final class BufferedReader {
    private let descriptor: Int32
    private let memory: MemoryCursor?
    private let capacity = 65_536
    private let buffer: UnsafeMutableRawPointer
    /// The file offset of the buffer's first byte, and how many bytes it holds.
    private var bufferStart = 0
    private var buffered = 0
    /// The next byte libmpg123 reads.
    var position = 0

    init(descriptor: Int32) {
        self.descriptor = descriptor
        memory = nil
        buffer = .allocate(byteCount: capacity, alignment: 16)
    }

    init(memory file: MemoryFile) {
        descriptor = -1
        memory = MemoryCursor(file)
        buffer = .allocate(byteCount: 1, alignment: 16)
    }

    deinit { buffer.deallocate() }

    /// `read(2)`'s contract: up to `count` bytes, 0 at the end, −1 with `errno` on failure.
    private func read(into destination: UnsafeMutableRawPointer, count: Int) -> Int {
        if let memory {
            memory.position = position
            defer { position = memory.position }
            return memory.read(into: destination, count: count)
        }
        var copied = 0
        while copied < count {
            let offset = position - bufferStart
            if offset >= 0, offset < buffered {
                let n = min(buffered - offset, count - copied)
                (destination + copied).copyMemory(from: buffer + offset, byteCount: n)
                copied += n
                position += n
                continue
            }
            let n = Self.readFully(descriptor, into: buffer, count: capacity, at: position)
            if n < 0 { return copied > 0 ? copied : -1 }
            bufferStart = position
            buffered = n
            if n == 0 { break }
        }
        return copied
    }

    private static func readFully(_ descriptor: Int32, into buffer: UnsafeMutableRawPointer, count: Int, at offset: Int) -> Int {
        while true {
            let n = pread(descriptor, buffer, count, off_t(offset))
            if n < 0, errno == EINTR { continue }
            return n
        }
    }

    /// `lseek(2)`'s contract: the new offset, or −1 with `errno` set.
    private func seek(to offset: Int, whence: Int32) -> Int {
        if let memory {
            memory.position = position
            defer { position = memory.position }
            return memory.seek(to: offset, whence: whence)
        }
        var target: Int
        switch whence {
        case SEEK_SET: target = offset
        case SEEK_CUR: target = position + offset
        case SEEK_END:
            var status = stat()
            guard fstat(descriptor, &status) == 0 else { return -1 }
            target = Int(status.st_size) + offset
        default:
            errno = EINVAL
            return -1
        }
        guard target >= 0 else {
            errno = EINVAL
            return -1
        }
        position = target
        return target
    }

    /// The callbacks given to `mpg123_replace_reader_handle`; the handle is the reader.
    static let read: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutableRawPointer?, Int) -> Int = {
        handle, destination, count in
        guard let handle, let destination else { return -1 }
        return Unmanaged<BufferedReader>.fromOpaque(handle).takeUnretainedValue().read(into: destination, count: count)
    }
    static let seek: @convention(c) (UnsafeMutableRawPointer?, off_t, Int32) -> off_t = { handle, offset, whence in
        guard let handle else { return -1 }
        return off_t(Unmanaged<BufferedReader>.fromOpaque(handle).takeUnretainedValue().seek(to: Int(offset), whence: whence))
    }
}
