import Foundation
import Testing
import SpeechPrep
import TestSupport

/// End-to-end tests of the `speechprep` binary on the bundled Common Voice sample.
@Suite(.serialized) struct EndToEndTests {
    /// The sample's clips are 48 kHz: keeping that rate skips resampling, which is slow in a
    /// debug build and is not what these tests are about (the transcription test resamples).
    static let fast = ["--rate", "48000"]

    @Test func transcribesTheSampleAndResumesByteIdentically() throws {
        let tmp = try TemporaryDirectory()
        let out = tmp.file("out")
        let first = try CLI.run(["transcribe", CLI.sample, "--split", "dev", "--out", out, "--workers", "2"])
        #expect(first.status == 0, "\(first.stderr)")
        let results = CLI.read("\(out)/results.json")
        let rows = try #require(try JSONSerialization.jsonObject(with: results) as? [String: [String: String]])
        #expect(rows.count == 6)
        #expect(rows["0"]?["ID"] == "common_voice_en_40000002")
        #expect(rows["0"]?["truth"] == "He was not an ill disposed young man.")
        #expect(rows.values.allSatisfy { !($0["asr"] ?? "").isEmpty })
        let manifest = CLI.lines("\(out)/manifest.jsonl")
        #expect(manifest.count == 6)
        #expect(manifest.allSatisfy { $0.contains("\"pred_text\"") })
        #expect(first.stdout.contains("WER"))

        // Real speech: PocketSphinx gets most words right.
        let score = try CLI.run(["score", "\(out)/results.json", "--json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(score.stdout.utf8)) as? [String: Any])
        let wer = try #require(report["wer"] as? Double)
        #expect(wer < 0.6)

        // Rerun: everything comes from the journal, outputs are byte-identical.
        let again = try CLI.run(["transcribe", CLI.sample, "--split", "dev", "--out", out, "--json"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("\"processed\" : 0"))
        #expect(CLI.read("\(out)/results.json") == results)

        // A changed setting is refused, never mixed into the old results.
        let changed = try CLI.run(["transcribe", CLI.sample, "--split", "dev", "--out", out, "--rate", "8000"])
        #expect(changed.status == 1)
        #expect(changed.stderr.contains("--fresh"))
        let renormalized = try CLI.run(
            ["transcribe", CLI.sample, "--split", "dev", "--out", out, "--normalizer", "whisper-english"])
        #expect(renormalized.status == 1)
        #expect(renormalized.stderr.contains("normalization"), "\(renormalized.stderr)")

        // The report names the normaliser it used.
        let whisper = try CLI.run(["score", "\(out)/results.json", "--normalizer", "whisper-english"])
        #expect(whisper.status == 0)
        #expect(whisper.stdout.contains("normalizer whisper-english"), "\(whisper.stdout)")
    }

    /// PocketSphinx transcripts depend only on their clip, so one worker, two workers, and
    /// two workers SIGKILLed and resumed all write the same bytes.
    @Test func recognisedResultsAreTheSameWhateverTheWorkersAndKills() throws {
        let tmp = try TemporaryDirectory()
        let reference = tmp.file("one-worker"), crashed = tmp.file("two-workers-killed")
        let arguments = ["transcribe", CLI.sample, "--split", "dev"]
        let start = Date()
        let clean = try CLI.run(arguments + ["--out", reference, "--workers", "1"])
        #expect(clean.status == 0, "\(clean.stderr)")
        let cleanMicroseconds = Date().timeIntervalSince(start) * 1e6
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2 {
            let process = try CLI.start(arguments + ["--out", crashed, "--workers", "2"])
            usleep(UInt32(Double.random(in: 0.3...0.8, using: &generator) * cleanMicroseconds / 2))
            kill(process.pid, SIGKILL)
            process.wait()
        }
        let finish = try CLI.run(arguments + ["--out", crashed, "--workers", "2"])
        #expect(finish.status == 0, "\(finish.stderr)")
        for name in ["results.json", "manifest.jsonl", "failures.jsonl", "metadata.jsonl"] {
            #expect(CLI.read("\(crashed)/\(name)") == CLI.read("\(reference)/\(name)"), "\(name) differs")
        }
    }

    @Test func badItemsAreRecordedAndTheRunGoesOn() throws {
        let tmp = try TemporaryDirectory()
        let release = try SampleData.releaseWithBadItems(in: tmp)
        let out = tmp.file("out")
        let run = try CLI.run(["prepare", release, "--split", "dev", "--out", out] + Self.fast)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(CLI.lines("\(out)/manifest.jsonl").count == 6)
        let failures = CLI.lines("\(out)/failures.jsonl")
        #expect(failures.count == 3)
        for id in ["common_voice_en_90000001", "common_voice_en_90000002", "common_voice_en_90000003"] {
            #expect(failures.contains { $0.contains(id) && $0.contains("\"error\"") }, "\(id) not recorded")
        }
        let wavs = try FileManager.default.contentsOfDirectory(atPath: "\(out)/wavs").filter { $0.hasSuffix(".wav") }
        #expect(wavs.count == 6)

        let strict = try CLI.run(["prepare", release, "--split", "dev", "--out", tmp.file("strict"), "--strict"] + Self.fast)
        #expect(strict.status == 3)
    }

    @Test func killedRunsResumeToByteIdenticalOutputs() throws {
        let tmp = try TemporaryDirectory()
        let folder = try SampleData.audioFolder(in: tmp, copies: 4)
        let reference = tmp.file("reference"), crashed = tmp.file("crashed")
        let arguments = ["prepare", folder, "--workers", "2"] + Self.fast
        let start = Date()
        let clean = try CLI.run(arguments + ["--out", reference])
        #expect(clean.status == 0, "\(clean.stderr)")
        let cleanMicroseconds = Date().timeIntervalSince(start) * 1e6

        // Kill at random points of a run as long as the clean one.
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5 {
            let process = try CLI.start(arguments + ["--out", crashed])
            usleep(UInt32(Double.random(in: 0.1...0.9, using: &generator) * cleanMicroseconds))
            kill(process.pid, SIGKILL)
            process.wait()
        }
        // A temporary WAV as a kill during its write leaves it: the rerun removes it.
        let someWAV = try #require(try FileManager.default.contentsOfDirectory(atPath: "\(reference)/wavs").first)
        try FileManager.default.createDirectory(atPath: "\(crashed)/wavs", withIntermediateDirectories: true)
        try Data("torn".utf8).write(to: URL(fileURLWithPath: "\(crashed)/wavs/.\(someWAV).Ab12Cd.partial"))
        let finish = try CLI.run(arguments + ["--out", crashed])
        #expect(finish.status == 0, "\(finish.stderr)")
        for name in ["manifest.jsonl", "failures.jsonl"] {
            #expect(CLI.read("\(crashed)/\(name)") == CLI.read("\(reference)/\(name)"), "\(name) differs")
        }
        let ids = CLI.lines("\(crashed)/manifest.jsonl")
        #expect(ids.count == 48)
        #expect(Set(ids).count == ids.count)
        #expect(CLI.lines("\(crashed)/failures.jsonl").count == 1)
        // Every WAV is identical, and no temporary file of a killed write is left behind.
        let wavs = try FileManager.default.contentsOfDirectory(atPath: "\(crashed)/wavs").sorted()
        #expect(wavs == (try FileManager.default.contentsOfDirectory(atPath: "\(reference)/wavs").sorted()))
        for wav in wavs {
            #expect(CLI.read("\(crashed)/wavs/\(wav)") == CLI.read("\(reference)/wavs/\(wav)"), "\(wav) differs")
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: crashed).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty)
    }

    @Test func fourShardsMergeToTheUnshardedRun() throws {
        let tmp = try TemporaryDirectory()
        let folder = try SampleData.audioFolder(in: tmp, copies: 2)
        let whole = tmp.file("whole"), shared = tmp.file("shared")
        #expect(try CLI.run(["prepare", folder, "--out", whole] + Self.fast).status == 0)
        for index in 0..<4 {
            // Shard 2 takes its number from the Slurm variables, as an array task would.
            let arguments = index == 2 ? [] : ["--shard", "\(index)/4"]
            let environment = index == 2 ? ["SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_COUNT": "4"] : [:]
            let run = try CLI.run(["prepare", folder, "--out", shared] + arguments + Self.fast, environment: environment)
            #expect(run.status == 0, "\(run.stderr)")
            if index == 2 {
                let incomplete = try CLI.run(["merge", shared, "--out", tmp.file("early"), "--verify"])
                #expect(incomplete.status == 1)
                #expect(incomplete.stderr.contains("3 of 4"))
            }
        }
        let merged = try CLI.run(["merge", shared, "--verify"])
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(CLI.read("\(shared)/manifest.jsonl") == CLI.read("\(whole)/manifest.jsonl"))
        #expect(CLI.read("\(shared)/failures.jsonl") == CLI.read("\(whole)/failures.jsonl"))
        #expect(CLI.read("\(shared)/metadata.jsonl") == CLI.read("\(whole)/metadata.jsonl"))
        #expect(CLI.lines("\(whole)/failures.jsonl").count == 1)

        // A record copied into a second part (with its marker's count raised to match) is
        // refused, and the refused merge writes nothing.
        let part0 = "\(shared)/part-0-of-4.jsonl", part1 = "\(shared)/part-1-of-4.jsonl"
        let copied = try #require(CLI.lines(part0).first)
        let part1Lines = CLI.lines(part1)
        let inserted = (part1Lines + [copied]).sorted { index(of: $0) < index(of: $1) }
        try Data((inserted.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: part1))
        let marker = "\(shared)/part-1-of-4.done"
        let markerText = String(decoding: CLI.read(marker), as: UTF8.self)
        try Data(markerText.replacingOccurrences(
            of: "\"recordCount\":\(part1Lines.count)", with: "\"recordCount\":\(part1Lines.count + 1)").utf8)
            .write(to: URL(fileURLWithPath: marker))
        let duplicated = try CLI.run(["merge", shared, "--out", tmp.file("dup"), "--verify"])
        #expect(duplicated.status == 1)
        #expect(duplicated.stderr.contains("appears in more than one shard"), "\(duplicated.stderr)")
        #expect(!FileManager.default.fileExists(atPath: tmp.file("dup/manifest.jsonl")))
    }

    /// The input position of a shard part line.
    private func index(of line: String) -> Int {
        let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        return object?["index"] as? Int ?? -1
    }

    @Test func detachedJobsCanBeListedStoppedKilledAndResumed() throws {
        let tmp = try TemporaryDirectory()
        let folder = try SampleData.audioFolder(in: tmp, copies: 2)
        let home = tmp.file("home"), out = tmp.file("out")
        let environment = ["SPEECHPREP_HOME": home]
        // A slow "recogniser" (a shell that sleeps) makes the job last long enough to watch.
        let command = ["transcribe", folder, "--out", out, "--workers", "1", "--rate", "16000", "--quality", "quick", "--engine", "command",
                       "--command", "/bin/sh", "--command=-c", "--command", "sleep 0.2; echo words",
                       "--command", "sh", "--command", "{wav}"]
        let started = try CLI.run(command + ["--detach", "--json"], environment: environment)
        #expect(started.status == 0, "\(started.stderr)")
        let job = try #require(try JSONSerialization.jsonObject(with: Data(started.stdout.utf8)) as? [String: Any])
        let id = try #require(job["id"] as? String)

        try waitFor { try state(of: id, environment) == "running" && CLI.lines("\(out)/journal.jsonl").count > 2 }
        let listing = try CLI.run(["jobs"], environment: environment)
        #expect(listing.stdout.contains(id) && listing.stdout.contains("MiB"))

        #expect(try CLI.run(["stop", id, "--wait"], environment: environment).status == 0)
        #expect(try state(of: id, environment) == "stopped")
        #expect(!FileManager.default.fileExists(atPath: "\(out)/results.json"))

        // Restart detached, then SIGKILL: the job shows as dead.
        let again = try CLI.run(command + ["--detach", "--json"], environment: environment)
        let second = try #require(try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
        let secondID = try #require(second["id"] as? String)
        let pid = try #require(second["pid"] as? Int)
        try waitFor { try state(of: secondID, environment) == "running" }
        kill(Int32(pid), SIGKILL)
        try waitFor { try state(of: secondID, environment) == "dead" }

        // Rerunning resumes and completes.
        let finish = try CLI.run(command + ["--json"], environment: environment)
        #expect(finish.status == 0, "\(finish.stderr)")
        #expect(finish.stdout.contains("\"resumed\" : ") && !finish.stdout.contains("\"resumed\" : 0,"))
        let rows = try #require(try JSONSerialization.jsonObject(with: CLI.read("\(out)/results.json")) as? [String: Any])
        #expect(rows.count == 24)
        #expect(CLI.lines("\(out)/failures.jsonl").count == 1)

        // Both jobs have ended; pruning forgets them.
        #expect(try CLI.run(["jobs", "--prune"], environment: environment).stdout.contains("forgot 2 job(s)"))
        #expect(try CLI.run(["jobs"], environment: environment).stdout.contains("no jobs"))
    }

    private func state(of id: String, _ environment: [String: String]) throws -> String? {
        let listing = try CLI.run(["jobs", "--json"], environment: environment)
        let jobs = try JSONSerialization.jsonObject(with: Data(listing.stdout.utf8)) as? [[String: Any]] ?? []
        let job = jobs.first { ($0["record"] as? [String: Any])?["id"] as? String == id }
        return job?["state"] as? String
    }

    private func waitFor(seconds: Double = 20, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return }
            usleep(100_000)
        }
        Issue.record("condition not met within \(seconds) s")
    }
}

