import AudioCodec
import Foundation
import PCM
import Testing
import TestSupport

@Suite("Converting files streams decode → mix → resample → encode")
struct ConverterTests {
    /// Two steady tones well inside every band, so two good resamplers must agree closely.
    static let tones = Fixture(name: "tones-44k-stereo.wav", sampleRate: 44_100, channels: 2) { _, output in
        ["sox", "-n", "-r", "44100", "-c", "2", "-b", "24", output, "synth", "2", "sine", "1000", "sine", "523", "gain", "-6"]
    }

    @Test("44.1 kHz stereo → 16 kHz mono agrees with sox and has the exact length")
    func agreesWithSox() throws {
        let folder = try TemporaryDirectory()
        let output = folder.file("out.wav")
        let report = try AudioConverter.convert(
            from: Self.tones.path, to: output, options: .init(fileType: .wav32Float))
        #expect(report.inputFrames == 88_200)
        #expect(report.outputFrames == 32_000)
        #expect(report.outputFormat == .speech16kMono)
        #expect(report.source.channelCount == 2)
        let ours = try AudioFile.read(output)
        #expect(ours.frameCount == 32_000)
        let sox = try ExternalTool.run(["sox", Self.tones.path, "-r", "16000", "-c", "1", "-t", "f32", "-"]).stdout
            .withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        #expect(sox.count == 32_000)
        // Skip the first and last 10 ms, where the two resamplers' edge handling differs.
        let middle = 160..<(32_000 - 160)
        let rms = (middle.map { Double(ours.samples[$0] - sox[$0]) }.map { $0 * $0 }.reduce(0, +) / Double(middle.count)).squareRoot()
        #expect(rms < 1e-4, "rms difference \(rms)")
    }

    @Test("MP3 → 16 kHz mono WAV: length follows mpg123's decode length")
    func mp3ToSpeechWAV() throws {
        let mp3 = Recipes.mpeg[0]
        let folder = try TemporaryDirectory()
        let output = folder.file("speech.wav")
        let report = try AudioConverter.convert(from: mp3.path, to: output)
        let decodedFrames = try Reference.mpg123(mp3.path).count / 2
        // libmpg123 mixed to mono itself.
        #expect(report.decodedFormat == (try AudioFormat(sampleRate: 44_100, channelCount: 1)))
        #expect(report.inputFrames == decodedFrames)
        #expect(report.outputFrames == Int((Double(decodedFrames) * 16_000 / 44_100).rounded()))
        let info = try AudioFile.info(output)
        #expect(info.sampleRate == 16_000 && info.channelCount == 1 && info.codec == "PCM_16")
        #expect(info.frameCount == report.outputFrames)
        #expect(try Reference.soxi("-s", output) == "\(report.outputFrames)")
    }

    @Test("One converter for many files gives what a new converter per file gives, to the byte")
    func reusedConverter() throws {
        let folder = try TemporaryDirectory()
        // Two rates and two channel layouts, each met twice, with a failure in between.
        let sources = [Recipes.mpeg[0].path, Recipes.lossless[4].path, Self.tones.path, "/nonexistent.mp3", Recipes.mpeg[0].path, Self.tones.path]
        var converter = AudioConverter(options: .init(chunkFrames: 4_096))
        for (index, source) in sources.enumerated() {
            let reused = folder.file("reused-\(index).wav"), fresh = folder.file("fresh-\(index).wav")
            let outcome = Result { () throws(CodecError) in try converter.convert(from: source, to: reused) }
            guard case .success = outcome else {
                #expect(source == "/nonexistent.mp3")
                continue
            }
            try AudioConverter.convert(from: source, to: fresh, options: .init(chunkFrames: 4_096))
            #expect(FileManager.default.contents(atPath: reused) == FileManager.default.contents(atPath: fresh), "\(source)")
            // Reading into memory through the same converter matches a one-off read.
            #expect(try converter.read(source, as: .speech16kMono) == (try AudioFile.read(source, as: .speech16kMono)))
        }
    }

