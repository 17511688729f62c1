import Foundation
import SystemSupport
import Testing
import TestSupport

/// A file made at test time by a real tool, with the format it was made in.
struct Fixture: Sendable, CustomTestStringConvertible {
    let name: String
    let sampleRate: Int
    let channels: Int
    /// Arguments that make the file from `source` (a WAV in the right rate and channels) into `output`.
    let make: @Sendable (_ source: String, _ output: String) -> [String]

    var testDescription: String { name }

    /// The absolute path in the shared fixture folder (made on first use).
    var path: String { CodecFixtures.shared.path(for: self) }
}

/// Every fixture the codec tests use, generated once per test run into a temporary folder with
/// sox, lame and ffmpeg.
final class CodecFixtures: Sendable {
    static let shared = CodecFixtures()
    let folder: TemporaryDirectory
    private let made = Locked<Set<String>>([])

    private init() { folder = try! TemporaryDirectory(prefix: "codec-fixtures") }

    func path(for fixture: Fixture) -> String {
        let output = folder.file(fixture.name)
        made.withLock { done in
            guard !done.contains(fixture.name) else { return }
            let source = folder.file("source-\(fixture.sampleRate)-\(fixture.channels).wav")
            if !FileManager.default.fileExists(atPath: source) {
                // A sweep on the first channel and a steady tone on the second, so a swapped
                // or dropped channel shows; -4 dB keeps lossy codecs from clipping.
                let tones = ["sine", "200-\(fixture.sampleRate * 2 / 5)"] + (fixture.channels > 1 ? ["sine", "523"] : [])
                let status = try! ExternalTool.run(
                    ["sox", "-n", "-r", "\(fixture.sampleRate)", "-c", "\(fixture.channels)", "-b", "24", source,
                     "synth", "0.6"] + tones + ["gain", "-4"]).status
                precondition(status == 0, "sox could not make \(source)")
            }
            let result = try! ExternalTool.run(fixture.make(source, output))
            precondition(result.status == 0, "could not make \(fixture.name): \(String(decoding: result.stderr, as: UTF8.self))")
            done.insert(fixture.name)
        }
        return output
    }
}

enum Recipes {
    /// `sox SOURCE [options] OUTPUT`.
    static func sox(_ name: String, _ rate: Int, _ channels: Int, _ options: [String]) -> Fixture {
        Fixture(name: name, sampleRate: rate, channels: channels) { source, output in ["sox", source] + options + [output] }
    }

    /// `lame [options] SOURCE OUTPUT`, forcing the output rate so lame does not resample.
    static func lame(_ name: String, _ rate: Int, _ channels: Int, _ options: [String]) -> Fixture {
        let khz = String(format: "%g", Double(rate) / 1000)
        return Fixture(name: name, sampleRate: rate, channels: channels) { source, output in
            ["lame", "--quiet", "--resample", khz] + options + [source, output]
        }
    }

    /// `ffmpeg -i SOURCE [options] OUTPUT`.
    static func ffmpeg(_ name: String, _ rate: Int, _ channels: Int, _ options: [String]) -> Fixture {
        Fixture(name: name, sampleRate: rate, channels: channels) { source, output in
            ["ffmpeg", "-nostdin", "-v", "error", "-y", "-i", source] + options + [output]
        }
    }

    /// PCM and lossless files whose decode must equal sox's sample for sample.
    static let lossless: [Fixture] = [
        sox("s16-8k-mono.wav", 8000, 1, ["-b", "16"]),
        sox("s16-11k-stereo.wav", 11025, 2, ["-b", "16"]),
        sox("s24-16k-mono.wav", 16000, 1, ["-b", "24"]),
        sox("s32-22k-stereo.wav", 22050, 2, ["-b", "32", "-e", "signed-integer"]),
        sox("f32-44k-stereo.wav", 44100, 2, ["-b", "32", "-e", "floating-point"]),
        sox("u8-48k-mono.wav", 48000, 1, ["-b", "8", "-e", "unsigned-integer"]),
        sox("ulaw-8k-mono.wav", 8000, 1, ["-e", "u-law"]),
        sox("s16-16k-mono.flac", 16000, 1, ["-b", "16"]),
        sox("s24-44k-stereo.flac", 44100, 2, ["-b", "24"]),
        sox("s16-32k-stereo.aiff", 32000, 2, ["-b", "16"]),
        sox("s16-8k-mono.au", 8000, 1, ["-b", "16"]),
        sox("s16-48k-stereo.w64", 48000, 2, ["-b", "16"]),
        ffmpeg("s16-16k-mono-rf64.wav", 16000, 1, ["-c:a", "pcm_s16le", "-rf64", "always"]),
        sox("s16-16k-mono.sph", 16000, 1, ["-b", "16"]),
    ]

