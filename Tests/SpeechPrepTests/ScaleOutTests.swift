import Foundation
import Testing
import SpeechPrep
import TestSupport

/// Shards under a scheduler: the `jobs <folder>` view read from real shard runs, and the inputs
/// `merge` must refuse with a clear message and no merged output. (Scripts/slurm-e2e.sh runs the
/// same under a real Slurm cluster.)
@Suite struct ScaleOutTests {
    static let fast = ["--rate", "48000", "--quiet"]

    /// Runs shard `index` of `count` of `folder` into `out`, as Slurm array task `index` of job 40.
    private func runShard(
        _ index: Int, of count: Int, folder: String, out: String, extra: [String] = []
    ) throws {
        let environment = [
            "SLURM_JOB_ID": "\(41 + index)", "SLURM_ARRAY_JOB_ID": "40", "SLURM_ARRAY_TASK_ID": "\(index)",
            "SLURM_ARRAY_TASK_COUNT": "\(count)", "SLURM_ARRAY_TASK_MIN": "0",
        ]
        let run = try CLI.run(["prepare", folder, "--out", out] + Self.fast + extra, environment: environment)
        #expect(run.status == 0, "\(run.stderr)")
    }

    @Test func jobsViewShowsEachShardWithItsSlurmTask() throws {
        let tmp = try TemporaryDirectory()
        let folder = try SampleData.audioFolder(in: tmp, copies: 1)
        let out = tmp.file("out")
        try runShard(1, of: 2, folder: folder, out: out)
        // Shard 0 half done: its journal cut after the header and 2 records, as a killed task leaves it.
        try runShard(0, of: 2, folder: folder, out: out)
        let journal0 = "\(out)/journal.part-0-of-2.jsonl"
        let kept = CLI.lines(journal0).prefix(3).joined(separator: "\n") + "\n"
        try Data(kept.utf8).write(to: URL(fileURLWithPath: journal0))
        try FileManager.default.removeItem(atPath: "\(out)/part-0-of-2.done")

        let statuses = ShardJobs.statuses(in: out)
        #expect(statuses.map(\.shard) == [try Shard(index: 0, count: 2), try Shard(index: 1, count: 2)])
        let (zero, one) = (statuses[0], statuses[1])
        let part1 = CLI.lines("\(out)/part-1-of-2.jsonl").count
        #expect(one.finished && one.done == part1 && one.total == part1)
        #expect(one.task?.scheduler == "slurm" && one.task?.jobID == "42" && one.task?.arrayJobID == "40")
        #expect(one.task?.description == "40_1" && one.task?.host == ProcessInfo.processInfo.hostName)
        #expect(one.etaSeconds == nil, "a finished shard has no ETA")
        #expect(!zero.finished)
        // The journal says 2; the progress file (written when the shard finished) says more:
        // the larger is shown, and the ETA comes from the rate of the progress file.
        let total0 = try #require(zero.total)
        #expect(zero.done == total0 && (zero.itemsPerSecond ?? 0) > 0)
        // Scheduler states are matched by each task's own job id.
        let withStates = ShardJobs.adding(states: ["41": "RUNNING", "99": "PENDING"], to: statuses)
        #expect(withStates.map(\.schedulerState) == ["RUNNING", nil])

        // The CLI view: one row per shard with the Slurm task; JSON for scripts.
        let table = try CLI.run(["jobs", out])
        #expect(table.status == 0, "\(table.stderr)")
        let rows = table.stdout.split(separator: "\n").map(String.init)
        #expect(rows.count == 3)
        #expect(rows[1].hasPrefix("part-0-of-2  unfinished 40_0"), "\(rows[1])")
        #expect(rows[2].hasPrefix("part-1-of-2  finished   40_1"), "\(rows[2])")
        #expect(rows[2].contains("\(part1)/\(part1)"))
        let json = try CLI.run(["jobs", out, "--json"])
        let decoded = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
        #expect(decoded?.count == 2)
        #expect((decoded?[1]["task"] as? [String: Any])?["arrayJobID"] as? String == "40")

        #expect(try CLI.run(["jobs", tmp.file("empty")]).stdout.contains("no shards"))
    }

