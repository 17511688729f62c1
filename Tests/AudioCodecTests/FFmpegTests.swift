import AudioCodec
import Foundation
import PCM
import SystemSupport
import Testing
import TestSupport

@Suite("Files only ffmpeg reads stream through an ffmpeg child", .timeLimit(.minutes(1)))
struct FFmpegTests {
    @Test("MP4/M4A and ADTS AAC decode to ffmpeg's own samples", arguments: Recipes.ffmpegOnly)
    func equalsFFmpeg(fixture: Fixture) throws {
        let decoder = try AudioFile.open(fixture.path)
        #expect(decoder is FFmpegDecoder)
        #expect(decoder.format.sampleRate == Double(fixture.sampleRate))
        #expect(decoder.format.channelCount == fixture.channels)
        #expect(decoder.info.codec == "AAC")
        let decoded = try decoder.readAll(chunkFrames: 3_000)
        #expect(decoded.samples == (try Reference.ffmpeg(fixture.path)))
    }

    @Test("Seeking restarts ffmpeg at the exact frame")
    func seek() throws {
        let path = Recipes.ffmpegOnly[0].path
        let whole = try AudioFile.read(path)
        let decoder = try AudioFile.open(path)
        _ = try decoder.readAll(chunkFrames: 1_000)
        try decoder.seek(toFrame: 10_000)
        let rest = try decoder.readAll()
        #expect(rest == whole.frames(10_000..<whole.frameCount))
    }

    @Test("Without ffmpeg the error says so and how to install it")
    func missingFFmpeg() throws {
        let empty = try TemporaryDirectory()
        let error = #expect(throws: CodecError.self) {
            try FFmpegDecoder(path: Recipes.ffmpegOnly[0].path, searchPath: empty.path)
        }
        #expect(error?.code == .ffmpegMissing)
        #expect(error?.message.contains("apt-get install ffmpeg") == true)
    }

    @Test("Closing kills and reaps the child")
    func closeReapsChild() throws {
        // A copy under a unique name, so this test finds its own child among the others'.
        let folder = try TemporaryDirectory()
        let path = folder.file("reap-\(UUID().uuidString).m4a")
        try FileManager.default.copyItem(atPath: Recipes.ffmpegOnly[0].path, toPath: path)
        let decoder = try FFmpegDecoder(path: path)
        var chunk = PCMBuffer(format: decoder.format)
        _ = try decoder.read(into: &chunk, maxFrames: 100)
        let running = try processes(mentioning: path)
        #expect(running.count == 1)
        decoder.close()
        // Reaped, not just killed: a zombie would still have its /proc entry.
        #expect(running.allSatisfy { !FileManager.default.fileExists(atPath: "/proc/\($0)") })
    }

    /// The pids whose command line mentions `text`, from /proc.
    private func processes(mentioning text: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: "/proc").filter { entry in
            guard Int(entry) != nil, let line = SystemCall.contents(of: "/proc/\(entry)/cmdline") else { return false }
            return String(decoding: line, as: UTF8.self).contains(text)
        }
    }
}
