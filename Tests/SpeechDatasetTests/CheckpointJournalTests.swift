import Foundation
import Testing
import SpeechDataset
import TestSupport

@Suite struct CheckpointJournalTests {
    let configuration = ["engine": "pocketsphinx", "sampleRate": "16000"]

    func records(_ count: Int) -> [TranscriptRecord] {
        (0..<count).map { (k: Int) -> TranscriptRecord in
            let failed: Bool = k % 7 == 3
            let asr: String? = failed ? nil : "hyp \(k)"
            let error: String? = failed ? "decoder failed" : nil
            return TranscriptRecord(
                id: "utt\(k)", truth: "参考 \(k) \"q\"", asr: asr, duration: Double(k) / 8, engine: "pocketsphinx", error: error)
        }
    }

    @Test func reopeningResumesWithCompletedIDs() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("run.journal")
        do {
            let journal = try CheckpointJournal(path: path, configuration: configuration, syncInterval: 4)
            for record in records(10) { try journal.append(record) }
            try journal.sync()
        }
        let reopened = try CheckpointJournal(path: path, configuration: configuration)
        #expect(try reopened.completedIDs == Set((0..<10).map { "utt\($0)" }))
        #expect(try reopened.records["utt3"] == records(10)[3])
        #expect(reopened.recoveredBytes == 0)
    }

    /// Records live in the file; the journal reads each back by id, before and after reopening.
    @Test func recordsAreReadBackFromTheFile() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("run.journal")
        let all = records(20)
        let journal = try CheckpointJournal(path: path, configuration: configuration)
        for record in all { try journal.append(record) }
        // A retried item: its later record wins and the failure count follows it.
        try journal.append(TranscriptRecord(id: "utt3", truth: all[3].truth, asr: "retried", engine: "pocketsphinx"))
        let failures = all.count { $0.error != nil }
        for reader in [journal, try CheckpointJournal(path: path, configuration: configuration)] {
            #expect(reader.count == 20)
            #expect(reader.failedCount == failures - 1)
            #expect(reader.contains("utt19") && !reader.contains("utt20"))
            #expect(try reader.record(for: "utt3")?.asr == "retried")
            #expect(try reader.record(for: "utt20") == nil)
            #expect(try reader.orderedRecords(for: ["utt5", "missing", "utt0"]) == [all[5], all[0]])
        }
    }

    @Test(arguments: [1, 17, 30])
    func tornLastLineIsTruncatedAway(cutBytes: Int) throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("run.journal")
        do {
            let journal = try CheckpointJournal(path: path, configuration: configuration)
            for record in records(5) { try journal.append(record) }
        }
        var bytes = try readBytes(path)
        let intactLength = bytes.count
        // Append a record line cut short, as a crash in the middle of a write leaves it.
        bytes += Array(#"{"id": "utt99", "truth": "partial record that never ended"#.utf8.prefix(cutBytes))
        try writeBytes(bytes, to: path)
        let journal = try CheckpointJournal(path: path, configuration: configuration)
        #expect(journal.recoveredBytes == cutBytes)
        #expect(try journal.completedIDs.count == 5)
        #expect(try readBytes(path).count == intactLength)
        try journal.append(TranscriptRecord(id: "utt5", asr: "after recovery"))
        let again = try CheckpointJournal(path: path, configuration: configuration)
        #expect(try again.records["utt5"]?.asr == "after recovery")
    }

    @Test func lineCutInsideAMultiByteCharacterIsRecovered() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("run.journal")
        do {
            let journal = try CheckpointJournal(path: path, configuration: configuration)
            try journal.append(TranscriptRecord(id: "a", asr: "ok"))
        }
        let line = Array(TranscriptRecord(id: "b", truth: "今日天氣").jsonLineForTest.utf8)
        let cut = line.firstIndex(of: 0xE4)! + 2  // two of the three bytes of 今
        try writeBytes(try readBytes(path) + line[..<cut], to: path)
        let journal = try CheckpointJournal(path: path, configuration: configuration)
        #expect(try journal.completedIDs == ["a"])
        #expect(journal.recoveredBytes == cut)
    }

    @Test func configurationMismatchIsATypedError() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("run.journal")
        _ = try CheckpointJournal(path: path, configuration: configuration)
        #expect {
            _ = try CheckpointJournal(path: path, configuration: ["engine": "whisper", "sampleRate": "16000"])
        } throws: { error in
            guard let error = error as? DatasetError else { return false }
            return error.code == .configurationMismatch && error.description.contains("engine")
        }
    }

    @Test func damageInTheMiddleIsNotSilentlyDropped() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("run.journal")
        do {
            let journal = try CheckpointJournal(path: path, configuration: configuration)
            for record in records(3) { try journal.append(record) }
        }
        var lines = try readText(path).split(separator: "\n", omittingEmptySubsequences: false)
        lines[2] = "{\"id\": broken"
        try writeText(lines.joined(separator: "\n"), to: path)
        #expect {
            _ = try CheckpointJournal(path: path, configuration: configuration)
        } throws: { error in
            guard let error = error as? DatasetError else { return false }
            return error.code == .corruptJournal && error.line == 3
        }
    }

    /// An interrupted run (killed mid-write, resumed, finishing in another order) must write
    /// the same bytes as a run that never stopped, whether the index is in memory or (a
    /// 16-slot memory limit) in its scratch file.
    @Test(arguments: [CheckpointJournal.defaultMemorySlotLimit, 16])
    func resumedRunWritesByteIdenticalResults(memorySlotLimit: Int) throws {
        let dir = try TemporaryDirectory()
        let all = records(40)
        let inputOrder = all.map(\.id)

        let straight = try CheckpointJournal(path: dir.file("a.journal"), configuration: configuration, memorySlotLimit: memorySlotLimit)
        for record in all { try straight.append(record) }
        var legacyA = try LegacyResultsWriter(path: dir.file("a.json"))
        try straight.export(ids: inputOrder, to: &legacyA)
        var jsonlA = try TranscriptJSONLWriter(path: dir.file("a.jsonl"))
        try straight.export(ids: inputOrder, to: &jsonlA)

        let journalB = dir.file("b.journal")
        do {
            let first = try CheckpointJournal(path: journalB, configuration: configuration, syncInterval: 1, memorySlotLimit: memorySlotLimit)
            for record in all.prefix(17).reversed() { try first.append(record) }
        }
        try writeBytes(try readBytes(journalB) + Array(#"{"id": "utt17", "tru"#.utf8), to: journalB)
        let resumed = try CheckpointJournal(path: journalB, configuration: configuration, memorySlotLimit: memorySlotLimit)
        for record in all.shuffled() where !resumed.contains(record.id) { try resumed.append(record) }
        var legacyB = try LegacyResultsWriter(path: dir.file("b.json"))
        try resumed.export(ids: inputOrder, to: &legacyB)
        var jsonlB = try TranscriptJSONLWriter(path: dir.file("b.jsonl"))
        try resumed.export(ids: inputOrder, to: &jsonlB)

        #expect(try readBytes(dir.file("a.json")) == readBytes(dir.file("b.json")))
        #expect(try readBytes(dir.file("a.jsonl")) == readBytes(dir.file("b.jsonl")))
        #expect(try LegacyResults.read(dir.file("b.json")).count == 40)
    }

    @Test func concurrentAppendsAreAllKept() async throws {
        let dir = try TemporaryDirectory()
        let journal = try CheckpointJournal(path: dir.file("c.journal"), configuration: [:])
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    for k in 0..<50 { try? journal.append(TranscriptRecord(id: "w\(worker)-\(k)", asr: "x")) }
                }
            }
        }
        try journal.sync()
        #expect(try CheckpointJournal(path: dir.file("c.journal"), configuration: [:]).count == 200)
    }
}

extension TranscriptRecord {
    /// The record as a journal line, via the public JSONL writer.
    var jsonLineForTest: String {
        let dir = try! TemporaryDirectory()
        var writer = try! TranscriptJSONLWriter(path: dir.file("one.jsonl"))
        try! writer.write(self)
        try! writer.finish()
        return try! readText(dir.file("one.jsonl"))
    }
}
