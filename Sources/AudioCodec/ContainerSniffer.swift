/// Which library decodes a file, decided from its first bytes.
enum DecoderBackend: Equatable {
    /// libsndfile: WAV (RIFF, RIFX, RF64, Wave64), FLAC, Ogg (Vorbis, Opus, FLAC), AIFF, CAF, AU,
    /// NIST SPHERE (TIMIT and other speech corpora).
    case sndfile
    /// libmpg123: MPEG-1/2/2.5 audio layers I–III, with or without ID3 tags.
    case mpg123
    /// An `ffmpeg` child process: MP4/M4A, ADTS AAC, Matroska/WebM, ASF/WMA, AMR.
    case ffmpeg
}

/// Recognises audio containers by their magic bytes, never by the file name.
enum ContainerSniffer {
    /// How many leading bytes ``backend(for:)`` wants to see.
    static let prefixLength = 4096

    /// Chooses the decoder for a file from its leading bytes.
    /// - Parameter bytes: Up to ``prefixLength`` bytes from the start of the file.
    /// - Returns: The backend, or `nil` when no known container starts this way.
    static func backend(for bytes: [UInt8]) -> DecoderBackend? {
        func starts(with magic: String, at offset: Int = 0) -> Bool {
            let m = Array(magic.utf8)
            return bytes.count >= offset + m.count && Array(bytes[offset..<(offset + m.count)]) == m
        }
        if starts(with: "RIFF") || starts(with: "RIFX") || starts(with: "RF64") || starts(with: "BW64") {
            return starts(with: "WAVE", at: 8) ? .sndfile : nil
        }
        if starts(with: "riff"), bytes.count >= 16, Array(bytes[0..<16]) == wave64GUID { return .sndfile }
        if starts(with: "fLaC") || starts(with: "OggS") || starts(with: "caff") || starts(with: ".snd")
            || starts(with: "NIST_1A")
        {
            return .sndfile
        }
        if starts(with: "FORM"), starts(with: "AIFF", at: 8) || starts(with: "AIFC", at: 8) { return .sndfile }
        if starts(with: "ID3") { return .mpg123 }
        if starts(with: "ftyp", at: 4) { return .ffmpeg }
        if bytes.count >= 4, bytes[0..<4] == [0x1A, 0x45, 0xDF, 0xA3] { return .ffmpeg }  // Matroska/WebM
        if bytes.count >= 4, bytes[0..<4] == [0x30, 0x26, 0xB2, 0x75] { return .ffmpeg }  // ASF/WMA
        if starts(with: "#!AMR") { return .ffmpeg }
        if bytes.count >= 2, bytes[0] == 0xFF, bytes[1] & 0xF6 == 0xF0 { return .ffmpeg }  // ADTS AAC
        if MPEGFrameHeader(bytes, at: 0).map({ isConfirmed($0, in: bytes) }) == true { return .mpg123 }
        return nil
    }

    /// The first bytes of a file as hex and printable text, for error messages.
    /// - Parameter bytes: The file's leading bytes.
    /// - Returns: For example `52 49 46 46 … ("RIFF…")`.
    static func describe(_ bytes: [UInt8]) -> String {
        if bytes.isEmpty { return "the file is empty" }
        let head = bytes.prefix(12)
        let hex = head.map { byte in
            let digits = String(byte, radix: 16, uppercase: true)
            return digits.count == 1 ? "0" + digits : digits
        }.joined(separator: " ")
        let text = String(head.map { (0x20..<0x7F).contains($0) ? Character(UnicodeScalar($0)) : "." })
        return "its first bytes are \(hex) (\"\(text)\")"
    }

    /// A frame sync at the start is only trusted when the next frame follows where the first
    /// says it ends (or the file ends there), so random bytes are not taken for MP3.
    private static func isConfirmed(_ first: MPEGFrameHeader, in bytes: [UInt8]) -> Bool {
        let next = first.frameLength
        // Frames are at most 2,881 bytes, so only a file shorter than the prefix gets here.
        if next + 4 > bytes.count { return bytes.count >= next }
        guard let second = MPEGFrameHeader(bytes, at: next) else { return false }
        return second.version == first.version && second.layer == first.layer && second.sampleRate == first.sampleRate
    }

    /// The MPEG frame header a whole file starts with when the file ends before that first
    /// frame does: an MP3 cut short, not an unknown format.
    /// - Parameter bytes: The file's leading bytes (all of it when shorter than ``prefixLength``).
    /// - Returns: The first frame's header, or `nil` when the file does not start that way.
    static func cutMPEGFrame(_ bytes: [UInt8]) -> MPEGFrameHeader? {
        guard bytes.count < prefixLength, let first = MPEGFrameHeader(bytes, at: 0), first.frameLength > bytes.count else {
            return nil
        }
        return first
    }

    private static let wave64GUID: [UInt8] = [
        0x72, 0x69, 0x66, 0x66, 0x2E, 0x91, 0xCF, 0x11, 0xA5, 0xD6, 0x28, 0xDB, 0x04, 0xC1, 0x00, 0x00,
    ]
}

/// The fields of a 4-byte MPEG audio frame header that locate the next frame.
struct MPEGFrameHeader: Equatable {
    /// 1 for MPEG-1, 2 for MPEG-2, 25 for MPEG-2.5.
    let version: Int
    /// 1, 2 or 3.
    let layer: Int
    /// Bits per second.
    let bitRate: Int
    /// Frames per second.
    let sampleRate: Int
    /// Bytes from this header to the next one.
    let frameLength: Int

    /// Parses a header, rejecting reserved and free-format values.
    /// - Parameters:
    ///   - bytes: The file's leading bytes.
    ///   - offset: Where the header starts.
    init?(_ bytes: [UInt8], at offset: Int) {
        guard offset >= 0, bytes.count >= offset + 4, bytes[offset] == 0xFF, bytes[offset + 1] & 0xE0 == 0xE0
        else { return nil }
        let b1 = Int(bytes[offset + 1]), b2 = Int(bytes[offset + 2])
        let versionBits = (b1 >> 3) & 3, layerBits = (b1 >> 1) & 3
        let bitRateIndex = b2 >> 4, rateIndex = (b2 >> 2) & 3, padding = (b2 >> 1) & 1
        guard versionBits != 1, layerBits != 0, bitRateIndex != 0, bitRateIndex != 15, rateIndex != 3 else {
            return nil
        }
        version = versionBits == 3 ? 1 : versionBits == 2 ? 2 : 25
        layer = 4 - layerBits
        let kbps: [Int] =
            switch (version == 1, layer) {
            case (true, 1): [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448]
            case (true, 2): [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384]
            case (true, _): [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320]
            case (false, 1): [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256]
            case (false, _): [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160]
            }
        bitRate = kbps[bitRateIndex] * 1000
        sampleRate = [44_100, 48_000, 32_000][rateIndex] / (version == 1 ? 1 : version == 2 ? 2 : 4)
        switch layer {
        case 1: frameLength = (12 * bitRate / sampleRate + padding) * 4
        case 3 where version != 1: frameLength = 72 * bitRate / sampleRate + padding
        default: frameLength = 144 * bitRate / sampleRate + padding
        }
    }
}
