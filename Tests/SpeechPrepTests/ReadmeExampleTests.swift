import Foundation
import SpeechPrep
import TestSupport
import Testing

/// The README's library example, as written there, so it cannot rot.
@Suite struct ReadmeExampleTests {
    static let clip = Fixtures.directory + "/../../Samples/commonvoice-sample/en/clips/common_voice_en_40000001.mp3"

    @Test func streamingConversionAndRecognitionWorkAsTheReadmeShows() throws {
        let decoder = try AudioFile.open(Self.clip)
        var resampler = try Resampler(
            inputRate: decoder.format.sampleRate, outputRate: 16_000, channelCount: 1)
        var speech = PCMBuffer(format: .speech16kMono)
        var chunk = PCMBuffer(format: decoder.format)
        while try decoder.read(into: &chunk, maxFrames: 65_536) > 0 {
            try speech.append(resampler.process(chunk.downmixedToMono()))
            chunk.removeAll()
        }
        try speech.append(resampler.flush())
        // Streaming in chunks gives the same samples as the whole-file convenience.
        #expect(speech == (try AudioFile.read(Self.clip, as: .speech16kMono)))

        let engine = try PocketSphinxTranscriber()
        let hypothesis = try engine.transcribe(speech).text
        let reference = "and mister john dashwood had then leisure to consider how much there might be prudently in his power to do for them"
        #expect(wordErrorRate(reference: reference, hypothesis: hypothesis) < 0.5)
    }

    @Test func pipelineRunsAsTheReadmeShows() async throws {
        let out = try TemporaryDirectory(prefix: "readme-pipeline")
        let release = Fixtures.directory + "/../../Samples/commonvoice-sample/en"
        var configuration = PipelineConfiguration(
            input: .commonVoice(path: release, split: "dev"), outputDirectory: out.path)
        configuration.transcriber = PocketSphinxFactory()
        configuration.limit = 2
        let summary = try await Pipeline(configuration).run { _ in }
        #expect(summary.failed == 0)
        #expect(FileManager.default.fileExists(atPath: out.file("results.json")))
    }
}
