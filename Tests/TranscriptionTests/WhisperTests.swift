import AudioCodec
import Foundation
import PCM
import Scoring
import TestSupport
import Testing
import Transcription

/// The Whisper venv the bootstrap makes (Scripts/bootstrap-whisper.sh), found as the CLI finds it.
enum WhisperVenv {
    static let path = WhisperFactory.locateVenv(
        environment: ProcessInfo.processInfo.environment, currentDirectory: FileManager.default.currentDirectoryPath)
    static var python: String { "\(path ?? "")/bin/python" }
    static var model: String { "\(path ?? "")/models/\(WhisperFactory.bundledModelName)" }
    static var isInstalled: Bool { path != nil && FileManager.default.fileExists(atPath: "\(model)/model.bin") }
    /// Slow tests (model loads, real decoding) run only with SPEECHPREP_SLOW_TESTS=1 (.ci/run);
    /// then a missing venv or model fails them instead of skipping them.
    static var slowTestsEnabled: Bool { ProcessInfo.processInfo.environment["SPEECHPREP_SLOW_TESTS"] == "1" }

    /// A copy of the bundled model folder whose files are symbolic links, except `model.bin`,
    /// which holds the first `keeping` bytes of the real one (a truncated download).
    static func truncatedCopy(in directory: TemporaryDirectory, keeping: Int, sidecar: Bool) throws -> String {
        let folder = directory.file("truncated")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for name in ["config.json", "tokenizer.json", "vocabulary.json"] {
            try FileManager.default.createSymbolicLink(atPath: "\(folder)/\(name)", withDestinationPath: "\(model)/\(name)")
        }
        if sidecar {
            try FileManager.default.copyItem(atPath: "\(model)/model.bin.sha256", toPath: "\(folder)/model.bin.sha256")
        }
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: "\(model)/model.bin"))
        defer { try? handle.close() }
        try handle.readData(ofLength: keeping).write(to: URL(fileURLWithPath: "\(folder)/model.bin"))
        return folder
    }
}

/// Bad input: rejected before any clip, with the folder, file or language named. Only the
/// truncated-model case without a checksum loads CTranslate2 (about 2 s).
@Suite(.enabled(if: WhisperVenv.isInstalled)) struct WhisperFactoryTests {
    @Test func missingModelFolderIsNamed() throws {
        let error = #expect(throws: TranscriptionError.self) {
            try WhisperFactory(model: "/nonexistent/whisper-small", python: WhisperVenv.python)
        }
        #expect(error?.code == .modelNotFound)
        #expect(error?.description.contains("/nonexistent/whisper-small") == true)
    }

    @Test func folderWithoutModelFilesIsNamed() throws {
        let directory = try TemporaryDirectory()
        try Data("{}".utf8).write(to: URL(fileURLWithPath: directory.file("config.json")))
        let error = #expect(throws: TranscriptionError.self) {
            try WhisperFactory(model: directory.path, python: WhisperVenv.python)
        }
        #expect(error?.code == .modelNotFound)
        #expect(error?.message.contains("model.bin") == true)
        #expect(error?.message.contains("config.json") == false)
    }

    @Test func badOptionsAreRejected() throws {
        #expect(throws: TranscriptionError.self) { try WhisperFactory(python: WhisperVenv.python, computeType: "int4") }
        #expect(throws: TranscriptionError.self) { try WhisperFactory(python: WhisperVenv.python, beamSize: 0) }
        #expect(throws: TranscriptionError.self) { try WhisperFactory(python: WhisperVenv.python, threads: 0) }
    }

    @Test func configurationRecordsWhatChangesTheOutput() throws {
        let base = try WhisperFactory(python: WhisperVenv.python)
        let sha = try String(contentsOfFile: "\(WhisperVenv.model)/model.bin.sha256", encoding: .utf8)
        #expect(base.engineName == "whisper")
        #expect(base.checkpointSettings["model"] == WhisperVenv.model)
        #expect(base.checkpointSettings["model_sha256"] == sha.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(base.checkpointSettings["language"] == "item")
        for other in [
            try WhisperFactory(python: WhisperVenv.python, language: "en"),
            try WhisperFactory(python: WhisperVenv.python, beamSize: 1),
            try WhisperFactory(python: WhisperVenv.python, computeType: "float32"),
        ] {
            #expect(other.checkpointSettings != base.checkpointSettings)
        }
        // The name under the venv's models/ and the folder's path are the same model.
        #expect(try WhisperFactory(model: "whisper-base", python: WhisperVenv.python).checkpointSettings == base.checkpointSettings)
    }

    @Test func truncatedModelFailsAtStartAgainstItsChecksum() throws {
        let directory = try TemporaryDirectory()
        let folder = try WhisperVenv.truncatedCopy(in: directory, keeping: 50_000_000, sidecar: true)
        let factory = try WhisperFactory(model: folder, python: WhisperVenv.python)
        let error = #expect(throws: TranscriptionError.self) { try factory.makeTranscriber() }
        #expect(error?.code == .launchFailed)
        #expect(error?.description.contains("truncated") == true, "\(String(describing: error))")
        #expect(error?.description.contains("50000000 bytes") == true, "\(String(describing: error))")
    }

    @Test func truncatedModelWithoutChecksumFailsWhenLoaded() throws {
        let directory = try TemporaryDirectory()
        let folder = try WhisperVenv.truncatedCopy(in: directory, keeping: 100_000_000, sidecar: false)
        let factory = try WhisperFactory(model: folder, python: WhisperVenv.python)
        #expect(factory.modelSHA256.count == 64)  // computed with sha256sum
        let error = #expect(throws: TranscriptionError.self) { try factory.makeTranscriber() }
        #expect(error?.code == .launchFailed)
        #expect(error?.description.contains("cannot load Whisper model") == true, "\(String(describing: error))")
    }

    @Test func fixedLanguageTheModelLacksFailsAtStart() throws {
        let factory = try WhisperFactory(python: WhisperVenv.python, language: "tlh")
        let error = #expect(throws: TranscriptionError.self) { try factory.makeTranscriber() }
        #expect(error?.code == .launchFailed)
        #expect(error?.description.contains("language 'tlh' is not supported") == true, "\(String(describing: error))")
    }
}

