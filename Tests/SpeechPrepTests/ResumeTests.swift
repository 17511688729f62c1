import Foundation
import SpeechPrep
import SpeechPrepTesting
import TestSupport
import Testing

/// Resuming through the library: a rerun makes recognisers only when it has clips left.
@Suite struct ResumeTests {
    /// The final files a finished run writes, by name.
    static func finalFiles(in folder: String) -> [String: Data] {
        var files: [String: Data] = [:]
        for name in ["results.json", "manifest.jsonl", "failures.jsonl", "metadata.jsonl"] {
            files[name] = FileManager.default.contents(atPath: "\(folder)/\(name)")
        }
        return files
    }

    @Test("A resume with nothing left makes no recogniser and rewrites the same final files")
    func finishedRunResumesWithoutRecognisers() throws {
        let directory = try TemporaryDirectory(prefix: "resume")
        let folder = try SampleData.audioFolder(in: directory, copies: 1)  // 12 clips + 1 broken
        func configuration(_ factory: ScriptedTranscriberFactory) -> PipelineConfiguration {
            var configuration = PipelineConfiguration(input: .audioFolder(path: folder), outputDirectory: directory.file("out"))
            configuration.transcriber = factory
            configuration.workerCount = 1
            configuration.targetSampleRate = 48_000  // the clips' rate: no resampling to wait for
            return configuration
        }

        // Stopped after its first item: the rerun has clips left, so it makes its recogniser.
        let interrupted = ScriptedTranscriberFactory(steps: [.text("hello")])
        let pipeline = Pipeline(configuration(interrupted))
        let first = try pipeline.runBlocking { event in if event.done >= 1 { pipeline.requestStop() } }
        try #require(first.interrupted)
        #expect(interrupted.transcribersMade == 1)
        let finishing = ScriptedTranscriberFactory(steps: [.text("hello")])
        let second = try Pipeline(configuration(finishing)).runBlocking()
        #expect(!second.interrupted && second.processed > 0 && second.resumed == first.processed)
        #expect(finishing.transcribersMade == 1)
        let outputs = Self.finalFiles(in: directory.file("out"))
        #expect(outputs.count == 4)

        // Everything is journaled: no recogniser is made, and the outputs come out the same.
        let idle = ScriptedTranscriberFactory(steps: [.text("hello")])
        let third = try Pipeline(configuration(idle)).runBlocking()
        #expect(idle.transcribersMade == 0 && idle.callCount == 0)
        #expect(third.total == 13 && third.resumed == 13 && third.processed == 0 && !third.interrupted)
        #expect(third.failed == 1, "the broken file's failure comes from the journal")
        #expect(third.outputs.count == 4)
        #expect(Self.finalFiles(in: directory.file("out")) == outputs)

        // A strict rerun still refuses to end "done" with a failure an earlier run journaled.
        var strict = configuration(ScriptedTranscriberFactory(steps: [.text("hello")]))
        strict.strict = true
        #expect(throws: PipelineError.self) { try Pipeline(strict).runBlocking() }
    }
}
