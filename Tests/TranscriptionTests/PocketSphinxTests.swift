import AudioCodec
import Foundation
import PCM
import Scoring
import TestSupport
import Testing
import Transcription

/// PocketSphinx with the default `pocketsphinx-en-us` model on the recordings and reference
/// transcripts shipped in Debian's `pocketsphinx-testdata`.
@Suite("PocketSphinx on Debian's test recordings", .enabled(if: SphinxTestData.isInstalled))
struct PocketSphinxTestDataTests {
    @Test func goForwardIsRecognisedExactlyWithWordTimings() throws {
        let engine = try PocketSphinxTranscriber()
        let clip = try SphinxTestData.raw("goforward.raw")
        let transcript = try engine.transcribe(clip)
        #expect(transcript.text == "go forward ten meters")
        #expect(transcript.engine == "pocketsphinx")
        #expect(transcript.words.map(\.word) == ["go", "forward", "ten", "meters"])
        let times = transcript.words.flatMap { [$0.startSeconds, $0.endSeconds] }
        #expect(times == times.sorted())
        #expect((times.first ?? -1) >= 0 && (times.last ?? .infinity) <= clip.durationSeconds)
        #expect(transcript.words.allSatisfy { (0...1).contains($0.confidence ?? -1) })
    }

    /// Measured with the default model: corpus WER 0.31 (22 errors in 71 words), worst clip
    /// 0.43. `pocketsphinx_continuous` gives the same order (its own `test-lm.match`).
    @Test func librivoxClipsMatchTheirReferenceWithinTheMeasuredWER() throws {
        let engine = try PocketSphinxTranscriber()
        let report = try corpusScore(engine, try SphinxTestData.librivox(), worstClipAtMost: 0.5)
        print("librivox corpus WER \(report.wer)")
        #expect(report.total.referenceLength == 71)
        #expect(report.wer <= 0.35)
    }

    /// The `cards` recordings decoded with their JSGF grammar: measured 1 error in 21 words
    /// (`001` gets an inserted "five", exactly as `pocketsphinx_continuous -jsgf` does with
    /// this model; `cards.hyp` was made with another one).
    @Test func cardsWithTheirGrammarMatchTheirReference() throws {
        var configuration = PocketSphinxConfiguration.default
        configuration.search = .grammar("\(SphinxTestData.directory)/cards/cards.gram")
        let engine = try PocketSphinxTranscriber(configuration: configuration)
        let report = try corpusScore(engine, try SphinxTestData.cards(), worstClipAtMost: 0.34)
        #expect(report.total.referenceLength == 21)
        #expect(report.wer <= 0.08)
    }

    /// One engine per worker: engines made and used on parallel tasks give the same text as
    /// one engine used sequentially (set-up touches sphinxbase's global state).
    @Test func enginesFromAFactoryWorkInParallel() async throws {
        let clips = try SphinxTestData.cards().map(\.path)
        var grammar = PocketSphinxConfiguration.default
        grammar.search = .grammar("\(SphinxTestData.directory)/cards/cards.gram")
        let factory = PocketSphinxFactory(configuration: grammar)
        let sequential = try factory.makeTranscriber()
        let expected = try clips.map { try sequential.transcribe(AudioFile.read($0)).text }
        let parallel = try await withThrowingTaskGroup(of: (Int, [String]).self) { group in
            for worker in 0..<3 {
                group.addTask {
                    let engine = try factory.makeTranscriber()
                    return (worker, try clips.map { try engine.transcribe(AudioFile.read($0)).text })
                }
            }
            return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        #expect(parallel.count == 3)
        #expect(parallel.values.allSatisfy { $0 == expected })
    }

    /// Nothing in, nothing out: an empty clip and a click of 10 ms give empty transcripts.
    @Test func emptyAndTinyClipsGiveEmptyText() throws {
        let engine = try PocketSphinxTranscriber()
        #expect(try engine.transcribe(PCMBuffer(format: .speech16kMono)).text == "")
        let click = try PCMBuffer(format: .speech16kMono, interleaved: [Float](repeating: 0.5, count: 160))
        #expect(try engine.transcribe(click).words.isEmpty)
        #expect(try engine.transcribe(SphinxTestData.raw("goforward.raw")).text == "go forward ten meters")
    }

    /// Keyword spotting (`-kws`) finds the one listed phrase and nothing else.
    @Test func keywordListSpotsOnlyItsPhrase() throws {
        let folder = try TemporaryDirectory(prefix: "sphinx-kws")
        try "forward /1e-20/\n".write(toFile: folder.file("keywords"), atomically: true, encoding: .utf8)
        var configuration = PocketSphinxConfiguration.default
        configuration.search = .keywords(folder.file("keywords"))
        let transcript = try PocketSphinxTranscriber(configuration: configuration).transcribe(SphinxTestData.raw("goforward.raw"))
        #expect(transcript.text.split(separator: " ").allSatisfy { $0 == "forward" })
        #expect(transcript.text.contains("forward"))
    }

    @Test func cancellationStopsTheDecoderAndLeavesItUsable() async throws {
        // The engine is used by one task at a time: first the cancelled one, then this one.
        nonisolated(unsafe) let engine = try PocketSphinxTranscriber()
        let clip = try SphinxTestData.raw("goforward.raw")
        let cancelled = await Task { () -> TranscriptionError? in
            withUnsafeCurrentTask { $0?.cancel() }
            return #expect(throws: TranscriptionError.self) { try engine.transcribe(clip) }
        }.value
        #expect(cancelled?.code == .cancelled)
        #expect(try engine.transcribe(clip).text == "go forward ten meters")
    }
}

@Suite("PocketSphinx configuration") struct PocketSphinxConfigurationTests {
    @Test func defaultModelIsFoundInTheInstalledPackage() {
        let configuration = PocketSphinxConfiguration.default
        #expect(FileManager.default.fileExists(atPath: "\(configuration.acousticModel)/mdef"))
        #expect(FileManager.default.fileExists(atPath: configuration.dictionary))
        #expect(configuration.search == .languageModel("\(PocketSphinxConfiguration.modelDirectory)/en-us/en-us.lm.bin"))
    }