    @Test("The output does not depend on the chunk size", arguments: [Recipes.mpeg[0], Recipes.lossless[4]])
    func chunkIndependence(fixture: Fixture) throws {
        let folder = try TemporaryDirectory()
        let small = folder.file("small.wav"), large = folder.file("large.wav")
        try AudioConverter.convert(from: fixture.path, to: small, options: .init(chunkFrames: 1_000))
        try AudioConverter.convert(from: fixture.path, to: large, options: .init(chunkFrames: 65_536))
        #expect(FileManager.default.contents(atPath: small) == FileManager.default.contents(atPath: large))
    }

    @Test("AudioFile.read(as:) gives the converter's samples")
    func readAsMatchesConvert() throws {
        let folder = try TemporaryDirectory()
        let output = folder.file("out.wav")
        try AudioConverter.convert(from: Self.tones.path, to: output, options: .init(fileType: .wav32Float))
        #expect(try AudioFile.read(Self.tones.path, as: .speech16kMono) == (try AudioFile.read(output)))
        // Keeping the format returns the file as it is.
        #expect(try AudioFile.read(Self.tones.path, as: nil).format.sampleRate == 44_100)
    }

    @Test("Mono is copied to every channel; 3 → 2 channels is refused and leaves no file")
    func channelMapping() throws {
        let folder = try TemporaryDirectory()
        let stereo = folder.file("stereo.wav")
        let report = try AudioConverter.convert(
            from: Recipes.lossless[0].path, to: stereo, options: .init(sampleRate: nil, channelCount: 2))
        let both = try AudioFile.read(stereo)
        #expect(report.outputFormat.channelCount == 2 && report.outputFormat.sampleRate == 8_000)
        #expect(try both.channel(0) == (try both.channel(1)))

        let three = folder.file("three.wav")
        try ExternalTool.run(["sox", "-n", "-r", "8000", "-c", "3", three, "trim", "0", "0.1"])
        let error = #expect(throws: CodecError.self) {
            try AudioConverter.convert(from: three, to: folder.file("two.wav"), options: .init(sampleRate: nil, channelCount: 2))
        }
        #expect(error?.code == .unsupportedCodec)
        #expect(!FileManager.default.fileExists(atPath: folder.file("two.wav")))
    }

    @Test("Clipped samples are counted in the report")
    func clippingReported() throws {
        let folder = try TemporaryDirectory()
        let loud = folder.file("loud.wav")
        let encoder = try SndFileEncoder(path: loud, format: .speech16kMono, fileType: .wav32Float)
        try encoder.write(PCMBuffer(format: .speech16kMono, interleaved: [Float](repeating: 1.5, count: 1_000) + [Float](repeating: 0.5, count: 600)))
        try encoder.finish()
        let report = try AudioConverter.convert(from: loud, to: folder.file("out.wav"))
        #expect(report.clippedSamples == 1_000)
    }

    @Test("Half-rate MP3 decoding equals mpg123 --2to1 and keeps the 16 kHz result's length and level")
    func halfRateDecoding() throws {
        let path = Recipes.mpeg[0].path
        let half = try MPG123Decoder(path: path, mixToMono: true, targetSampleRate: 16_000)
        #expect(half.format.sampleRate == 22_050)
        let reference = try ExternalTool.run(["mpg123", "-q", "-s", "-2", "-m", path]).stdout
            .withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }
        #expect(half.frameCount == reference.count)
        expectWithinOneLSB(try half.readAll().samples, reference)

        // Converting through it gives the exact path's length and level.
        let folder = try TemporaryDirectory()
        let fastPath = folder.file("fast.wav"), exactPath = folder.file("exact.wav")
        let fastReport = try AudioConverter.convert(
            from: path, to: fastPath, options: .init(fileType: .wav32Float, halfRateMPEGDecoding: true))
        try AudioConverter.convert(from: path, to: exactPath, options: .init(fileType: .wav32Float))
        #expect(fastReport.decodedFormat.sampleRate == 22_050)
        let fast = try AudioFile.read(fastPath), exact = try AudioFile.read(exactPath)
        #expect(fast.frameCount == exact.frameCount)
        let level = { (b: PCMBuffer) in b.samples.map { Double($0) * Double($0) }.reduce(0, +) }
        #expect(abs(10 * log10(level(fast) / level(exact))) < 0.05)
    }
}
