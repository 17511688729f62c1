import Foundation
import SpeechPrep
import SpeechPrepTesting
import Testing
import TestSupport

/// The SpeechPrepTesting product, checked against real tools and the real pipeline.
@Suite struct SpeechPrepTestingTests {
    /// `sox FILE -n stat` fields by name.
    static func soxStat(_ path: String, _ effects: [String] = []) throws -> [String: Double] {
        let output = try ExternalTool.run(["sox", path, "-n"] + effects + ["stat"])
        var fields: [String: Double] = [:]
        for line in String(decoding: output.stderr, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, let value = Double(parts[1].trimmingCharacters(in: .whitespaces)) {
                fields[parts[0].trimmingCharacters(in: .whitespaces)] = value
            }
        }
        return fields
    }

    @Test("Signals: sox measures the tone's frequency and level, the noise's level; seeds repeat")
    func signals() throws {
        let folder = try TemporaryDirectory()
        let stereo = try AudioFormat(sampleRate: 44_100, channelCount: 2)
        let tone = try AudioFixture.writeWAV(TestSignal.sine(frequency: 440, seconds: 1, format: stereo), to: folder.file("tone.wav"))
        let toneStat = try Self.soxStat(tone, ["remix", "2"])
        #expect(abs((toneStat["Rough   frequency"] ?? 0) - 440) < 5, "\(toneStat)")
        #expect(abs((toneStat["RMS     amplitude"] ?? 0) - 0.5 / 2.0.squareRoot()) < 0.005, "\(toneStat)")
        #expect(try AudioFile.info(tone).frameCount == 44_100)
        let noise = try AudioFixture.writeWAV(TestSignal.noise(seconds: 2, amplitude: 0.3, seed: 7), to: folder.file("noise.wav"))
        #expect(abs((try Self.soxStat(noise)["RMS     amplitude"] ?? 0) - 0.3 / 3.0.squareRoot()) < 0.005)
        #expect(TestSignal.noise(seconds: 0.1, seed: 7) == TestSignal.noise(seconds: 0.1, seed: 7))
        #expect(TestSignal.noise(seconds: 0.1, seed: 7) != TestSignal.noise(seconds: 0.1, seed: 8))
        let silence = TestSignal.silence(seconds: 0.5)
        #expect(silence.frameCount == 8_000)
        #expect(silence == (try PCMBuffer(format: .speech16kMono, interleaved: [Float](repeating: 0, count: 8_000))))
    }

    @Test("Speech-like bursts are cut by the silence segmenter where they lie")
    func bursts() throws {
        let (buffer, bursts) = TestSignal.speechLikeBursts(seconds: 10, seed: 3)
        #expect(bursts.count >= 5)
        var segmenter = try SilenceSegmenter(sampleRate: 16_000)
        let segments = try segmenter.segments(of: buffer)
        #expect(segments.count == bursts.count, "\(segments) vs \(bursts)")
        for (segment, burst) in zip(segments, bursts) {
            let start = Double(segment.startFrame) / 16_000, end = Double(segment.endFrame) / 16_000
            #expect(abs(start - burst.lowerBound) < 0.15 && abs(end - burst.upperBound) < 0.15, "\(segment) vs \(burst)")
        }
    }

    @Test("FLAC and MP3 fixtures decode to what was written (MP3: same length, as mpg123 says)")
    func fixtures() throws {
        let folder = try TemporaryDirectory()
        let tone = TestSignal.sine(frequency: 300, seconds: 1.5)
        let flac = try AudioFixture.writeFLAC(tone, to: folder.file("tone.flac"))
        let expected = try PCMBuffer(format: .speech16kMono, interleaved: tone.withUnsafeSamples { samples in
            samples.map { ($0 * 32_768).rounded(.toNearestOrEven) / 32_768 }
        })
        #expect(try AudioFile.read(flac) == expected)
        let mp3 = try AudioFixture.writeMP3(tone, to: folder.file("tone.mp3"))
        #expect(try AudioFile.info(mp3).frameCount == 24_000)
        let mpg123 = try ExternalTool.run(["mpg123", "-q", "-s", mp3])
        #expect(mpg123.stdout.count == 24_000 * 2)
    }

    @Test("The sample release is a bundled resource Common Voice reads")
    func sampleRelease() throws {
        #expect(SampleRelease.clips.count == 12)
        #expect(!SampleRelease.path.contains("/Samples/"))
        let release = try CommonVoiceRelease(path: SampleRelease.path)
        #expect(release.splits.sorted() == ["dev", "validated"])
        #expect(FileManager.default.fileExists(atPath: SampleRelease.clip("common_voice_en_40000001.mp3")))
    }

    @Test("Scripted recognisers drive the pipeline: texts, a failure and a delay, in call order")
    func scriptedPipeline() async throws {
        let out = try TemporaryDirectory()
        let factory = ScriptedTranscriberFactory(steps: [
            .text("first"), .failure(.engineFailed, "the engine gave up"), .delayed(seconds: 0.05, text: "third"),
        ])
        var configuration = PipelineConfiguration(input: .commonVoice(path: SampleRelease.path, split: "dev"), outputDirectory: out.path)
        configuration.transcriber = factory
        configuration.workerCount = 1
        configuration.limit = 3
        let summary = try await Pipeline(configuration).run()
        #expect(summary.failed == 1)
        #expect(factory.callCount == 3)
        let texts = CLI.lines(out.file("manifest.jsonl")).compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["pred_text"] as? String
        }
        #expect(texts == ["first", "third"])
        #expect(CLI.lines(out.file("failures.jsonl")).first?.contains("the engine gave up") == true)
    }

    @Test("A fixed-text recogniser, and SpeechInput's conversion for custom recognisers")
    func fixedTextAndSpeechInput() throws {
        let stereo = try AudioFormat(sampleRate: 48_000, channelCount: 2)
        let clip = TestSignal.sine(frequency: 1_000, seconds: 1, format: stereo)
        #expect(try FixedTextTranscriberFactory(text: "hello there").makeTranscriber().transcribe(clip).text == "hello there")
        let samples = try SpeechInput.int16Mono16k(clip)
        #expect(abs(samples.count - 16_000) <= 1)
        // The middle holds the full tone: peak 0.5 of full scale.
        let peak = samples[1_000..<15_000].map { abs(Int($0)) }.max() ?? 0
        #expect(abs(peak - 16_384) < 200, "\(peak)")
        #expect(try SpeechInput.mono16k(clip).format == .speech16kMono)
    }
}
