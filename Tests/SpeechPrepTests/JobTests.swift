import Foundation
import SpeechPrep
import SystemSupport
import TestSupport
import Testing

/// A job's life in the library: the detached command line, the progress and exit records,
/// and the exit statuses the CLI returns. Serialized: a run takes the process's stop signals.
@Suite(.serialized) struct JobTests {
    @Test(arguments: [
        (["prepare", "in", "--out", "o", "--detach"], ["prepare", "in", "--out", "o"]),
        (["--detach", "prepare", "in", "--json", "--detach"], ["prepare", "in", "--json"]),
        // After `--` every argument is a value, even one spelled like the flag.
        (["prepare", "--out", "o", "--detach", "--", "--detach"], ["prepare", "--out", "o", "--", "--detach"]),
        // A joined value is one argument; so is a path that merely ends in the flag.
        (["transcribe", "in", "--command=--detach", "--detach"], ["transcribe", "in", "--command=--detach"]),
        (["prepare", "./--detach", "--detach", "--out", "o"], ["prepare", "./--detach", "--out", "o"]),
    ])
    func theDetachedCommandIsTheGivenOneWithoutTheFlag(given: [String], runs: [String]) {
        #expect(Job.arguments(detaching: given) == runs)
    }

    @Test func exitStatusesAreTheDocumentedOnes() {
        let statuses: [(PipelineError.Code, Int32)] = [
            (.itemFailed, 3), (.environmentFault, 5), (.outputFolderBusy, 6), (.invalidInput, 1),
            (.configurationMismatch, 1), (.shardsIncomplete, 1),
        ]
        for (code, status) in statuses {
            #expect(Job.ExitStatus.of(PipelineError(code, subject: "x", "y")) == status, "\(code)")
        }
    }

    /// A small run of the sample's clips (12 clips and one text file posing as an MP3).
    private func configuration(in tmp: TemporaryDirectory, shard: Shard? = nil) throws -> PipelineConfiguration {
        let folder = try SampleData.audioFolder(in: tmp, copies: 1)
        var configuration = PipelineConfiguration(
            input: try PipelineInput.detect(folder, split: "validated"), outputDirectory: tmp.file("out"))
        configuration.targetSampleRate = 48_000
        configuration.workerCount = 2
        configuration.shard = shard
        return configuration
    }

    private func json(_ path: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: CLI.read(path)) as? [String: Any], "\(path)")
    }

    @Test func aJobRecordsItsProgressAndHowItEnded() async throws {
        let tmp = try TemporaryDirectory(prefix: "job-run")
        let configuration = try configuration(in: tmp)
        let events = Counter()
        let summary = try await Job.run(
            configuration, environment: [Job.idEnvironmentKey: "job-test"], progress: { _ in events.add() })
        #expect(summary.total == 13 && summary.failed == 1 && !summary.interrupted)
        #expect(events.value == 13)
        let exit = try json("\(configuration.outputDirectory)/job.exit.json")
        #expect(exit["state"] as? String == "finished" && exit["exitCode"] as? Int == 0)
        // The last event is always recorded, however soon after the one before.
        let progress = try json("\(configuration.outputDirectory)/progress.json")
        #expect(progress["done"] as? Int == 13 && progress["total"] as? Int == 13)

        // Strict: the text file posing as an MP3 fails the run with exit status 3, recorded.
        var strict = configuration
        strict.strict = true
        strict.fresh = true
        await #expect(throws: PipelineError.self) {
            try await Job.run(strict, environment: [Job.idEnvironmentKey: "job-test"])
        }
        let failed = try json("\(configuration.outputDirectory)/job.exit.json")
        #expect(failed["state"] as? String == "failed" && failed["exitCode"] as? Int == 3)
        #expect((failed["message"] as? String)?.contains("broken") == true, "\(failed)")
    }

    @Test func aRunThatIsNoJobRecordsNothingButAShardsProgress() async throws {
        let tmp = try TemporaryDirectory(prefix: "job-shard")
        let configuration = try configuration(in: tmp, shard: try Shard(index: 1, count: 2))
        let summary = try await Job.run(configuration, environment: [:])
        let names = try FileManager.default.contentsOfDirectory(atPath: configuration.outputDirectory)
        #expect(!names.contains("job.exit.json") && !names.contains("progress.json"), "\(names)")
        let progress = try json("\(configuration.outputDirectory)/progress.part-1-of-2.json")
        #expect((progress["event"] as? [String: Any])?["done"] as? Int == summary.total)
    }
}

