import Foundation
import Testing
import TestSupport

/// `metadata.jsonl`: the columns an item came with reach the run's outputs, one line per
/// manifest line, and the same bytes however the run was made.
@Suite(.serialized) struct MetadataOutputTests {
    @Test func commonVoiceColumnsReachMetadataJSONLReadableByPython() throws {
        let tmp = try TemporaryDirectory()
        let out = tmp.file("out")
        let run = try CLI.run(["prepare", CLI.sample, "--split", "validated", "--out", out] + EndToEndTests.fast)
        #expect(run.status == 0, "\(run.stderr)")
        let python = try ExternalTool.run([
            "python3", "-c",
            """
            import json, sys
            rows = [json.loads(line) for line in open(sys.argv[1], encoding='utf-8')]
            manifest = [json.loads(line) for line in open(sys.argv[2], encoding='utf-8')]
            assert len(rows) == len(manifest), (len(rows), len(manifest))
            for row, entry in zip(rows, manifest):
                assert entry['audio_filepath'].rsplit('/', 1)[-1].rsplit('.', 1)[0] == row['id'], (row, entry)
            json.dump(rows, sys.stdout, ensure_ascii=False)
            """,
            "\(out)/metadata.jsonl", "\(out)/manifest.jsonl",
        ])
        #expect(python.status == 0, "\(python.text)")
        let rows = try #require(try JSONSerialization.jsonObject(with: python.stdout) as? [[String: String]])
        #expect(rows.count == 12)
        let first = try #require(rows.first)
        #expect(first["id"] == "common_voice_en_40000001")
        #expect(first["gender"] == "female_feminine")
        #expect(first["age"] == "thirties")
        #expect(first["up_votes"] == "2")
        #expect(first["down_votes"] == "0")
        #expect(first["language"] == "en")
        #expect(first["speaker"]?.hasPrefix("c13316dbbd45") == true)
        #expect(first["client_id"] == nil && first["locale"] == nil && first["sentence"] == nil)
        // Keys after the id are in byte order, so the bytes are stable.
        let line = try #require(CLI.lines("\(out)/metadata.jsonl").first)
        #expect(line.hasPrefix("{\"id\": \"common_voice_en_40000001\", \"age\": \"thirties\", \"down_votes\": \"0\""))
    }

    @Test func metadataIsByteIdenticalAcrossWorkersResumeAndShards() throws {
        let tmp = try TemporaryDirectory()
        let one = tmp.file("one"), two = tmp.file("two"), shared = tmp.file("shared")
        let input = [CLI.sample, "--split", "validated"] + EndToEndTests.fast
        #expect(try CLI.run(["prepare"] + input + ["--out", one, "--workers", "1"]).status == 0)
        #expect(try CLI.run(["prepare"] + input + ["--out", two, "--workers", "2"]).status == 0)
        let reference = CLI.read("\(one)/metadata.jsonl")
        #expect(!reference.isEmpty)
        #expect(CLI.read("\(two)/metadata.jsonl") == reference)
        // A rerun resumes from the journal and rewrites the same bytes.
        try FileManager.default.removeItem(atPath: "\(two)/metadata.jsonl")
        #expect(try CLI.run(["prepare"] + input + ["--out", two, "--workers", "2"]).status == 0)
        #expect(CLI.read("\(two)/metadata.jsonl") == reference)
        for index in 0..<3 {
            #expect(try CLI.run(["prepare"] + input + ["--out", shared, "--shard", "\(index)/3"]).status == 0)
        }
        let merged = try CLI.run(["merge", shared, "--verify"])
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(CLI.read("\(shared)/metadata.jsonl") == reference)
    }
}
