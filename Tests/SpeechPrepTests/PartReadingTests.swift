import Foundation
import Testing
import SpeechPrep
import TestSupport

/// How `merge` reads shard parts: a thread per part reads and scans its lines a block at a
/// time, and lines that do not fit the writer's exact spelling are decoded in full. Parts from a
/// real shard run, edited: lines longer than a block, many blocks, and lines that must be refused.
@Suite struct PartReadingTests {
    /// A finished 2-shard `prepare` of the sample, in `out`.
    private func shardedRun(in tmp: TemporaryDirectory) throws -> String {
        let folder = try SampleData.audioFolder(in: tmp, copies: 1)
        let out = tmp.file("shared")
        for index in 0..<2 {
            let run = try CLI.run(["prepare", folder, "--out", out, "--shard", "\(index)/2", "--rate", "48000", "--quiet"])
            #expect(run.status == 0, "\(run.stderr)")
        }
        return out
    }

    private func write(_ lines: [String], to path: String) throws {
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
    }

    /// Sets a part's marker's record count.
    private func setCount(_ count: Int, marker path: String) throws {
        var marker = try #require(try JSONSerialization.jsonObject(with: CLI.read(path)) as? [String: Any])
        marker["recordCount"] = count
        try JSONSerialization.data(withJSONObject: marker, options: [.sortedKeys]).write(to: URL(fileURLWithPath: path))
    }

    private func merge(_ folder: String, into out: String) throws(PipelineError) -> ShardMerger.Report {
        try ShardMerger.merge(directories: [folder], into: out, verify: true)
    }

    @Test func aLineLongerThanAReadBlockMergesWhole() throws {
        let tmp = try TemporaryDirectory()
        let shared = try shardedRun(in: tmp)
        let expected = try merge(shared, into: tmp.file("expected"))
        // The first record of part 1 gets a 600 KB reference (reads go 256 KiB at a time).
        let part = "\(shared)/part-1-of-2.jsonl"
        var lines = CLI.lines(part)
        var object = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        var record = try #require(object["record"] as? [String: Any])
        let long = String(repeating: "a long reference ", count: 36_000)
        record["truth"] = long
        object["record"] = record
        let edited = String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
        lines[0] = edited
        try write(lines, to: part)

        let report = try merge(shared, into: tmp.file("merged"))
        #expect(report.recordCount == expected.recordCount)
        let manifest = CLI.lines(tmp.file("merged/manifest.jsonl")), reference = CLI.lines(tmp.file("expected/manifest.jsonl"))
        #expect(manifest.count == reference.count)
        let changed = (0..<manifest.count).filter { manifest[$0] != reference[$0] }
        #expect(changed.count == 1, "only the edited record's line differs")
        let line = try #require(changed.first.map { manifest[$0] })
        let entry = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(entry["text"] as? String == long)
    }

    @Test func scannedAndDecodedLinesGiveTheSameFilesOverManyBlocks() throws {
        let tmp = try TemporaryDirectory()
        let shared = try shardedRun(in: tmp)
        // One part of 6,000 records (over 4 MB: many read blocks, lines across their edges),
        // made from a real record; a copy spelled with a space after each `{` so that no line
        // fits the writer's exact spelling and every one is decoded in full.
        let template = try #require(CLI.lines("\(shared)/part-0-of-2.jsonl").first)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(template.utf8)) as? [String: Any])
        var lines: [String] = []
        for index in 0..<6_000 {
            var line = object
            var record = try #require(line["record"] as? [String: Any])
            record["id"] = "clip-\(index)"
            record["truth"] = "sentence number \(index) " + String(repeating: "x", count: index % 700)
            line["record"] = record
            line["index"] = index
            line["audioPath"] = "/data/clips/clip-\(index).mp3"
            lines.append(String(decoding: try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self))
        }
        for (name, text) in [("scanned", lines), ("decoded", lines.map { $0.replacingOccurrences(of: "{", with: "{ ") })] {
            let folder = tmp.file(name)
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try write(text, to: "\(folder)/part-0-of-1.jsonl")
            try FileManager.default.copyItem(atPath: "\(shared)/part-0-of-2.done", toPath: "\(folder)/part-0-of-1.done")
            var marker = try #require(try JSONSerialization.jsonObject(with: CLI.read("\(folder)/part-0-of-1.done")) as? [String: Any])
            marker["shard"] = ["index": 0, "count": 1]
            marker["recordCount"] = text.count
            try JSONSerialization.data(withJSONObject: marker, options: [.sortedKeys]).write(to: URL(fileURLWithPath: "\(folder)/part-0-of-1.done"))
            #expect(try merge(folder, into: tmp.file("\(name)-out")).recordCount == 6_000)
        }
        for file in ["manifest.jsonl", "failures.jsonl", "metadata.jsonl"] {
            let scanned = CLI.read(tmp.file("scanned-out/\(file)")), decoded = CLI.read(tmp.file("decoded-out/\(file)"))
            #expect(scanned == decoded, "\(file) differs between the scanned and the decoded reading")
        }
        #expect(CLI.lines(tmp.file("scanned-out/manifest.jsonl")).count + CLI.lines(tmp.file("scanned-out/failures.jsonl")).count == 6_000)
    }

    @Test func aLineThatIsNotARecordIsRefusedByItsNumber() throws {
        let tmp = try TemporaryDirectory()
        let shared = try shardedRun(in: tmp)
        let part = "\(shared)/part-0-of-2.jsonl"
        var lines = CLI.lines(part)
        lines[1] = "{\"audioPath\": truncated"
        try write(lines, to: part)
        #expect {
            try merge(shared, into: tmp.file("merged"))
        } throws: { error in
            let error = error as? PipelineError
            return error?.code == .shardsIncomplete && error?.subject == part && error?.message.contains("line 2 is not a record") == true
        }
        #expect(!FileManager.default.fileExists(atPath: tmp.file("merged/manifest.jsonl")))
    }

    @Test func linesOutOfInputOrderAreRefused() throws {
        let tmp = try TemporaryDirectory()
        let shared = try shardedRun(in: tmp)
        let part = "\(shared)/part-1-of-2.jsonl"
        var lines = CLI.lines(part)
        lines.swapAt(0, 1)
        try write(lines, to: part)
        #expect {
            try merge(shared, into: tmp.file("merged"))
        } throws: { error in
            let error = error as? PipelineError
            return error?.code == .shardsIncomplete && error?.message.contains("line 2 is out of input order") == true
        }
        #expect(!FileManager.default.fileExists(atPath: tmp.file("merged/manifest.jsonl")))
    }

    @Test func aPartShorterThanItsMarkerIsRefused() throws {
        let tmp = try TemporaryDirectory()
        let shared = try shardedRun(in: tmp)
        let part = "\(shared)/part-1-of-2.jsonl"
        let lines = CLI.lines(part)
        try setCount(lines.count + 5, marker: "\(shared)/part-1-of-2.done")
        #expect {
            try merge(shared, into: tmp.file("merged"))
        } throws: { error in
            (error as? PipelineError)?.message.contains("holds \(lines.count) records but its marker says \(lines.count + 5)") == true
        }
        #expect(!FileManager.default.fileExists(atPath: tmp.file("merged/manifest.jsonl")))
    }
}