/// Whisper base decoding real speech. Loads the model and decodes for about a minute of CPU:
/// run with SPEECHPREP_SLOW_TESTS=1 (its own CI step).
@Suite(.enabled(if: WhisperVenv.slowTestsEnabled), .serialized) struct WhisperSlowTests {
    @Test func librivoxWordErrorRate() throws {
        let engine = try WhisperFactory(python: WhisperVenv.python, threads: 2).makeTranscriber()
        let clips = try SphinxTestData.librivox()
        let normalizer = ComposedNormalizer([LowercaseNormalizer(), PunctuationRemover(), WhitespaceCollapser()])
        var hypotheses: [String] = []
        for (path, reference) in clips {
            let transcript = try engine.transcribe(AudioFile.read(path), context: ClipContext(id: path, language: "en"))
            #expect(transcript.language == "en")
            #expect(wordErrorRate(reference: reference, hypothesis: transcript.text, normalizer: normalizer) <= 0.35, "\(path): \(transcript.text)")
            hypotheses.append(transcript.text)
        }
        let report = try score(references: clips.map(\.reference), hypotheses: hypotheses, normalizer: normalizer)
        print("Whisper base LibriVox corpus WER (lowercase-punctuation) \(report.wer)")
        // 11.3 % measured, as with a plain faster-whisper loop: under this normaliser the
        // hyphens of "ill-disposed" and "Mr." for "mister" count as errors; openai-whisper's
        // English normaliser gives 1.4 % (Scripts/compare-whisper.sh).
        #expect(report.wer <= 0.15)
    }

    @Test func cantoneseGivesChineseCharacters() throws {
        let directory = try TemporaryDirectory()
        let wav = directory.file("yue.wav")
        let speech = try ExternalTool.run(["espeak-ng", "-v", "yue", "-w", wav, "今日天氣好好，我哋去飲茶。"])
        try #require(speech.status == 0)
        let engine = try WhisperFactory(python: WhisperVenv.python, threads: 2).makeTranscriber()
        let transcript = try engine.transcribe(AudioFile.read(wav), context: ClipContext(id: "yue-1", language: "yue"))
        let han = transcript.text.unicodeScalars.filter { (0x4E00...0x9FFF).contains($0.value) }
        #expect(han.count >= 3, "\(transcript.text)")
        #expect(transcript.language == "zh")  // Whisper base has no yue token
    }

    @Test func clipLanguageTheModelLacksFailsThatClip() throws {
        let engine = try WhisperFactory(python: WhisperVenv.python, threads: 2).makeTranscriber()
        let clip = try SphinxTestData.raw("goforward.raw")
        let error = #expect(throws: TranscriptionError.self) {
            try engine.transcribe(clip, context: ClipContext(id: "x", language: "tlh-AQ"))
        }
        #expect(error?.description.contains("language 'tlh-AQ' is not supported") == true, "\(String(describing: error))")
        // The worker goes on with the next clip.
        let next = try engine.transcribe(clip, context: ClipContext(id: "y", language: "en-GB"))
        #expect(next.text.lowercased().contains("forward"))
        #expect(next.language == "en")
    }
}
