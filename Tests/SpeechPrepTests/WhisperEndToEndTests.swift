import Foundation
import Testing
import TestSupport

/// The model `make bootstrap` installs into the repository's `.venv-whisper`.
enum BootstrapWhisper {
    static var model: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".venv-whisper/models/whisper-base").path
    }
    /// With SPEECHPREP_SLOW_TESTS=1 the test runs, and fails when the bootstrap did not install
    /// the model: a missing install must not pass as a skip.
    static var slowTestsEnabled: Bool { ProcessInfo.processInfo.environment["SPEECHPREP_SLOW_TESTS"] == "1" }
}

/// `speechprep transcribe --engine whisper` on the bundled sample, with the venv and model the
/// bootstrap installs (found without flags, as a user runs it). Loads Whisper base in two
/// workers: run with SPEECHPREP_SLOW_TESTS=1 (its own CI step).
@Suite(.serialized, .enabled(if: BootstrapWhisper.slowTestsEnabled)) struct WhisperEndToEndTests {
    static let model = BootstrapWhisper.model

    @Test func transcribesTheSampleAndRefusesAnotherModelOnResume() throws {
        let tmp = try TemporaryDirectory()
        let out = tmp.file("out")
        let arguments = ["transcribe", CLI.sample, "--split", "dev", "--out", out, "--engine", "whisper", "--workers", "2", "--limit", "3"]
        let first = try CLI.run(arguments)
        #expect(first.status == 0, "\(first.stderr)")
        let rows = try #require(
            try JSONSerialization.jsonObject(with: CLI.read("\(out)/results.json")) as? [String: [String: String]])
        #expect(rows.count == 3)
        // The dev split's first clip; Whisper writes it with capitals and punctuation.
        #expect(rows["0"]?["asr"] == "He was not an ill-disposed young man.")
        let journal = CLI.lines("\(out)/journal.jsonl").first ?? ""
        for recorded in ["\"engine.model\": \"\(Self.model)\"", "\"engine.model_sha256\": \"", "\"engine.language\": \"item\"",
                         "\"engine.beam_size\": \"5\"", "\"engine.compute_type\": \"int8\""] {
            #expect(journal.contains(recorded), "\(recorded) not in \(journal)")
        }

        // The same model under another path (links to the same files) is another model for the
        // journal: refused, nothing rewritten.
        let copy = tmp.file("whisper-copy")
        try FileManager.default.createDirectory(atPath: copy, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: Self.model) {
            try FileManager.default.createSymbolicLink(atPath: "\(copy)/\(name)", withDestinationPath: "\(Self.model)/\(name)")
        }
        let results = CLI.read("\(out)/results.json")
        for change in [["--model", copy], ["--beam-size", "1"], ["--language", "en"], ["--compute-type", "float32"]] {
            let refused = try CLI.run(arguments + change)
            #expect(refused.status == 1, "\(change)")
            #expect(refused.stderr.contains("--fresh"), "\(change): \(refused.stderr)")
        }
        #expect(CLI.read("\(out)/results.json") == results)

        // A model folder that does not exist is named before anything starts.
        let missing = try CLI.run(arguments + ["--model", tmp.file("nope"), "--fresh"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains(tmp.file("nope")), "\(missing.stderr)")
    }
}
