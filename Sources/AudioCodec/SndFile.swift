internal import CSndFile
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Every call into libsndfile, and the translation of its error codes, lives in this file.
///
/// The object owns one `SNDFILE*` and closes it in `deinit`; the descriptor it reads or writes
/// stays owned by the caller (`sf_open_fd` is called with `close_desc` false).
final class SndFileHandle: FrameSource {
    private var handle: OpaquePointer?
    /// The path, for error messages.
    let path: String
    /// Frames, rate, channels and format code as libsndfile reports them.
    private(set) var frames: Int
    let sampleRate: Int
    let channelCount: Int
    let formatCode: Int32

    /// What a handle opened on memory reads through; libsndfile keeps an unretained pointer to it.
    private var cursor: MemoryCursor?

    /// Opens a file for reading. The corresponding C functions are `sf_open_fd` for a file
    /// (rewound first) and `sf_open_virtual` for bytes in memory.
    /// - Parameter input: The file or the bytes.
    /// - Throws: ``CodecError`` translated from libsndfile's error.
    init(reading input: DecoderInput) throws(CodecError) {
        var info = SF_INFO()
        let path = input.path
        let opened: OpaquePointer?
        switch input {
        case .file(let file):
            lseekToStart(file.descriptor)
            opened = sf_open_fd(file.descriptor, Int32(SFM_READ), &info, 0)
        case .memory(let memory):
            let cursor = MemoryCursor(memory)
            self.cursor = cursor
            var callbacks = Self.virtualIO
            opened = sf_open_virtual(&callbacks, Int32(SFM_READ), &info, Unmanaged.passUnretained(cursor).toOpaque())
        }
        guard let opened else {
            throw Self.openError(path: path)
        }
        handle = opened
        self.path = path
        frames = Int(info.frames)
        sampleRate = Int(info.samplerate)
        channelCount = Int(info.channels)
        formatCode = info.format
        // Reading integer files as float divides by 2^(bits-1) (what sox does), and writing
        // integer files is done from our own rounded integers, so libsndfile never clips.
        sf_command(opened, Int32(SFC_SET_NORM_FLOAT), nil, Int32(SF_TRUE))
    }

    /// Creates a file for writing. The corresponding C function is `sf_open_fd`.
    /// - Parameters:
    ///   - descriptor: A descriptor open for writing, at offset 0.
    ///   - path: The final path, for messages.
    ///   - type: The container and sample encoding.
    ///   - sampleRate: Frames per second.
    ///   - channelCount: Samples per frame.
    /// - Throws: `CodecError.Code.unsupportedCodec` when libsndfile refuses the combination.
    init(writing descriptor: Int32, path: String, type: AudioFileType, sampleRate: Int, channelCount: Int) throws(CodecError) {
        var info = SF_INFO()
        info.samplerate = Int32(sampleRate)
        info.channels = Int32(channelCount)
        info.format = type.sndfileFormat
        guard let opened = sf_open_fd(descriptor, Int32(SFM_WRITE), &info, 0) else {
            let reason = String(cString: sf_strerror(nil))
            throw CodecError(
                .unsupportedCodec, subject: path,
                "cannot write \(type) at \(sampleRate) Hz with \(channelCount) channels: \(reason)")
        }
        handle = opened
        self.path = path
        frames = 0
        self.sampleRate = sampleRate
        self.channelCount = channelCount
        formatCode = info.format
    }

    deinit { close() }

    /// Closes the handle; safe to call twice. The corresponding C function is `sf_close`.
    /// - Returns: libsndfile's error code for the close (non-zero when the final header write failed).
    @discardableResult
    func close() -> Int32 {
        guard let open = handle else { return 0 }
        handle = nil
        return sf_close(open)
    }

    /// Decodes up to `count` frames of interleaved floats. The corresponding C function is `sf_readf_float`.
    /// - Parameters:
    ///   - destination: Room for `count * channelCount` floats.
    ///   - count: The most frames to read.
    /// - Returns: Frames read; 0 at the end.
    /// - Throws: `CodecError.Code.truncated` when libsndfile reports an error after a short read.
    func readFloats(into destination: UnsafeMutablePointer<Float>, frames count: Int, position: Int) throws(CodecError) -> Int {
        guard let open = handle else { throw CodecError(.closed, subject: path, "the decoder was closed") }
        let n = Int(sf_readf_float(open, destination, sf_count_t(count)))
        if n < count, sf_error(open) != SF_ERR_NO_ERROR {
            let reason = String(cString: sf_strerror(open))
            throw CodecError(.truncated, subject: path, "the data breaks off at frame \(position + max(0, n)): \(reason)")
        }
        return max(0, n)
    }

    /// Moves to a frame. The corresponding C function is `sf_seek`.
    /// - Parameter frame: The frame to read next.
    /// - Throws: `CodecError.Code.unsupportedCodec` when the file cannot seek there.
    func seek(toFrame frame: Int) throws(CodecError) {
        guard let open = handle else { throw CodecError(.closed, subject: path, "the decoder was closed") }
        guard sf_seek(open, sf_count_t(frame), SEEK_SET) >= 0 else {
            throw CodecError(.unsupportedCodec, subject: path, "cannot seek to frame \(frame): \(String(cString: sf_strerror(open)))")
        }
    }