/// Counts progress events (called from the pipeline's collecting thread).
private final class Counter: Sendable {
    private let count = Locked(0)
    func add() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}

/// The parsers the CLI hands its option values to.
@Suite struct OptionParsingTests {
    @Test func languageLimitRulesBuildThePolicyInOrder() throws {
        let rules = try ["3", "en=none", "yue=5", "en=7"].map { try LanguageLimitPolicy.Rule(parsing: $0) }
        let policy = LanguageLimitPolicy(rules)
        #expect(policy.limit(for: "fr") == 3)
        #expect(policy.limit(for: "en") == 7)
        #expect(policy.limit(for: "yue") == 5)
        #expect(policy.limit(for: "zh-HK") == nil)  // the default's override stays
        #expect(LanguageLimitPolicy([]) == .commonVoiceDefault)
        #expect(try LanguageLimitPolicy([LanguageLimitPolicy.Rule(parsing: "none")]).limit(for: "fr") == nil)
        for bad in ["", "x", "en=", "en=many", "en=5=6", "-1.5"] {
            let error = #expect(throws: PipelineError.self) { try LanguageLimitPolicy.Rule(parsing: bad) }
            #expect(error?.message.contains("expected N, none, LANG=N or LANG=none") == true, "\(bad)")
        }
    }

    @Test func pocketSphinxOptionsHaveOneSpellingWithOrWithoutTheDash() throws {
        var configuration = PocketSphinxConfiguration.default
        configuration.setOption(try PocketSphinxConfiguration.Option(parsing: "cmn=live"))
        configuration.setOption(try PocketSphinxConfiguration.Option(parsing: "-beam=1e-60"))
        configuration.setOption(PocketSphinxConfiguration.Option(name: "pbeam", value: "1e-50"))
        configuration.options["wbeam"] = "1e-40"
        configuration.setOption(try PocketSphinxConfiguration.Option(parsing: "-wbeam=1e-30"))
        #expect(configuration.options == ["-cmn": "live", "-beam": "1e-60", "-pbeam": "1e-50", "-wbeam": "1e-30"])
        #expect(try PocketSphinxConfiguration.Option(parsing: "lw=6.5=x").value == "6.5=x")
        #expect(throws: TranscriptionError.self) { try PocketSphinxConfiguration.Option(parsing: "cmn") }
    }
}

/// `merge` holds its output folder like a run: not while a run, a shard or another merge holds it.
@Suite struct MergeLockTests {
    @Test func mergeIsRefusedWhileTheFolderIsHeldAndHoldsItWhileItWrites() throws {
        let tmp = try TemporaryDirectory(prefix: "merge-lock")
        let folder = try SampleData.audioFolder(in: tmp, copies: 1)
        let shared = tmp.file("shared")
        for index in 0..<2 {
            let run = try CLI.run(["prepare", folder, "--out", shared, "--shard", "\(index)/2", "--rate", "48000", "-q"])
            #expect(run.status == 0, "\(run.stderr)")
        }
        // Shard 0 is (again) running in the folder: merging there now would race it.
        var shard: OutputFolderLock? = try OutputFolderLock(
            directory: shared, shard: Shard(index: 0, count: 2), command: ["speechprep", "prepare", "x", "--shard", "0/2"])
        let refused = try CLI.run(["merge", shared])
        #expect(refused.status == 6, "\(refused.stderr)")
        #expect(refused.stderr.contains("pid \(getpid()) (shard 0/2): speechprep prepare x --shard 0/2"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(shared)/manifest.jsonl"))
        #expect(shard != nil)
        shard = nil

        // Another merge into the same folder: the library refuses too, and writes nothing.
        let out = tmp.file("merged")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        var other: OutputFolderLock? = try OutputFolderLock(
            directory: out, shard: nil, command: ["speechprep", "merge", shared, "--out", out])
        let error = #expect(throws: PipelineError.self) { try ShardMerger.merge(directories: [shared], into: out) }
        #expect(error?.code == .outputFolderBusy)
        #expect(error?.message.contains("speechprep merge \(shared) --out \(out)") == true, "\(String(describing: error))")
        #expect(try CLI.run(["merge", shared, "--out", out]).status == 6)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out) == [OutputFolderLock.fileName])
        #expect(other != nil)
        other = nil

        // Free again: the merge runs, and while it wrote, it was the holder.
        let merged = try CLI.run(["merge", shared, "--out", out, "--verify"])
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(CLI.lines("\(out)/manifest.jsonl").count == 12)
        let holder = try JSONSerialization.jsonObject(with: CLI.read("\(out)/\(OutputFolderLock.fileName)")) as? [String: Any]
        #expect((holder?["command"] as? [String])?.contains("merge") == true, "\(String(describing: holder))")
        #expect(OutputFolderLock.holders(in: out).isEmpty)
    }

