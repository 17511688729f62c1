import Foundation
import Testing
import SpeechDataset
import TestSupport

@Suite struct RoundTripTests {
    @Test func nemoManifestRoundTrips() throws {
        let dir = try TemporaryDirectory()
        var entries = sampleEntries
        entries.append(ManifestEntry(id: "long_00012500", audioPath: "long.wav", offset: 12.5, duration: 2.25, text: "segment"))
        entries.append(ManifestEntry(id: "custom-id", audioPath: "x.wav", duration: 1))
        var writer = try NeMoManifestWriter(path: dir.file("m.jsonl"))
        for entry in entries { try writer.write(entry) }
        try writer.finish()
        var reader = try NeMoManifestReader(path: dir.file("m.jsonl"))
        #expect(try reader.readAll() == entries)
    }

    @Test func nemoPredictionIsWrittenAsPredText() throws {
        let dir = try TemporaryDirectory()
        var writer = try NeMoManifestWriter(path: dir.file("p.jsonl"))
        try writer.write(sampleEntries[0], prediction: "hello world")
        try writer.finish()
        #expect(try readText(dir.file("p.jsonl")) ==
            #"{"audio_filepath": "clips/a1.wav", "duration": 1.5, "text": "hello \"world\"", "lang": "en", "speaker": "s1", "pred_text": "hello world"}"# + "\n")
        var reader = try NeMoManifestReader(path: dir.file("p.jsonl"))
        #expect(try reader.next()?.extra["pred_text"] == "hello world")
    }

    /// Python's own json module must read what we write and spell it the same way.
    @Test func legacyResultsMatchPythonJSONDumps() throws {
        let dir = try TemporaryDirectory()
        var writer = try LegacyResultsWriter(path: dir.file("asr_3.json"))
        let records = sampleEntries.map { TranscriptRecord(id: $0.id, truth: $0.text, asr: $0.text.map { $0 + " asr" }) }
        for record in records { try writer.write(record) }
        try writer.finish()
        let python = try ExternalTool.run([
            "python3", "-c",
            "import json,sys; d=json.load(open(sys.argv[1],encoding='utf-8')); sys.stdout.write(json.dumps(d, ensure_ascii=False))",
            dir.file("asr_3.json"),
        ])
        #expect(python.status == 0)
        #expect(python.text == (try readText(dir.file("asr_3.json"))))
        #expect(try LegacyResults.read(dir.file("asr_3.json")) == records)
    }

    @Test func legacyResultChunksMergeInNumericOrder() throws {
        let dir = try TemporaryDirectory()
        // Written out of order, and 10000 sorts before 3000 as text.
        for (number, ids) in [(10000, ["c"]), (3000, ["a"]), (6000, ["b"])] {
            var writer = try LegacyResultsWriter(path: dir.file("asr_\(number).json"), firstIndex: number)
            for id in ids { try writer.write(TranscriptRecord(id: id, truth: "t", asr: "a")) }
            try writer.finish()
        }
        try writeText("{}", to: dir.file("notes.json"))
        #expect(try LegacyResults.readFolder(dir.path).map(\.id) == ["a", "b", "c"])
        #expect(try ManifestFormat.detect(path: dir.path) == .legacyResultsFolder)
    }

    @Test func chunkFilesAreNamedByRunningCountAndReadBackInOrder() throws {
        let dir = try TemporaryDirectory()
        let records = (0..<7).map { TranscriptRecord(id: "u\($0)", truth: "t\($0)", asr: "a\($0)") }
        let paths = try LegacyResults.writeChunks(records, to: dir.path, chunkSize: 3)
        #expect(paths.map { $0.split(separator: "/").last! } == ["asr_3.json", "asr_6.json", "asr_7.json"])
        #expect(try readText(dir.file("asr_7.json")) == #"{"6": {"ID": "u6", "truth": "t6", "asr": "a6"}}"#)
        #expect(try LegacyResults.readFolder(dir.path) == records)
    }