    /// Writes interleaved floats. The corresponding C function is `sf_writef_float`.
    func writeFloats(_ samples: UnsafeBufferPointer<Float>) throws(CodecError) {
        guard let open = handle else { throw CodecError(.closed, subject: path, "the encoder was finished") }
        let count = samples.count / channelCount
        guard sf_writef_float(open, samples.baseAddress, sf_count_t(count)) == count else { throw writeError(open) }
        frames += count
    }

    /// Writes interleaved left-justified 32-bit integers. The corresponding C function is `sf_writef_int`.
    func writeIntegers(_ samples: UnsafeBufferPointer<Int32>) throws(CodecError) {
        guard let open = handle else { throw CodecError(.closed, subject: path, "the encoder was finished") }
        let count = samples.count / channelCount
        guard sf_writef_int(open, samples.baseAddress, sf_count_t(count)) == count else { throw writeError(open) }
        frames += count
    }

    private func writeError(_ open: OpaquePointer) -> CodecError {
        CodecError(.writeFailed, subject: path, "writing audio failed after \(frames) frames: \(String(cString: sf_strerror(open)))")
    }

    // MARK: - Describing formats

    /// The container name, as soxi-like text.
    var containerName: String {
        switch Int(formatCode) & SF_FORMAT_TYPEMASK {
        case SF_FORMAT_WAV, SF_FORMAT_WAVEX: "WAV"
        case SF_FORMAT_RF64: "RF64"
        case SF_FORMAT_W64: "W64"
        case SF_FORMAT_AIFF: "AIFF"
        case SF_FORMAT_AU: "AU"
        case SF_FORMAT_FLAC: "FLAC"
        case SF_FORMAT_CAF: "CAF"
        case SF_FORMAT_OGG: "OGG"
        case SF_FORMAT_MPEG: "MPEG"
        case SF_FORMAT_NIST: "NIST"
        default: "libsndfile-0x" + String(Int(formatCode) & SF_FORMAT_TYPEMASK, radix: 16)
        }
    }

    /// The codec or sample encoding, and its bit depth when it has one.
    var codec: (name: String, bitDepth: Int?) {
        switch Int(formatCode) & SF_FORMAT_SUBMASK {
        case SF_FORMAT_PCM_S8: ("PCM_S8", 8)
        case SF_FORMAT_PCM_U8: ("PCM_U8", 8)
        case SF_FORMAT_PCM_16: ("PCM_16", 16)
        case SF_FORMAT_PCM_24: ("PCM_24", 24)
        case SF_FORMAT_PCM_32: ("PCM_32", 32)
        case SF_FORMAT_FLOAT: ("FLOAT", 32)
        case SF_FORMAT_DOUBLE: ("DOUBLE", 64)
        case SF_FORMAT_ULAW: ("ULAW", 8)
        case SF_FORMAT_ALAW: ("ALAW", 8)
        case SF_FORMAT_IMA_ADPCM: ("IMA_ADPCM", 4)
        case SF_FORMAT_MS_ADPCM: ("MS_ADPCM", 4)
        case SF_FORMAT_GSM610: ("GSM610", nil)
        case SF_FORMAT_VORBIS: ("VORBIS", nil)
        case SF_FORMAT_OPUS: ("OPUS", nil)
        case SF_FORMAT_ALAC_16: ("ALAC_16", 16)
        case SF_FORMAT_ALAC_24: ("ALAC_24", 24)
        case SF_FORMAT_MPEG_LAYER_III: ("MPEG Layer III", nil)
        case let other: ("libsndfile-0x" + String(other, radix: 16), nil)
        }
    }

    /// libsndfile's virtual I/O over a ``MemoryCursor`` (the user data); read-only.
    private static let virtualIO = SF_VIRTUAL_IO(
        get_filelen: { user in sf_count_t(cursor(user).file.bytes.count) },
        seek: { offset, whence, user in sf_count_t(cursor(user).seek(to: Int(offset), whence: whence)) },
        read: { destination, count, user in
            guard let destination else { return 0 }
            return sf_count_t(cursor(user).read(into: destination, count: Int(count)))
        },
        write: { _, _, _ in 0 },
        tell: { user in sf_count_t(cursor(user).position) })

    private static func cursor(_ user: UnsafeMutableRawPointer?) -> MemoryCursor {
        Unmanaged<MemoryCursor>.fromOpaque(user!).takeUnretainedValue()
    }

    private static func openError(path: String) -> CodecError {
        let reason = String(cString: sf_strerror(nil))
        switch sf_error(nil) {
        case Int32(SF_ERR_UNSUPPORTED_ENCODING):
            return CodecError(.unsupportedCodec, subject: path, "the encoding is not supported: \(reason)")
        case Int32(SF_ERR_UNRECOGNISED_FORMAT):
            return CodecError(.unrecognisedFormat, subject: path, "libsndfile does not recognise the data: \(reason)")
        default:
            return CodecError(.corrupt, subject: path, "the header is damaged: \(reason)")
        }
    }
}

extension AudioFileType {
    /// The libsndfile format code (FLAC with a subtype; WAV is written by ``WAVWriter``).
    var sndfileFormat: Int32 {
        switch self {
        case .wav16, .wav24, .wav32Float: preconditionFailure("WAV is written by WAVWriter, not libsndfile")
        case .flac16: Int32(SF_FORMAT_FLAC | SF_FORMAT_PCM_16)
        case .flac24: Int32(SF_FORMAT_FLAC | SF_FORMAT_PCM_24)
        }
    }
}

/// Rewinds a descriptor before libsndfile reads it.
private func lseekToStart(_ descriptor: Int32) {
    _ = lseek(descriptor, 0, SEEK_SET)
}
