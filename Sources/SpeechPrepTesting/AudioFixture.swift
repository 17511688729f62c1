public import AudioCodec
public import PCM
import SystemSupport

/// Writes audio fixtures for tests: WAV and FLAC through `SndFileEncoder`, MP3
/// through the `lame` encoder (Debian package `lame`).
public enum AudioFixture {
    /// Why a fixture could not be written.
    public struct Failure: Error, CustomStringConvertible {
        /// What went wrong.
        public var description: String
    }

    /// Writes a WAV file with the canonical 44-byte header.
    /// - Parameters:
    ///   - buffer: The frames.
    ///   - path: Where the file goes.
    ///   - type: `AudioFileType.wav16` (default), `.wav24` or `.wav32Float`.
    /// - Returns: `path`.
    /// - Throws: `CodecError` when the file cannot be written.
    @discardableResult
    public static func writeWAV(_ buffer: PCMBuffer, to path: String, type: AudioFileType = .wav16) throws(CodecError) -> String {
        precondition(type.isWAV, "writeWAV writes WAV types")
        return try write(buffer, to: path, type: type)
    }

    /// Writes a FLAC file.
    /// - Parameters:
    ///   - buffer: The frames.
    ///   - path: Where the file goes.
    ///   - type: `AudioFileType.flac16` (default) or `.flac24`.
    /// - Returns: `path`.
    /// - Throws: `CodecError` when the file cannot be written.
    @discardableResult
    public static func writeFLAC(_ buffer: PCMBuffer, to path: String, type: AudioFileType = .flac16) throws(CodecError) -> String {
        precondition(!type.isWAV, "writeFLAC writes FLAC types")
        return try write(buffer, to: path, type: type)
    }

    /// Writes an MP3 file with `lame` (constant bit rate, its default encoder delay and padding,
    /// which a gapless decoder removes).
    /// - Parameters:
    ///   - buffer: The frames (mono or stereo, at a rate MP3 allows).
    ///   - path: Where the file goes.
    ///   - bitRate: Kilobits per second.
    /// - Returns: `path`.
    /// - Throws: ``Failure`` when `lame` fails; `ChildProcessError` when it is not installed;
    ///   `CodecError` when the intermediate WAV cannot be written.
    @discardableResult
    public static func writeMP3(_ buffer: PCMBuffer, to path: String, bitRate: Int = 64) throws -> String {
        let scratch = try TemporaryDirectory(prefix: "speechprep-mp3-fixture")
        let wav = try writeWAV(buffer, to: scratch.file("input.wav"))
        let lame = try ChildProcess.run(["lame", "--quiet", "-b", "\(bitRate)", wav, path])
        guard lame.termination == .exited(0) else {
            let ending = lame.termination.map { "\($0)" } ?? "did not finish"
            throw Failure(description: "\(path): lame \(ending) (install the Debian package lame): \(lame.stderrTail.joined(separator: "\n"))")
        }
        return path
    }

    private static func write(_ buffer: PCMBuffer, to path: String, type: AudioFileType) throws(CodecError) -> String {
        let encoder = try SndFileEncoder(path: path, format: buffer.format, fileType: type, durability: .deferred)
        try encoder.write(buffer)
        try encoder.finish()
        return path
    }
}