    /// MPEG audio at every MPEG-1/2/2.5 rate, CBR and VBR, with and without Xing and ID3.
    static let mpeg: [Fixture] = [
        lame("cbr128-44k-stereo.mp3", 44100, 2, ["-b", "128"]),
        lame("vbr-48k-mono.mp3", 48000, 1, ["-V", "5"]),
        lame("cbr48-32k-mono.mp3", 32000, 1, ["-b", "48"]),
        lame("cbr32-24k-mono.mp3", 24000, 1, ["-b", "32"]),
        lame("vbr-22k-stereo.mp3", 22050, 2, ["-V", "6"]),
        lame("cbr24-16k-mono.mp3", 16000, 1, ["-b", "24"]),
        lame("cbr16-12k-mono.mp3", 12000, 1, ["-b", "16"]),
        lame("cbr16-11k-stereo.mp3", 11025, 2, ["-b", "16"]),
        lame("cbr8-8k-mono.mp3", 8000, 1, ["-b", "8"]),
        lame("noxing-id3-44k-stereo.mp3", 44100, 2, ["-b", "96", "-t", "--add-id3v2", "--tt", "Title", "--ta", "Artist"]),
        ffmpeg("layer2-48k-stereo.mp2", 48000, 2, ["-c:a", "mp2", "-b:a", "192k"]),
    ]

    /// Lossy files libsndfile decodes; compared with sox within a small tolerance.
    static let vorbis = sox("vorbis-44k-stereo.ogg", 44100, 2, ["-C", "3"])

    /// Ogg Opus (libsndfile decodes it; sox cannot read it).
    static let opus = ffmpeg("opus-48k-stereo.opus", 48000, 2, ["-c:a", "libopus", "-b:a", "64k"])

    /// Files only ffmpeg reads.
    static let ffmpegOnly: [Fixture] = [
        ffmpeg("aac-44k-stereo.m4a", 44100, 2, ["-c:a", "aac", "-b:a", "96k"]),
        ffmpeg("aac-16k-mono.aac", 16000, 1, ["-c:a", "aac", "-b:a", "32k", "-f", "adts"]),
    ]
}

/// Reference decodes by real tools.
enum Reference {
    /// `sox FILE -t f32 -`: sox's own decode as 32-bit floats.
    static func sox(_ path: String) throws -> [Float] {
        try floats(ExternalTool.run(["sox", path, "-t", "f32", "-"]))
    }

    /// `mpg123 -s FILE` (or `-m` for a mono mix): mpg123's own decode as 16-bit integers.
    static func mpg123(_ path: String, mono: Bool = false) throws -> [Int16] {
        let result = try ExternalTool.run(["mpg123", "-q", "-s"] + (mono ? ["-m"] : []) + [path])
        #expect(result.status == 0)
        return result.stdout.withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }
    }

    /// `ffmpeg -i FILE -f f32le -`.
    static func ffmpeg(_ path: String) throws -> [Float] {
        try floats(ExternalTool.run(["ffmpeg", "-nostdin", "-v", "error", "-i", path, "-map", "0:a:0", "-f", "f32le", "-"]))
    }

    /// One `soxi` field (`-r`, `-c`, `-s`, `-b`).
    static func soxi(_ flag: String, _ path: String) throws -> String {
        try ExternalTool.run(["soxi", flag, path]).text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func floats(_ result: ExternalTool.Output) throws -> [Float] {
        #expect(result.status == 0, "\(String(decoding: result.stderr, as: UTF8.self))")
        return result.stdout.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }
}
