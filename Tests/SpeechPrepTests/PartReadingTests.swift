import Foundation
import Testing
import SpeechPrep
import TestSupport

/// How `merge` reads shard parts: a thread per part reads and scans its lines a block at a
/// time (256 KiB), and lines that do not fit the writer's exact spelling are decoded in full.
/// Parts spelled as `ShardPart.Writer` writes them (ScaleOutTests merges real shard runs):
/// lines longer than a block, many blocks, and lines that must be refused.
@Suite struct PartReadingTests {
    /// A part line in the writer's spelling (sorted keys, no spaces), or with a space after its
    /// first `{` (which no scan accepts, so the line is decoded).
    private static func line(_ index: Int, truth: String, spaced: Bool = false) -> String {
        let text = "{\"audioPath\":\"/data/clips/clip-\(index).mp3\",\"index\":\(index),"
            + "\"metadata\":{\"age\":\"twenties\",\"language\":\"en\",\"speaker\":\"s\(index % 7)\"},"
            + "\"record\":{\"asr\":\"\(truth.lowercased())\",\"duration\":\(index % 9).25,\"engine\":\"pocketsphinx\","
            + "\"id\":\"clip-\(index)\",\"truth\":\"\(truth)\"}}"
        return spaced ? text.replacingOccurrences(of: "{\"audioPath\"", with: "{ \"audioPath\"") : text
    }

    /// Writes `parts[k]` as `part-k-of-N.jsonl` with its done marker (record count `counts[k]`,
    /// or the number of lines).
    private static func write(_ parts: [[String]], in folder: String, counts: [Int]? = nil) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (k, lines) in parts.enumerated() {
            let name = "\(folder)/part-\(k)-of-\(parts.count)"
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: "\(name).jsonl"))
            let marker = "{\"shard\":{\"index\":\(k),\"count\":\(parts.count)},\"transcribed\":true,\"recordCount\":\(counts?[k] ?? lines.count)}"
            try Data(marker.utf8).write(to: URL(fileURLWithPath: "\(name).done"))
        }
    }

    /// Records 0..<count split between two parts as a hash split would (every third to part 1).
    private static func twoParts(_ count: Int, spaced: Bool = false, truth: (Int) -> String) -> [[String]] {
        let all = (0..<count).map { line($0, truth: truth($0), spaced: spaced) }
        return [all.indices.filter { $0 % 3 != 1 }.map { all[$0] }, all.indices.filter { $0 % 3 == 1 }.map { all[$0] }]
    }

    private func merge(_ folder: String, into out: String) throws(PipelineError) -> ShardMerger.Report {
        try ShardMerger.merge(directories: [folder], into: out, verify: true)
    }

    private func expectNothingWritten(_ out: String) {
        #expect(!FileManager.default.fileExists(atPath: out), "a refused merge wrote \(out)")
    }

    @Test func scannedAndDecodedLinesGiveTheSameFilesOverManyBlocks() throws {
        // 6,000 records of 0.3–1 KB (over 4 MB: many blocks, lines across their edges), once in
        // the writer's spelling (scanned) and once spaced (every line decoded in full).
        let tmp = try TemporaryDirectory()
        let truth = { (k: Int) in "Sentence number \(k) " + String(repeating: "x", count: k % 700) }
        for (name, spaced) in [("scanned", false), ("decoded", true)] {
            try Self.write(Self.twoParts(6_000, spaced: spaced, truth: truth), in: tmp.file(name))
            #expect(try merge(tmp.file(name), into: tmp.file("\(name)-out")).recordCount == 6_000)
        }
        for file in ["results.json", "manifest.jsonl", "failures.jsonl", "metadata.jsonl"] {
            #expect(CLI.read(tmp.file("scanned-out/\(file)")) == CLI.read(tmp.file("decoded-out/\(file)")), "\(file) differs")
        }
        let manifest = CLI.lines(tmp.file("scanned-out/manifest.jsonl"))
        #expect(manifest.count == 6_000)
        let last = try #require(try JSONSerialization.jsonObject(with: Data(manifest[5_999].utf8)) as? [String: Any])
        #expect(last["text"] as? String == truth(5_999))
    }

    @Test func aLineLongerThanAReadBlockMergesWhole() throws {
        let tmp = try TemporaryDirectory()
        let long = String(repeating: "A long reference ", count: 36_000)  // 612 KB
        try Self.write(Self.twoParts(40) { $0 == 13 ? long : "Sentence \($0)." }, in: tmp.file("parts"))
        #expect(try merge(tmp.file("parts"), into: tmp.file("out")).recordCount == 40)
        let manifest = CLI.lines(tmp.file("out/manifest.jsonl"))
        #expect(manifest.count == 40)
        let texts = try manifest.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])["text"] as? String }
        #expect(texts == (0..<40).map { $0 == 13 ? long : "Sentence \($0)." })
    }

    @Test func aLineThatIsNotARecordIsRefusedByItsNumber() throws {
        let tmp = try TemporaryDirectory()
        var parts = Self.twoParts(30) { "Sentence \($0)." }
        parts[0][4] = "{\"audioPath\": truncated"
        try Self.write(parts, in: tmp.file("parts"))
        #expect {
            try merge(tmp.file("parts"), into: tmp.file("out"))
        } throws: { error in
            let error = error as? PipelineError
            return error?.code == .shardsIncomplete && error?.subject == tmp.file("parts/part-0-of-2.jsonl")
                && error?.message.contains("line 5 is not a record") == true
        }
        expectNothingWritten(tmp.file("out"))
    }

    @Test func linesOutOfInputOrderAreRefused() throws {
        let tmp = try TemporaryDirectory()
        var parts = Self.twoParts(30) { "Sentence \($0)." }
        parts[1].swapAt(2, 3)
        try Self.write(parts, in: tmp.file("parts"))
        #expect {
            try merge(tmp.file("parts"), into: tmp.file("out"))
        } throws: { error in
            let error = error as? PipelineError
            return error?.code == .shardsIncomplete && error?.message.contains("line 4 is out of input order") == true
        }
        expectNothingWritten(tmp.file("out"))
    }

    @Test func aPartShorterThanItsMarkerIsRefused() throws {
        let tmp = try TemporaryDirectory()
        let parts = Self.twoParts(30) { "Sentence \($0)." }
        try Self.write(parts, in: tmp.file("parts"), counts: [parts[0].count, parts[1].count + 5])
        #expect {
            try merge(tmp.file("parts"), into: tmp.file("out"))
        } throws: { error in
            (error as? PipelineError)?.message.contains("holds \(parts[1].count) records but its marker says \(parts[1].count + 5)") == true
        }
        expectNothingWritten(tmp.file("out"))
    }
}