    @Test func missingDefaultModelNamesTheDebianPackage() {
        var configuration = PocketSphinxConfiguration.default
        configuration.acousticModel = "\(PocketSphinxConfiguration.modelDirectory)/xx-yy/xx-yy"
        let error = #expect(throws: TranscriptionError.self) { try PocketSphinxTranscriber(configuration: configuration) }
        #expect(error?.code == .modelNotFound)
        #expect(error?.description.contains("apt-get install pocketsphinx-en-us") == true)
        #expect(error?.subject == configuration.acousticModel)
    }

    @Test(arguments: [["no-such-option": "1"], ["-logfn": "/tmp/sphinx.log"]])
    func unsupportedDecoderOptionIsRejected(options: [String: String]) {
        var configuration = PocketSphinxConfiguration.default
        configuration.options = options
        #expect { try PocketSphinxTranscriber(configuration: configuration) } throws: {
            ($0 as? TranscriptionError)?.code == .invalidConfiguration
        }
    }

    @Test func factoryConfigurationChangesWithTheOptions() throws {
        let plain = PocketSphinxFactory()
        var tuned = PocketSphinxConfiguration.default
        tuned.options = ["beam": "1e-60"]
        #expect(plain.checkpointSettings["-hmm"] == PocketSphinxConfiguration.default.acousticModel)
        #expect(plain.checkpointSettings["engine"] == "pocketsphinx")
        #expect(PocketSphinxFactory(configuration: tuned).checkpointSettings["-beam"] == "1e-60")
        #expect(plain.checkpointSettings != PocketSphinxFactory(configuration: tuned).checkpointSettings)
        #expect(try plain.makeTranscriber().engineName == "pocketsphinx")
    }
}

/// Clips in other formats are downmixed and resampled before decoding: `goforward.raw`
/// converted by sox to another rate and channel count still comes out right.
@Suite("PocketSphinx input conversion", .enabled(if: SphinxTestData.isInstalled && ExternalTool.find("sox") != nil))
struct PocketSphinxConversionTests {
    @Test(arguments: [(44_100.0, 2), (22_050, 6)])
    func otherFormatsAreConverted(rate: Double, channels: Int) throws {
        let folder = try TemporaryDirectory(prefix: "sphinx-convert")
        let floats = folder.file("clip.f32")
        try ExternalTool.run([
            "sox", "-t", "raw", "-r", "16000", "-e", "signed", "-b", "16", "-c", "1",
            "\(SphinxTestData.directory)/goforward.raw",
            "-t", "raw", "-e", "floating-point", "-b", "32", "-r", "\(Int(rate))", "-c", "\(channels)", floats,
        ])
        let data = try Data(contentsOf: URL(fileURLWithPath: floats))
        let samples = data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        let clip = try PCMBuffer(format: AudioFormat(sampleRate: rate, channelCount: channels), interleaved: samples)
        #expect(try PocketSphinxTranscriber().transcribe(clip).text == "go forward ten meters")
    }
}

/// A clip's transcript must not depend on what the engine decoded before it: pipelines give
/// clips to workers in any order, and a resumed run must reproduce an uninterrupted one.
@Suite("PocketSphinx transcripts are history-free", .enabled(if: SphinxTestData.isInstalled))
struct PocketSphinxHistoryTests {
    @Test func aClipDecodesTheSameAfterOtherClipsAsOnAFreshEngine() throws {
        let clips = try SphinxTestData.librivox().map { try AudioFile.read($0.path) }
            + [try SphinxTestData.raw("goforward.raw"), try SphinxTestData.raw("numbers.raw")]
        var fresh: [Transcript] = []
        for clip in clips { fresh.append(try PocketSphinxTranscriber().transcribe(clip)) }
        let reused = try PocketSphinxTranscriber()
        // Reverse order, so every clip follows different clips than on its fresh engine.
        for (clip, expected) in zip(clips, fresh).reversed() {
            #expect(try reused.transcribe(clip) == expected)
        }
    }
}