/// Limits and the old workflow's chunk files, with a trivial external "recogniser".
@Suite struct LimitAndChunkTests {
    static let echoEngine = ["--engine", "command", "--command", "/bin/sh", "--command=-c", "--command", "echo words",
                             "--command", "sh", "--command", "{wav}", "--quality", "quick"]

    @Test func chunkFilesEveryKItemsMatchTheResults() throws {
        let tmp = try TemporaryDirectory()
        let out = tmp.file("out")
        let run = try CLI.run(["transcribe", CLI.sample, "--split", "dev", "--out", out, "--chunk-every", "4"] + Self.echoEngine)
        #expect(run.status == 0, "\(run.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasPrefix("asr_") }.sorted()
        #expect(names == ["asr_4.json", "asr_6.json"])
        let chunks = try LegacyResults.readFolder(out)
        let whole = try LegacyResults.read("\(out)/results.json")
        #expect(chunks == whole)
        #expect(whole.count == 6)
        #expect(whole.allSatisfy { $0.asr == "words" })
    }

    @Test func anImportedManifestPreparesLikeTheRelease() throws {
        let tmp = try TemporaryDirectory()
        let manifest = tmp.file("dev.jsonl")
        #expect(try CLI.run(["import", "commonvoice", CLI.sample, "--split", "dev", "--out", manifest]).status == 0)
        #expect(CLI.lines(manifest).count == 6)
        for (input, out) in [(manifest, "from-manifest"), (CLI.sample, "from-release")] {
            let run = try CLI.run(["prepare", input, "--split", "dev", "--out", tmp.file(out), "--rate", "48000"])
            #expect(run.status == 0, "\(run.stderr)")
        }
        #expect(CLI.read(tmp.file("from-manifest/manifest.jsonl")) == CLI.read(tmp.file("from-release/manifest.jsonl")))
        #expect(CLI.lines(tmp.file("from-release/manifest.jsonl")).count == 6)
    }

    @Test(arguments: [
        (["--limit", "7"], 7),
        (["--language-limit", "3"], 3),
        (["--language-limit", "en=4"], 4),
        (["--language-limit", "2", "--language-limit", "en=none"], 12),
    ])
    func limitsChooseTheFirstItems(arguments: [String], expected: Int) throws {
        let tmp = try TemporaryDirectory()
        let out = tmp.file("out")
        let run = try CLI.run(["prepare", CLI.sample, "--out", out, "--rate", "48000"] + arguments)
        #expect(run.status == 0, "\(run.stderr)")
        let lines = CLI.lines("\(out)/manifest.jsonl")
        #expect(lines.count == expected)
        #expect(lines.first?.contains("common_voice_en_40000001") == true)
    }
}