    @Test func schedulerStatesAreParsedFromSqueueAndSacct() {
        // As `squeue -h -o '%A|%T'` and `sacct -c -n -P -X -o JobID,State` print them here.
        let squeue = "42|RUNNING\n43|PENDING\n"
        let sacct = "44|COMPLETED\n45|CANCELLED by 0\n44|TIMEOUT\n\n|junk\n"
        #expect(SlurmQueue.parseStates(squeue) == ["42": "RUNNING", "43": "PENDING"])
        // Later lines win (the latest run of a requeued job), "CANCELLED by 0" is cut.
        #expect(SlurmQueue.parseStates(sacct) == ["44": "TIMEOUT", "45": "CANCELLED"])
        #expect(SlurmQueue.states(of: []).isEmpty)
    }

    @Test func schedulerTaskFromEnvironment() {
        #expect(SchedulerTask.fromEnvironment([:]) == nil)
        let slurm = SchedulerTask.fromEnvironment([
            "SLURM_JOB_ID": "17", "SLURM_ARRAY_JOB_ID": "15", "SLURM_ARRAY_TASK_ID": "2", "SLURM_RESTART_COUNT": "1",
        ])
        #expect(slurm?.description == "15_2" && slurm?.restartCount == 1 && slurm?.jobID == "17")
        let pod = SchedulerTask.fromEnvironment(["JOB_COMPLETION_INDEX": "3", "HOSTNAME": "speechprep-3-abcde"])
        #expect(pod?.scheduler == "kubernetes" && pod?.jobID == "speechprep-3-abcde" && pod?.arrayTaskID == "3")
    }