    @Test func legacyManifestAcceptsSentenceOrTruthAndRoundTrips() throws {
        let dir = try TemporaryDirectory()
        try writeText(#"{"0": {"wav_path": "wavs/x.wav", "sentence": "one"}, "1": {"wav_path": "wavs/y.wav", "truth": "two"}}"#, to: dir.file("m.json"))
        var reader = try LegacyManifestReader(path: dir.file("m.json"))
        let entries = try reader.readAll()
        #expect(entries.map(\.text) == ["one", "two"])
        #expect(entries.map(\.id) == ["x", "y"])
        #expect(entries[1].extra["index"] == "1")

        var writer = try LegacyManifestWriter(path: dir.file("out.json"))
        for entry in entries { try writer.write(entry) }
        try writer.finish()
        var again = try LegacyManifestReader(path: dir.file("out.json"))
        #expect(try again.readAll() == entries)
        #expect(try ManifestFormat.detect(path: dir.file("out.json")) == .legacyManifest)
    }

    @Test(arguments: [false, true])
    func kaldiDirectoryRoundTripsSortedForKaldi(segmented: Bool) throws {
        let dir = try TemporaryDirectory()
        var entries = sampleEntries.map { entry -> ManifestEntry in
            var e = entry
            e.text = e.text?.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\t", with: " ")
            e.language = nil
            e.extra = [:]
            return e
        }
        entries.append(ManifestEntry(id: "B0", audioPath: "z.wav", duration: 2, text: "upper case sorts first", speaker: "s1"))
        entries.append(ManifestEntry(id: "a1-2", audioPath: "y.wav", duration: 2, text: "prefix of another id", speaker: "s3"))
        if segmented {
            entries = entries.enumerated().map { (k, e) in
                var s = e
                s.offset = Double(k) * 2
                s.extra["recording_id"] = "rec\(k % 2)"
                s.audioPath = "rec\(k % 2).wav"
                return s
            }
        }
        var writer = try KaldiDataDirectoryWriter(path: dir.file("data"))
        for entry in entries.reversed() { try writer.write(entry) }
        try writer.finish()

        // Kaldi's tools check order with C-locale `sort -c`.
        for file in ["wav.scp", "text", "utt2spk", "spk2utt", segmented ? "segments" : "utt2dur"] {
            let check = try ExternalTool.run(["env", "LC_ALL=C", "sort", "-c", dir.file("data/\(file)")])
            #expect(check.status == 0, "\(file) is not in C-locale order: \(String(decoding: check.stderr, as: UTF8.self))")
        }
        var reader = try KaldiDataDirectoryReader(path: dir.file("data"))
        let read = try reader.readAll()
        let expected = entries.sorted { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
        #expect(read == expected)
        #expect(try ManifestFormat.detect(path: dir.file("data")) == .kaldi)
    }

    @Test func kaldiOutOfOrderFileIsRejected() throws {
        let dir = try TemporaryDirectory()
        try writeText("b b.wav\na a.wav\n", to: dir.file("wav.scp"))
        var reader = try KaldiDataDirectoryReader(path: dir.path)
        #expect {
            _ = try reader.readAll()
        } throws: { error in
            (error as? DatasetError)?.code == .notSorted && (error as? DatasetError)?.line == 2
        }
    }

    @Test(arguments: [AudioFolderMetadataWriter.Format.jsonl, .csv])
    func audioFolderMetadataRoundTrips(format: AudioFolderMetadataWriter.Format) throws {
        let dir = try TemporaryDirectory()
        let name = format == .csv ? "metadata.csv" : "metadata.jsonl"
        let entries = sampleEntries.map { e in
            ManifestEntry(id: e.id, audioPath: e.audioPath, text: e.text, extra: ["emotion": e.extra["emotion"] ?? "", "quote": "a, \"b\"\nc \"\"d\"\",\ne"])
        }
        var writer = try AudioFolderMetadataWriter(path: dir.file(name), format: format)
        for entry in entries { try writer.write(entry) }
        try writer.finish()
        var reader = try AudioFolderMetadataReader(path: dir.path)
        #expect(try reader.readAll() == entries)
        #expect(try ManifestFormat.detect(path: dir.path) == .audioFolder)
        if format == .csv {
            // Python's csv module reads the same rows.
            let python = try ExternalTool.run([
                "python3", "-c", "import csv,sys; print(sum(1 for _ in csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8'))))",
                dir.file(name),
            ])
            #expect(python.text.trimmingCharacters(in: .whitespacesAndNewlines) == "\(entries.count)")
        }
    }

    @Test func manifestOpenDetectsNeMo() throws {
        let dir = try TemporaryDirectory()
        try writeText(#"{"audio_filepath": "a.wav", "duration": 1.0, "text": "x"}"# + "\n", to: dir.file("train.json"))
        #expect(try ManifestFormat.detect(path: dir.file("train.json")) == .nemo)
        var reader = try Manifest.open(path: dir.file("train.json"))
        #expect(try reader.next()?.id == "a")
    }
}
