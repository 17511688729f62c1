import Foundation
import SpeechPrep
import SystemPackage
import Testing
import TestSupport

/// One detection rule for the library and the command line, Hugging Face audio folders given
/// as folders, and the open `.custom` input.
@Suite struct InputDetectionTests {
    /// The sample's dev split as a Hugging Face audio folder: the clips beside a
    /// `metadata.csv` whose `file_name` and `transcription` come from `dev.tsv`.
    static func audioFolder(at folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var csv = "file_name,transcription\n"
        for row in CLI.lines("\(CLI.sample)/dev.tsv").dropFirst() {
            let fields = row.split(separator: "\t", omittingEmptySubsequences: false)
            try FileManager.default.copyItem(atPath: "\(CLI.sample)/clips/\(fields[1])", toPath: "\(folder)/\(fields[1])")
            csv += "\(fields[1]),\"\(fields[3])\"\n"
        }
        try Data(csv.utf8).write(to: URL(fileURLWithPath: "\(folder)/metadata.csv"))
    }

    /// `id → truth` of a results.json.
    static func truths(_ out: String) throws -> [String: String] {
        let object = try JSONSerialization.jsonObject(with: CLI.read("\(out)/results.json")) as? [String: [String: String]] ?? [:]
        return Dictionary(uniqueKeysWithValues: object.values.map { ($0["ID"] ?? "", $0["truth"] ?? "") })
    }

    @Test("An audio folder given as a folder keeps its transcripts and the metadata file's ids; WER is printed")
    func audioFolderEndToEnd() throws {
        let tmp = try TemporaryDirectory()
        let folder = tmp.file("hf")
        try Self.audioFolder(at: folder)
        // The same data with its metadata in a split subfolder.
        try Self.audioFolder(at: tmp.file("splits/test"))
        var results: [String: [String: String]] = [:]
        for (name, input) in [("folder", folder), ("file", "\(folder)/metadata.csv"), ("splits", tmp.file("splits")),
                              ("split", tmp.file("splits"))] {
            let split = name == "split" ? ["--split", "test"] : []
            let run = try CLI.run(["transcribe", input, "--out", tmp.file(name), "-q"] + split + LimitAndChunkTests.echoEngine)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains("WER"), "\(name): \(run.stdout)")
            results[name] = try Self.truths(tmp.file(name))
        }
        #expect(results["folder"]?.count == 6)
        #expect(results["folder"]?.values.allSatisfy { !$0.isEmpty } == true)
        #expect(results["folder"]?["common_voice_en_40000002"] == "He was not an ill disposed young man.")
        for name in ["file", "splits", "split"] { #expect(results[name] == results["folder"], "\(name)") }
    }

    @Test("The library and the CLI classify inputs by the same rule")
    func oneRule() throws {
        let tmp = try TemporaryDirectory()
        try Self.audioFolder(at: tmp.file("hf"))
        try FileManager.default.createDirectory(atPath: tmp.file("plain"), withIntermediateDirectories: true)
        #expect(try PipelineInput.detect(tmp.file("hf")) == .manifest(path: tmp.file("hf")))
        #expect(try ManifestFormat.detect(path: tmp.file("hf")) == .audioFolder)
        #expect(try PipelineInput.detect(tmp.file("plain")) == .audioFolder(path: tmp.file("plain")))
        #expect(try ManifestFormat.detect(path: tmp.file("plain")) == .audioFiles)
        #expect(try PipelineInput.detect(CLI.sample, split: "dev") == .commonVoice(path: CLI.sample, split: "dev"))
        #expect(try ManifestFormat.detect(path: CLI.sample) == .commonVoiceRelease)
        let missing = #expect(throws: PipelineError.self) { try PipelineInput.detect(tmp.file("nothing")) }
        #expect(missing?.code == .invalidInput)
    }