    @Test func mergeWritesScannedAndDecodedLinesTheSameWay() throws {
        // Lines in the part writer's spelling are copied byte for byte; others (escapes, another
        // spelling, odd numbers, metadata keys out of byte order or named id) are decoded. Both
        // must give the same files, read by Python's json.
        let records: [(String, String?, String?, String, String?)] = [
            ("a", "Ten of clubs.", "ten of clubs", "1.128", nil),
            ("b\\\"q", "She said \\\"hi\\\"\\n", "tab\\there", "2.5", nil),
            ("c", "Ça va — 東京", "ça va", "3", nil),
            ("d", "Tiny.", nil, "1e-05", nil),
            ("e", "Broken.", nil, "0", "decode failed: \\\"x\\\""),
            ("f", nil, "", "12.3456", nil),
            ("g", "Seven.", "seven", "7.25", nil),
            ("h", "Eight.", "eight", "8", nil),
            ("i", "Nine.", "nine", "9", nil),
        ]
        // The `metadata` member of each line (nil: none, as parts written before it was carried).
        let metadata: [String?] = [
            #"{"accents":"United States English, Canadian: mixed","age":"twenties","down_votes":"0","gender":"male_masculine","language":"en","speaker":"4e1f","up_votes":"2"}"#,
            #"{"accents":"say \"hi\"","language":"en"}"#,
            #"{"accents":"Français — 東京","language":"fr"}"#,
            "{}",
            #"{"gender":"female","language":"en"}"#,
            nil,
            #"{"age":"thirties","Zone":"b"}"#,
            #"{"gender":"other","id":"ignored","up_votes":"1"}"#,
            #"{"a":"1","a_b":"2","ab":"3","b":"","c:d,e":"x/y"}"#,
        ]
        func line(_ k: Int, spaced: Bool) -> String {
            let (id, truth, asr, duration, error) = records[k]
            var record = "\"duration\":\(duration),\"engine\":\"pocketsphinx\""
            if let error { record += ",\"error\":\"\(error)\"" }
            record += ",\"id\":\"\(id)\""
            if let truth { record = (asr.map { "\"asr\":\"\($0)\"," } ?? "") + record + ",\"truth\":\"\(truth)\"" }
            else if let asr { record = "\"asr\":\"\(asr)\"," + record }
            let columns = metadata[k].map { ",\"metadata\":\($0)" } ?? ""
            let text = "{\"audioPath\":\"/clips/\(id).mp3\",\"index\":\(k)\(columns),\"record\":{\(record)}}"
            return spaced ? text.replacingOccurrences(of: "{\"audioPath\"", with: "{ \"audioPath\"") : text
        }
        let tmp = try TemporaryDirectory()
        var outputs: [[Data]] = []
        for spaced in [false, true] {
            let parts = tmp.file(spaced ? "decoded" : "scanned")
            try FileManager.default.createDirectory(atPath: parts, withIntermediateDirectories: true)
            for shard in 0..<2 {
                let lines = stride(from: shard, to: records.count, by: 2).map { line($0, spaced: spaced) }
                try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: "\(parts)/part-\(shard)-of-2.jsonl"))
                let marker = "{\"shard\":{\"index\":\(shard),\"count\":2},\"transcribed\":true,\"recordCount\":\(lines.count)}"
                try Data(marker.utf8).write(to: URL(fileURLWithPath: "\(parts)/part-\(shard)-of-2.done"))
            }
            let scoring = ShardMerger.Scoring(language: spaced ? "zh" : nil, worstCount: 3)
            let report = try ShardMerger.merge(directories: [parts], into: "\(parts)/merged", scoring: scoring)
            #expect(report.recordCount == records.count)
            // Scored while written: the same report as reading the merged results.json back.
            let readBack = try TranscriptScoring.score(
                resultsFile: "\(parts)/merged/results.json", language: scoring.language, worstCount: 3)
            #expect(report.score == readBack)
            #expect(report.score?.utteranceCount == 7, "the failure and the record without a reference are not scored")
            outputs.append(
                ["results.json", "manifest.jsonl", "failures.jsonl", "metadata.jsonl"].map { CLI.read("\(parts)/merged/\($0)") })
        }
        #expect(outputs[0] == outputs[1])
        // The WER `merge` prints (scored as it writes) is the one `score` reads from the results.
        let merged = try CLI.run(["merge", tmp.file("scanned"), "--out", tmp.file("cli"), "--normalizer", "whisper-english"])
        let scored = try CLI.run(["score", tmp.file("cli/results.json"), "--normalizer", "whisper-english"])
        let wer = scored.stdout.split(separator: "\n").first { $0.hasPrefix("WER ") }
        #expect(wer != nil && merged.stdout.contains(wer!), "\(merged.stdout) vs \(scored.stdout)")
        let columns = String(decoding: outputs[0][3], as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(columns.count == records.count - 1, "one line per manifest line (not for the failure)")
        #expect(
            columns.first == #"{"id": "a", "accents": "United States English, Canadian: mixed", "age": "twenties", "#
                + #""down_votes": "0", "gender": "male_masculine", "language": "en", "speaker": "4e1f", "up_votes": "2"}"#)
        #expect(columns.contains(#"{"id": "d"}"#) && columns.contains(#"{"id": "f"}"#))
        #expect(columns.contains(#"{"id": "g", "Zone": "b", "age": "thirties"}"#), "keys in byte order")
        #expect(columns.contains(#"{"id": "h", "gender": "other", "up_votes": "1"}"#), "a metadata id is not written")
        #expect(columns.last == #"{"id": "i", "a": "1", "a_b": "2", "ab": "3", "b": "", "c:d,e": "x/y"}"#)
        let manifest = String(decoding: outputs[0][1], as: UTF8.self)
        #expect(manifest.contains("\"duration\": 1.128,") && manifest.contains("\"duration\": 2.500,"))
        #expect(manifest.contains("\"duration\": 0.000,") && manifest.contains("\"duration\": 12.346,"))
        #expect(manifest.contains("Ça va — 東京"))
        let check = try ExternalTool.run([
            "python3", "-c",
            "import json,sys; d=sys.argv[1]; json.load(open(d+'/results.json')); "
                + "[json.loads(l) for f in ('manifest.jsonl','failures.jsonl','metadata.jsonl') for l in open(d+'/'+f)]",
            tmp.file("scanned/merged"),
        ])
        #expect(check.status == 0)
    }

    // MARK: - Bad input

    /// Two complete shards of a folder, for the merge tests.
    private func twoShards(in tmp: TemporaryDirectory, extra: [String] = []) throws -> (folder: String, out: String) {
        let folder = try SampleData.audioFolder(in: tmp, copies: 1)
        let out = tmp.file("out")
        for index in 0..<2 { try runShard(index, of: 2, folder: folder, out: out, extra: extra) }
        return (folder, out)
    }

    /// Merges `directories` into a fresh folder and expects a refusal naming `words`, with nothing written.
    private func expectRefusal(_ directories: [String], in tmp: TemporaryDirectory, saying words: [String]) throws {
        let merged = tmp.file("merged-\(UUID().uuidString)")
        let run = try CLI.run(["merge"] + directories + ["--out", merged, "--verify"])
        #expect(run.status == 1)
        for word in words { #expect(run.stderr.contains(word), "\(run.stderr)") }
        #expect(!FileManager.default.fileExists(atPath: merged), "a refused merge wrote \(merged)")
    }

    @Test func mergeRefusesAShardWithoutItsDoneMarker() throws {
        let tmp = try TemporaryDirectory()
        let (_, out) = try twoShards(in: tmp)
        try FileManager.default.removeItem(atPath: "\(out)/part-1-of-2.done")
        try expectRefusal([out], in: tmp, saying: ["shards 1 of 2", "missing or unfinished"])
    }

    @Test func mergeRefusesTwoShardsClaimingOneIndexWithDifferentCounts() throws {
        let tmp = try TemporaryDirectory()
        let (folder, out) = try twoShards(in: tmp)
        // A stale run with 3 shards left its shard 1 in the same folder.
        let stale = tmp.file("stale")
        try runShard(1, of: 3, folder: folder, out: stale)
        for name in ["part-1-of-3.jsonl", "part-1-of-3.done"] {
            try FileManager.default.copyItem(atPath: "\(stale)/\(name)", toPath: "\(out)/\(name)")
        }
        try expectRefusal([out], in: tmp, saying: ["mixes shard counts [2, 3]", "part-1-of-2.done", "part-1-of-3.done"])
        // The same index and count in two folders, with different record counts.
        let other = tmp.file("other")
        try runShard(1, of: 2, folder: folder, out: other, extra: ["--limit", "5"])
        try FileManager.default.removeItem(atPath: "\(out)/part-1-of-3.done")
        try expectRefusal([out, other], in: tmp, saying: ["part-1-of-2", "appears twice"])
    }

    @Test func mergeRefusesAShardOfAnotherConfiguration() throws {
        let tmp = try TemporaryDirectory()
        let (folder, out) = try twoShards(in: tmp)
        // Shard 1 again, at another sample rate: its journal header and marker differ.
        let other = tmp.file("other")
        let run = try CLI.run(
            ["prepare", folder, "--out", other, "--shard", "1/2", "--rate", "16000", "--quality", "quick", "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        try FileManager.default.removeItem(atPath: "\(out)/part-1-of-2.done")
        try expectRefusal(
            [out, other], in: tmp,
            saying: ["part-1-of-2.done", "other settings", "targetSampleRate: \"48000\" vs \"16000\""])
    }

    @Test func slurmTaskIDWithoutACountIsRefused() throws {
        #expect(throws: PipelineError.self) { try Shard.fromEnvironment(["SLURM_ARRAY_TASK_ID": "1"]) }
        let tmp = try TemporaryDirectory()
        let folder = try SampleData.audioFolder(in: tmp, copies: 1)
        let run = try CLI.run(
            ["prepare", folder, "--out", tmp.file("out")] + Self.fast, environment: ["SLURM_ARRAY_TASK_ID": "1"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("SLURM_ARRAY_TASK_ID"), "\(run.stderr)")
        #expect(run.stderr.contains("SLURM_ARRAY_TASK_COUNT is not"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: tmp.file("out/manifest.jsonl")))
        // A task resubmitted alone is an array of one: an explicit count makes its id the shard.
        let alone = ["SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_COUNT": "1", "SLURM_ARRAY_TASK_MIN": "2"]
        #expect(try Shard.fromEnvironment(alone) == Shard(index: 0, count: 1))
        #expect(try Shard.fromEnvironment(alone.merging(["SPEECHPREP_SHARD_COUNT": "4"]) { $1 }) == Shard(index: 2, count: 4))
        #expect(try Shard.fromEnvironment(alone, countHint: 4) == Shard(index: 2, count: 4))
    }
}
