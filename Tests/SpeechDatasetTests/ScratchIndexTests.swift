import Foundation
import Testing
@testable import SpeechDataset
import TestSupport

/// The on-disk id set and journal index must answer exactly as in-memory Swift collections do,
/// once spilled to their scratch files too, and leave no file behind.
@Suite struct ScratchIndexTests {
    /// Ids with repeats, byte-different spellings of the "same" text (NFC/NFD), an empty id and
    /// long ones, in a shuffled but fixed order.
    func ids(_ count: Int) -> [String] {
        var generator = SeededRandom(seed: 13)
        var ids = (0..<count).map { "clip_\($0)" }
        ids += ["caf\u{E9}", "cafe\u{301}", "", String(repeating: "x", count: 5000), "clip_7", "clip_0"]
        ids += (0..<count / 10).map { _ in "clip_\(Int.random(in: 0..<count, using: &generator))" }
        ids.shuffle(using: &generator)
        return ids
    }

    @Test(arguments: [1 << 17, 16])
    func idSetAgreesWithSwiftSet(memorySlotLimit: Int) throws {
        let dir = try TemporaryDirectory()
        let set = ExactIDSet(scratchFolder: dir.path, memorySlotLimit: memorySlotLimit)
        var reference = Set<ExactID>()
        for id in ids(20_000) {
            #expect(try set.insert(id) == reference.insert(ExactID(id)).inserted, "insert \(id)")
        }
        #expect(set.count == reference.count)
        #expect(set.isOnDisk == (memorySlotLimit == 16))
        for id in ["clip_19999", "caf\u{E9}", "cafe\u{301}", ""] { #expect(try set.contains(id)) }
        for id in ["clip_20000", "CLIP_1", "caf", "clip_1 "] { #expect(try !set.contains(id)) }
        // The scratch files were unlinked as they were made.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    /// A memory limit that is not a power of two (a public parameter) is rounded down to one:
    /// the table's probing masks positions by its capacity, and its page cache needs pages that
    /// divide every capacity.
    @Test func aLimitThatIsNotAPowerOfTwoStillAgreesWithSwiftSet() throws {
        let dir = try TemporaryDirectory()
        let set = ExactIDSet(scratchFolder: dir.path, memorySlotLimit: 100)
        var reference = Set<ExactID>()
        for id in ids(2_000) {
            #expect(try set.insert(id) == reference.insert(ExactID(id)).inserted, "insert \(id)")
        }
        #expect(set.count == reference.count)
        #expect(set.isOnDisk)
        for id in ["clip_1999", "caf\u{E9}", ""] { #expect(try set.contains(id)) }
        for id in ["clip_2000", "CLIP_1"] { #expect(try !set.contains(id)) }
    }

    /// Keys whose hashes are all equal are still told apart by comparing the keys themselves,
    /// in memory and on disk.
    @Test(arguments: [1 << 10, 16])
    func collidingHashesAreToldApartByTheKey(memorySlotLimit: Int) throws {
        let dir = try TemporaryDirectory()
        var table = ScratchHashTable(memorySlotLimit: memorySlotLimit, scratchFolder: dir.path)
        let keys = (0..<300).map { "key\($0)" }
        func probe(_ key: String) throws(DatasetError) -> ScratchHashTable.Probe {
            try table.probe(42) { slot in keys[Int(slot.first)] == key }
        }
        for (k, key) in keys.enumerated() {
            guard case .absent(let position) = try probe(key) else {
                Issue.record("\(key) found before it was stored")
                continue
            }
            try table.store(.init(hash: 42, first: UInt64(k), second: 0), at: position, isNew: true)
        }
        #expect(table.count == keys.count)
        #expect(table.isOnDisk == (memorySlotLimit == 16))
        for (k, key) in keys.enumerated() {
            guard case .found(_, let slot) = try probe(key) else {
                Issue.record("\(key) not found")
                continue
            }
            #expect(slot.first == UInt64(k))
        }
        guard case .absent = try probe("key300") else {
            Issue.record("a key never stored was found")
            return
        }
    }

    /// A journal whose index is in its scratch file reads back, counts and replaces records as
    /// a dictionary of the latest record per id does, before and after reopening.
    @Test func spilledJournalIndexAgreesWithADictionary() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("journal.jsonl")
        // Keyed by ExactID: Swift's String equality would make the NFC and NFD ids one.
        var latest: [ExactID: TranscriptRecord] = [:]
        var order: [String] = []
        do {
            let journal = try CheckpointJournal(path: path, configuration: ["run": "1"], memorySlotLimit: 16)
            for (k, id) in ids(3000).enumerated() {
                let record = TranscriptRecord(
                    id: id, truth: "truth \(k)", asr: "asr \(k)", duration: 1, engine: "e", error: k % 5 == 0 ? "failed \(k)" : nil)
                try journal.append(record)
                if latest.updateValue(record, forKey: ExactID(id)) == nil { order.append(id) }
            }
        }
        let reopened = try CheckpointJournal(path: path, configuration: ["run": "1"], memorySlotLimit: 16)
        #expect(reopened.count == latest.count)
        #expect(reopened.failedCount == latest.values.count { $0.error != nil })
        #expect(try reopened.orderedRecords(for: order) == order.map { latest[ExactID($0)]! })
        #expect(!reopened.contains("clip_3000") && reopened.contains("cafe\u{301}"))
        #expect(try reopened.completedIDs.count == latest.count - 1, "a Set<String> joins the NFC and NFD ids")
        // Only the journal is in the folder: the index's scratch file had no name.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["journal.jsonl"])
    }

    /// A journal line in another spelling than the journal's own (keys in another order, as a
    /// hand-edited or foreign file could hold) is still found by its id, never by a prefix.
    @Test func linesInAnotherSpellingAreMatchedByTheirParsedID() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("journal.jsonl")
        let header = CheckpointJournal.header(["run": "1"])
        let lines = [#"{"truth": "t", "id": "a"}"#, #"{"id": "ab", "truth": "u"}"#, #"{"id":"b","asr":"x"}"#]
        try (([header] + lines).joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let journal = try CheckpointJournal(path: path, configuration: ["run": "1"], memorySlotLimit: 16)
        #expect(journal.contains("a") && journal.contains("ab") && journal.contains("b"))
        #expect(!journal.contains("a\"") && !journal.contains("") && !journal.contains("abc"))
        #expect(try journal.record(for: "a")?.truth == "t")
        #expect(try journal.record(for: "b")?.asr == "x")
        try journal.append(TranscriptRecord(id: "a", truth: "retried"))
        #expect(journal.count == 3)
        #expect(try journal.record(for: "a")?.truth == "retried")
    }
}
