import AudioCodec
import Foundation
import PCM
import Testing
import TestSupport

@Suite("Encoding is lossless and atomic")
struct EncoderTests {
    @Test("Decode → encode → decode reproduces PCM exactly", arguments: [
        (Recipes.lossless[1], AudioFileType.wav16), (Recipes.lossless[2], .wav24), (Recipes.lossless[4], .wav32Float),
        (Recipes.lossless[7], .flac16), (Recipes.lossless[8], .flac24), (Recipes.lossless[0], .wav24),
    ])
    func roundTrip(fixture: Fixture, type: AudioFileType) throws {
        let original = try AudioFile.read(fixture.path)
        let folder = try TemporaryDirectory()
        let output = folder.file("out.\(type.fileExtension)")
        let encoder = try SndFileEncoder(path: output, format: original.format, fileType: type)
        // Write in uneven chunks: the output must not depend on how the input was cut.
        var start = 0
        while start < original.frameCount {
            let end = min(original.frameCount, start + 777)
            try encoder.write(original.frames(start..<end))
            start = end
        }
        try encoder.finish()
        #expect(try AudioFile.read(output) == original)
        let info = try AudioFile.info(output)
        #expect(info.bitDepth == type.bitDepth)
        #expect(info.container == (type.isWAV ? "WAV" : "FLAC"))
        // sox reads the file back to the same samples.
        #expect(try Reference.sox(output) == (try Reference.sox(fixture.path)) || type == .wav24 && fixture.name.hasPrefix("s16"))
    }