    @Test func aDetachedJobKeepsAnArgumentSpelledLikeTheFlagAfterTheTerminator() throws {
        let tmp = try TemporaryDirectory(prefix: "detach-literal")
        let folder = try SampleData.audioFolder(in: tmp, copies: 1)
        // The input folder is literally named `--detach`, given after `--`.
        try FileManager.default.moveItem(atPath: folder, toPath: tmp.file("--detach"))
        let started = try ExternalTool.run(
            ["env", "-C", tmp.path, "SPEECHPREP_HOME=\(tmp.file("home"))", CLI.binary, "prepare", "--out", "out",
             "--rate", "48000", "--detach", "--json", "-q", "--", "--detach"])
        #expect(started.status == 0, "\(String(decoding: started.stderr, as: UTF8.self))")
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let record = try decoder.decode(Job.Record.self, from: Data(started.text.utf8))
        #expect(Array(record.command.dropFirst()) == ["prepare", "--out", "out", "--rate", "48000", "--json", "-q", "--", "--detach"])
        let deadline = Date().addingTimeInterval(60)
        while Job.status(of: record).state == .running, Date() < deadline { usleep(100_000) }
        #expect(Job.status(of: record).state == .finished)
        #expect(CLI.lines(tmp.file("out/manifest.jsonl")).count == 12)
    }
}

/// The CLI hands its option values to the parser and the library; the spellings stay.
@Suite struct CLIParsingTests {
    @Test func optionValuesAreCheckedByTheParserAndTheOldSpellingsStay() throws {
        let tmp = try TemporaryDirectory(prefix: "cli-parsing")
        let clip = "\(CLI.sample)/clips/common_voice_en_40000006.mp3"
        let bad = try CLI.run(["convert", clip, tmp.file("x.wav"), "--quality", "best"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("Please provide one of 'quick', 'medium', 'high' or 'veryHigh'"), "\(bad.stderr)")
        let shard = try CLI.run(["prepare", tmp.path, "--out", tmp.file("o"), "--shard", "3"])
        #expect(shard.status == 64 && shard.stderr.contains("a shard is written k/N"), "\(shard.stderr)")
        let aliases = try CLI.run(["convert", clip, tmp.file("x.wav"), "--quality", "vhq", "--format", "wav32f", "--json"])
        #expect(aliases.status == 0, "\(aliases.stderr)")
        #expect(try ExternalTool.run(["soxi", "-e", tmp.file("x.wav")]).text.contains("Floating Point"))
    }

    @Test func scoreReadsTwoFilesLineByLine() throws {
        let tmp = try TemporaryDirectory(prefix: "cli-score")
        try Data("a b c\r\nd e\n\n".utf8).write(to: URL(fileURLWithPath: tmp.file("ref.txt")))
        try Data("a x c\nd e\n".utf8).write(to: URL(fileURLWithPath: tmp.file("hyp.txt")))
        let run = try CLI.run(["score", "--ref", tmp.file("ref.txt"), "--hyp", tmp.file("hyp.txt"), "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(report["utteranceCount"] as? Int == 2 && report["wer"] as? Double == 0.2, "\(report)")

        try Data("a\nb\nc\n".utf8).write(to: URL(fileURLWithPath: tmp.file("hyp.txt")))
        let uneven = try CLI.run(["score", "--ref", tmp.file("ref.txt"), "--hyp", tmp.file("hyp.txt")])
        #expect(uneven.status == 1)
        #expect(uneven.stderr.contains("ref.txt has 2 lines but \(tmp.file("hyp.txt")) has 3"), "\(uneven.stderr)")
        #expect(try CLI.run(["score", "--ref", tmp.file("ref.txt")]).status == 64)
    }
}