    @Test("A plain folder takes every container AudioFile decodes, m4a and webm included")
    func plainFolderTakesEveryContainer() throws {
        let tmp = try TemporaryDirectory()
        let folder = tmp.file("plain")
        try FileManager.default.createDirectory(atPath: "\(folder)/sub", withIntermediateDirectories: true)
        let clip = "\(CLI.sample)/clips/common_voice_en_40000001.mp3"
        for name in ["a.m4a", "sub/b.webm", "c.mp4"] {
            let made = try ExternalTool.run(["ffmpeg", "-v", "error", "-i", clip, "-t", "1", "\(folder)/\(name)"])
            #expect(made.status == 0, "\(String(decoding: made.stderr, as: UTF8.self))")
        }
        try FileManager.default.copyItem(atPath: clip, toPath: "\(folder)/d.mp3")
        try Data("notes".utf8).write(to: URL(fileURLWithPath: "\(folder)/notes.txt"))
        let run = try CLI.run(["prepare", folder, "--out", tmp.file("out"), "-q"])
        #expect(run.status == 0, "\(run.stderr)")
        let ids = CLI.lines(tmp.file("out/manifest.jsonl")).compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["audio_filepath"] as? String
        }.map { ($0 as NSString).lastPathComponent }.sorted()
        #expect(ids == ["a.wav", "c.wav", "d.wav", "sub%2Fb.wav"])  // ids escape "/" in file names
        #expect(CLI.lines(tmp.file("out/failures.jsonl")).isEmpty)
    }

    /// A reader of entries held in memory: what a library user might feed the pipeline from.
    struct ListReader: ManifestReader {
        var entries: [ManifestEntry]
        var issues: [DatasetError] { [] }
        mutating func next() throws(DatasetError) -> ManifestEntry? { entries.isEmpty ? nil : entries.removeFirst() }
    }

    @Test("A custom reader feeds the pipeline; relative paths resolve against its root")
    func customInput() async throws {
        let out = try TemporaryDirectory(prefix: "custom-input")
        let input = CustomPipelineInput(name: "in-memory", root: "\(CLI.sample)/clips") {
            ListReader(entries: [
                ManifestEntry(id: "first", audioPath: "common_voice_en_40000003.mp3", text: "one"),
                ManifestEntry(id: "second", audioPath: "\(CLI.sample)/clips/common_voice_en_40000005.mp3", text: "two"),
                ManifestEntry(id: "missing", audioPath: "no-such-clip.mp3"),
            ])
        }
        var configuration = PipelineConfiguration(input: .custom(input), outputDirectory: out.path)
        configuration.workerCount = 1
        let summary = try await Pipeline(configuration).run()
        #expect(summary.processed == 3)
        #expect(summary.failed == 1)
        let texts = CLI.lines(out.file("manifest.jsonl")).map { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["text"] as? String
        }
        #expect(texts == ["one", "two"])
        #expect(CLI.lines(out.file("failures.jsonl")).first?.contains("missing") == true)
        // The name is recorded: the same folder resumed with another input is refused.
        let other = CustomPipelineInput(name: "another", root: nil) { ListReader(entries: []) }
        let refused = await #expect(throws: PipelineError.self) {
            try await Pipeline(PipelineConfiguration(input: .custom(other), outputDirectory: out.path)).run()
        }
        #expect(refused != nil)
    }

    @Test("A custom reader that cannot be made ends the run as invalidInput")
    func customInputFailure() async throws {
        struct Unavailable: Error {}
        let out = try TemporaryDirectory(prefix: "custom-input")
        let input = CustomPipelineInput(name: "broken") { throw Unavailable() }
        let error = await #expect(throws: PipelineError.self) {
            try await Pipeline(PipelineConfiguration(input: .custom(input), outputDirectory: out.path)).run()
        }
        #expect(error?.code == .invalidInput)
    }
}

/// Wrapped errors keep the other module's typed error and say their subject once.
@Suite struct WrappedErrorTests {
    @Test("A reader's DatasetError is the cause of the run's invalidInput error")
    func readerErrorIsTheCause() async throws {
        let out = try TemporaryDirectory(prefix: "wrapped-error")
        let input = CustomPipelineInput(name: "unreadable") {
            throw DatasetError(.io, subject: "/data/index.db", "cannot open the index")
        }
        let error = await #expect(throws: PipelineError.self) {
            try await Pipeline(PipelineConfiguration(input: .custom(input), outputDirectory: out.path)).run()
        }
        #expect(error?.code == .invalidInput)
        #expect((error?.cause as? DatasetError)?.code == .io)
        #expect(error?.description == "/data/index.db: cannot open the index")
    }

    @Test("A journal that cannot be opened is named once")
    func journalNamedOnce() async throws {
        let out = try TemporaryDirectory(prefix: "wrapped-error")
        // A folder where the journal file should be.
        try FileManager.default.createDirectory(atPath: out.file("journal.jsonl"), withIntermediateDirectories: true)
        var configuration = PipelineConfiguration(input: .commonVoice(path: CLI.sample, split: "dev"), outputDirectory: out.path)
        configuration.limit = 1
        let error = await #expect(throws: PipelineError.self) { try await Pipeline(configuration).run() }
        let text = error?.description ?? ""
        #expect(text.components(separatedBy: "journal.jsonl").count == 2, "\(text)")
        #expect(error?.cause is DatasetError, "\(String(describing: error?.cause))")
        #expect(error?.errno == Errno.isDirectory, "the typed errno is kept through the wrapping")
    }
}
