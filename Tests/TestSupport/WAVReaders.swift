import AudioCodec
import Foundation
import SystemSupport

/// Opens a WAV file with every common reader and reports what each one objects to: Python's
/// `wave` module, `pocketsphinx_continuous -infile`, `soxi`, `ffprobe`, libsndfile (through
/// `AudioFile`) and a Kaldi-style strict header check.
public enum WAVReaders {
    /// The file's layout as the strict header check reads it.
    public struct Layout: Equatable, Sendable {
        /// The `fmt ` chunk's format tag (1 = integer PCM, 3 = IEEE float).
        public var formatTag: Int
        /// Samples per frame.
        public var channelCount: Int
        /// Frames per second.
        public var sampleRate: Int
        /// Bits per sample.
        public var bitDepth: Int
        /// Frames in the data chunk.
        public var frameCount: Int

        /// Creates a layout to compare with.
        public init(formatTag: Int, channelCount: Int, sampleRate: Int, bitDepth: Int, frameCount: Int) {
            (self.formatTag, self.channelCount, self.sampleRate) = (formatTag, channelCount, sampleRate)
            (self.bitDepth, self.frameCount) = (bitDepth, frameCount)
        }
    }

    /// Checks one file against every reader.
    /// - Parameters:
    ///   - path: A WAV file.
    ///   - expectedFrames: The frame count every reader must report; by default the one the strict header check reads.
    /// - Returns: One line per objection; empty when every reader accepts the file and agrees on the frame count.
    public static func problems(_ path: String, frames expectedFrames: Int? = nil) -> [String] {
        var problems: [String] = []
        let layout: Layout
        do {
            layout = try strictLayout(path)
        } catch {
            return ["strict header: \(error)"]
        }
        let frames = expectedFrames ?? layout.frameCount
        if layout.frameCount != frames { problems.append("strict header: \(layout.frameCount) frames, expected \(frames)") }
        // libsndfile, through our own decoder.
        do {
            let info = try AudioFile.info(path)
            if info.frameCount != frames { problems.append("libsndfile: \(info.frameCount.map(String.init) ?? "unknown") frames") }
        } catch {
            problems.append("libsndfile: \(error)")
        }
        problems += tool("soxi", ["soxi", "-s", path]) { $0 == "\(frames)" ? nil : "soxi: \($0) frames" }
        problems += tool("ffprobe", [
            "ffprobe", "-v", "error", "-select_streams", "a:0", "-count_packets", "-show_entries", "stream=duration_ts",
            "-of", "csv=p=0", path,
        ]) { $0 == "\(frames)" ? nil : "ffprobe: \($0) frames" }
        if layout.formatTag == 1 {
            // Python's wave reads only integer PCM (tag 1), which is what it is checked with.
            let script = "import sys, wave\nw = wave.open(sys.argv[1])\nn = w.getnframes()\nassert len(w.readframes(n)) == n * w.getsampwidth() * w.getnchannels()\nprint(n)"
            problems += tool("python wave", ["python3", "-c", script, path]) { $0 == "\(frames)" ? nil : "python wave: \($0) frames" }
        }
        if layout.formatTag == 1, layout.bitDepth == 16, layout.channelCount == 1, layout.sampleRate == 16_000 {
            // pocketsphinx reads 16 kHz mono 16-bit only; it must decode the file and exit 0.
            problems += tool("pocketsphinx", ["pocketsphinx_continuous", "-infile", path, "-logfn", "/dev/null"]) { _ in nil }
        }
        return problems
    }

    /// Runs a tool; a non-zero exit is a problem, and so is whatever `judge` says of its trimmed stdout.
    private static func tool(_ name: String, _ arguments: [String], judge: (String) -> String?) -> [String] {
        do {
            let output = try ExternalTool.run(arguments)
            guard output.status == 0 else {
                return ["\(name): exit \(output.status): \(String(decoding: output.stderr, as: UTF8.self).suffix(300))"]
            }
            return judge(output.text.trimmingCharacters(in: .whitespacesAndNewlines)).map { [$0] } ?? []
        } catch {
            return ["\(name): \(error)"]
        }
    }

    /// The error of ``strictLayout(_:)``.
    public struct HeaderError: Error, CustomStringConvertible {
        /// What is wrong.
        public var description: String
    }

    /// Reads the header the way Kaldi's `WaveInfo::Read` does, and stricter: `RIFF` whose size
    /// is the file's length − 8, `WAVE`, a 16-byte `fmt ` chunk at byte 12 with tag 1 or 3 and
    /// consistent byte rate and block alignment, and the `data` chunk at byte 36 whose size
    /// is what follows it (plus at most one pad byte).
    /// - Parameter path: A WAV file.
    /// - Returns: Its layout.
    /// - Throws: ``HeaderError`` naming the first field that is wrong.
    public static func strictLayout(_ path: String) throws -> Layout {
        guard let bytes = SystemCall.contents(of: path, limit: .max) else { throw HeaderError(description: "cannot read \(path)") }
        func text(_ offset: Int) -> String { String(decoding: bytes[offset..<offset + 4], as: UTF8.self) }
        func u32(_ offset: Int) -> Int { (0..<4).reduce(0) { $0 | Int(bytes[offset + $1]) << (8 * $1) } }
        func u16(_ offset: Int) -> Int { Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 }
        func require(_ condition: Bool, _ message: String) throws { if !condition { throw HeaderError(description: message) } }
        try require(bytes.count >= 44, "shorter than the 44-byte header (\(bytes.count) bytes)")
        try require(text(0) == "RIFF", "starts with \(text(0)), not RIFF")
        try require(u32(4) == bytes.count - 8, "RIFF size \(u32(4)), file is \(bytes.count) bytes")
        try require(text(8) == "WAVE", "form type \(text(8)), not WAVE")
        try require(text(12) == "fmt ", "chunk at byte 12 is \(text(12)), not fmt")
        try require(u32(16) == 16, "fmt chunk size \(u32(16)), not 16")
        let tag = u16(20), channels = u16(22), rate = u32(24), byteRate = u32(28), align = u16(32), bits = u16(34)
        try require(tag == 1 || tag == 3, "format tag \(tag)")
        try require(channels > 0 && bits % 8 == 0 && align == channels * bits / 8, "block align \(align) for \(channels) × \(bits) bits")
        try require(byteRate == rate * align, "byte rate \(byteRate) for \(rate) Hz × \(align)")
        try require(text(36) == "data", "chunk at byte 36 is \(text(36)), not data")
        let dataSize = u32(40)
        try require(dataSize + 44 + dataSize % 2 == bytes.count, "data size \(dataSize) in a \(bytes.count)-byte file")
        try require(dataSize % align == 0, "data size \(dataSize) is not whole frames of \(align) bytes")
        return Layout(formatTag: tag, channelCount: channels, sampleRate: rate, bitDepth: bits, frameCount: dataSize / align)
    }
}
