public import PCM
import SystemSupport

/// Decodes anything `ffmpeg` reads (MP4/M4A/AAC, Matroska/WebM, WMA, AMR, …) by streaming
/// raw 32-bit floats from an `ffmpeg` child process.
///
/// The child is started from an argv array (no shell); `ffprobe` supplies the format first.
/// Closing or releasing the decoder kills and reaps the child. The frame count is not known
/// in advance (``frameCount`` is `nil`): codecs such as AAC carry priming that only decoding
/// reveals.
public final class FFmpegDecoder: AudioDecoder {
    public let path: String
    public let format: AudioFormat
    public var frameCount: Int? { nil }
    public let info: AudioInfo
    private let executable: String
    /// The path `ffmpeg` opens: the file itself, or a memory file holding an archive member.
    private let readPath: String
    private let memoryFile: AnonymousMemoryFile?
    private var child: ChildProcess?
    private var position = 0
    private var finished = false

    /// How to get `ffmpeg` when it is missing.
    public static let installHint = "install it with `apt-get install ffmpeg` (Debian/Ubuntu) or from https://ffmpeg.org"

    /// Probes a file with `ffprobe` and starts decoding it with `ffmpeg`.
    /// - Parameters:
    ///   - path: The file's path.
    ///   - searchPath: Folders to look for `ffmpeg` and `ffprobe` in, separated by `:` like
    ///     `PATH`; `nil` uses the `PATH` environment variable.
    /// - Throws: ``CodecError`` with `ffmpegMissing` when `ffmpeg` or `ffprobe` is not on
    ///   `PATH`; `notFound`, `permissionDenied`, `isDirectory`; `unrecognisedFormat` when
    ///   ffprobe finds no audio stream; `corrupt` for an unusable stream format.
    public convenience init(path: String, searchPath: String? = nil) throws(CodecError) {
        try self.init(input: .file(OpenFile(reading: path)), searchPath: searchPath)
    }

    init(input: DecoderInput, searchPath: String? = nil) throws(CodecError) {
        let path = input.path
        switch input {
        case .file(let file):
            readPath = file.path
            memoryFile = nil
        case .memory(let memory):
            let held = try AnonymousMemoryFile(memory)
            readPath = held.path
            memoryFile = held
        }
        guard let ffmpeg = ChildProcess.find("ffmpeg", in: searchPath),
            let ffprobe = ChildProcess.find("ffprobe", in: searchPath)
        else {
            throw CodecError(.ffmpegMissing, subject: path, "this file needs ffmpeg, which is not installed; \(Self.installHint)")
        }
        let facts = try Self.probe(readPath, reportedAs: path, with: ffprobe)
        guard let rate = facts["sample_rate"].flatMap(Double.init), let channels = facts["channels"].flatMap(Int.init) else {
            throw CodecError(.unrecognisedFormat, subject: path, "ffprobe found no audio stream in the file")
        }
        self.path = path
        executable = ffmpeg
        format = try AudioFormat.checked(sampleRate: rate, channelCount: channels, path: path)
        let bits = facts["bits_per_raw_sample"].flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil }
        let container = (facts["format_name"] ?? "ffmpeg").split(separator: ",").first.map(String.init) ?? "ffmpeg"
        info = AudioInfo(
            path: path, container: container.uppercased(), codec: (facts["codec_name"] ?? "unknown").uppercased(),
            sampleRate: rate, channelCount: channels, frameCount: nil, bitDepth: bits, fileSize: input.size)
        child = try start(atFrame: 0)
    }

    public func read(into buffer: inout PCMBuffer, maxFrames: Int) throws(CodecError) -> Int {
        try validateRead(buffer, maxFrames: maxFrames)
        guard let child else { throw CodecError(.closed, subject: path, "the decoder was closed") }
        if finished { return 0 }
        let bytesPerFrame = MemoryLayout<Float>.size * format.channelCount
        let subject = path
        let n = try buffer.appendFrames(upTo: maxFrames) { (room) throws(CodecError) -> Int in
            try Self.read(from: child, into: UnsafeMutableRawPointer(room.baseAddress!), count: maxFrames * bytesPerFrame, subject: subject)
                / bytesPerFrame
        }
        position += n
        if n < maxFrames {
            finished = true
            let ending = child.wait()
            guard ending == .exited(0) else {
                throw CodecError(
                    .corrupt, subject: path,
                    "ffmpeg \(ending.map(String.init(describing:)) ?? "did not end") at frame \(position): \(Self.errorOutput(of: child))")
            }
        }
        return n
    }

    /// Moves the read position by restarting `ffmpeg` with a sample-exact trim.
    /// - Parameter frame: The frame to read next.
    /// - Throws: `CodecError.Code.invalidArgument` for a negative frame.
    public func seek(toFrame frame: Int) throws(CodecError) {
        try validateSeek(frame)
        guard child != nil else { throw CodecError(.closed, subject: path, "the decoder was closed") }
        child?.terminate(graceSeconds: 0)
        child = try start(atFrame: frame)
        position = frame
        finished = false
    }

    public func close() {
        child?.terminate(graceSeconds: 0)
        child = nil
    }

    private func start(atFrame frame: Int) throws(CodecError) -> ChildProcess {
        var arguments = ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-i", readPath, "-map", "0:a:0", "-vn"]
        if frame > 0 { arguments += ["-af", "atrim=start_sample=\(frame)"] }
        arguments += ["-f", "f32le", "-acodec", "pcm_f32le", "pipe:1"]
        return try Self.spawn(executable, arguments, subject: path)
    }

    /// Starts `ffmpeg` or `ffprobe` (its path in place of argv[0]), reading its output.
    private static func spawn(_ executable: String, _ arguments: [String], subject: String) throws(CodecError) -> ChildProcess {
        do { return try ChildProcess(arguments: [executable] + arguments.dropFirst()) } catch {
            throw CodecError(.readFailed, subject: subject, "could not start \(executable): \(error.message)")
        }
    }

    private static func read(
        from child: ChildProcess, into destination: UnsafeMutableRawPointer, count: Int, subject: String
    ) throws(CodecError) -> Int {
        do { return try child.read(into: destination, count: count) } catch {
            throw CodecError(.readFailed, subject: subject, "reading ffmpeg's output failed: \(error.message)")
        }
    }

    /// The child's last three standard-error lines, joined by "; ".
    private static func errorOutput(of child: ChildProcess) -> String {
        child.stderrTail.suffix(3).joined(separator: "; ")
    }

    /// Runs `ffprobe` and returns its `key=value` lines for the first audio stream and the container.
    private static func probe(_ readPath: String, reportedAs path: String, with ffprobe: String) throws(CodecError) -> [String: String] {
        let arguments = [
            "ffprobe", "-v", "error", "-select_streams", "a:0", "-show_entries",
            "stream=codec_name,sample_rate,channels,bits_per_raw_sample:format=format_name",
            "-of", "default=noprint_wrappers=1", readPath,
        ]
        let child = try spawn(ffprobe, arguments, subject: path)
        let capacity = 16_384
        let raw = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 1)
        defer { raw.deallocate() }
        let n = try read(from: child, into: raw.baseAddress!, count: capacity, subject: path)
        let bytes = Array(raw.prefix(n))
        guard child.wait() == .exited(0) else {
            throw CodecError(.unrecognisedFormat, subject: path, "ffprobe cannot read the file: \(errorOutput(of: child))")
        }
        var facts: [String: String] = [:]
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            facts[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return facts
    }
}