    /// The values go through the eight-lane path and the one-by-one remainder, depending on
    /// how many samples come before them.
    @Test("Floats are rounded (ties to even) and clipped to the integer range", arguments: 0..<9)
    func clipping(leadingSamples: Int) throws {
        let folder = try TemporaryDirectory()
        let output = folder.file("clip.wav")
        let encoder = try SndFileEncoder(path: output, format: .speech16kMono)
        let values: [Float] = [
            1.5, -1.5, 1.0, -1.0, 0.5 / 32_768, .nan, 100 / 32_768.0, 1.5 / 32_768, 32_767.6 / 32_768,
            -2.5 / 32_768, .infinity, -.infinity, -32_768.4 / 32_768,
        ]
        let leading = [Float](repeating: 0.25, count: leadingSamples)
        try encoder.write(PCMBuffer(format: .speech16kMono, interleaved: leading + values))
        try encoder.finish()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: output))
        let samples = bytes.suffix(2 * values.count).withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }
        #expect(samples == [32_767, -32_768, 32_767, -32_768, 0, 0, 100, 2, 32_767, -2, 32_767, -32_768, -32_768])
        // 1.5, −1.5, 1.0 (= 32,768), 32,767.6 (rounds to 32,768), NaN, +∞ and −∞ are clipped;
        // −32,768.4 rounds into range.
        #expect(encoder.clippedSampleCount == 7)
    }

    @Test("Nothing appears under the final name before finish(); an abandoned encoder leaves nothing")
    func atomicity() throws {
        let folder = try TemporaryDirectory()
        let output = folder.file("speech.wav")
        let tone = try PCMBuffer(format: .speech16kMono, interleaved: [Float](repeating: 0.25, count: 16_000))
        do {
            let encoder = try SndFileEncoder(path: output, format: .speech16kMono)
            try encoder.write(tone)
            #expect(!FileManager.default.fileExists(atPath: output))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)

        // finish() replaces an existing file in one step.
        try Data("old".utf8).write(to: URL(fileURLWithPath: output))
        let encoder = try SndFileEncoder(path: output, format: .speech16kMono)
        try encoder.write(tone)
        #expect(try Data(contentsOf: URL(fileURLWithPath: output)) == Data("old".utf8))
        try encoder.finish()
        #expect(try AudioFile.info(output).frameCount == 16_000)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["speech.wav"])
        #expect(throws: CodecError.self) { try encoder.write(tone) }
        #expect(throws: CodecError.self) { try encoder.finish() }
    }

    @Test("A finished file gets the permissions any new file gets under the process umask")
    func permissions() throws {
        let folder = try TemporaryDirectory()
        let output = folder.file("speech.wav")
        let encoder = try SndFileEncoder(path: output, format: .speech16kMono)
        try encoder.write(PCMBuffer(format: .speech16kMono, interleaved: [0.25, -0.25]))
        try encoder.finish()
        // The same as `touch` gives (it creates with 0666, minus the umask).
        let touched = folder.file("touched")
        try ExternalTool.run(["touch", touched])
        let attributes = { (path: String) in
            try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        }
        #expect(try attributes(output) == (try attributes(touched)))
    }

    @Test("Deferred durability writes the same complete file; a file-system flush commits it")
    func deferredDurability() throws {
        let folder = try TemporaryDirectory()
        let tone = try PCMBuffer(format: .speech16kMono, interleaved: (0..<16_000).map { Float($0 % 100) / 200 })
        for (name, durability) in [("synced.wav", OutputDurability.synced), ("deferred.wav", .deferred)] {
            let encoder = try SndFileEncoder(path: folder.file(name), format: .speech16kMono, durability: durability)
            #expect(encoder.durability == durability)
            try encoder.write(tone)
            try encoder.finish()
        }
        try OutputDurability.synchronizeFileSystem(containing: folder.path)
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder.file("deferred.wav")))
            == Data(contentsOf: URL(fileURLWithPath: folder.file("synced.wav"))))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["deferred.wav", "synced.wav"])
        let missing = #expect(throws: CodecError.self) {
            try OutputDurability.synchronizeFileSystem(containing: folder.file("no-such-folder"))
        }
        #expect(missing?.code == .notFound)
    }

    @Test("Small WAV output is plain RIFF, not RF64")
    func smallFilesStayWAV() throws {
        let folder = try TemporaryDirectory()
        for type in [AudioFileType.wav16, .wav24, .wav32Float] {
            let output = folder.file("\(type).wav")
            let encoder = try SndFileEncoder(path: output, format: .speech16kMono, fileType: type)
            try encoder.write(PCMBuffer(format: .speech16kMono, interleaved: [0.1, 0.2]))
            try encoder.finish()
            let head = try Data(contentsOf: URL(fileURLWithPath: output)).prefix(12)
            #expect(Array(head.prefix(4)) == Array("RIFF".utf8))
            #expect(Array(head.suffix(4)) == Array("WAVE".utf8))
            #expect(try Reference.soxi("-t", output) == "wav")
        }
    }

    @Test("Errors name the problem: missing folder, wrong format, impossible FLAC")
    func encoderErrors() throws {
        let missing = #expect(throws: CodecError.self) {
            try SndFileEncoder(path: "/nonexistent-folder/out.wav", format: .speech16kMono)
        }
        #expect(missing?.code == .notFound)
        let folder = try TemporaryDirectory()
        let encoder = try SndFileEncoder(path: folder.file("a.wav"), format: .speech16kMono)
        let stereo = try AudioFormat(sampleRate: 16_000, channelCount: 2)
        let mismatch = #expect(throws: CodecError.self) { try encoder.write(PCMBuffer(format: stereo)) }
        #expect(mismatch?.code == .invalidArgument)
        let wide = try AudioFormat(sampleRate: 16_000, channelCount: 12)
        let flac = #expect(throws: CodecError.self) {
            try SndFileEncoder(path: folder.file("wide.flac"), format: wide, fileType: .flac16)
        }
        #expect(flac?.code == .unsupportedCodec)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).allSatisfy { $0.hasPrefix(".a.wav") })
    }

    @Test("A full disk is a writeFailed error, and nothing is left behind")
    func diskFull() throws {
        // A real full disk: a 64 KiB tmpfs. Mounting needs root with CAP_SYS_ADMIN; elsewhere
        // the test has nothing real to run against and says so.
        let folder = try TemporaryDirectory()
        guard try ExternalTool.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", folder.path]).status == 0 else {
            print("diskFull: cannot mount a tmpfs here (needs root); not checked")
            return
        }
        defer { _ = try? ExternalTool.run(["umount", folder.path]) }
        let output = folder.file("big.wav")
        let encoder = try SndFileEncoder(path: output, format: .speech16kMono)
        let second = try PCMBuffer(format: .speech16kMono, interleaved: [Float](repeating: 0.1, count: 16_000))
        let error = #expect(throws: CodecError.self) {
            for _ in 0..<10 { try encoder.write(second) }
            try encoder.finish()
        }
        #expect(error?.code == .writeFailed)
        #expect(error?.subject == output)
        withExtendedLifetime(encoder) {}
        #expect(!FileManager.default.fileExists(atPath: output))
    }
}
