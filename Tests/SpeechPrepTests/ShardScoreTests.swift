import Foundation
import Testing
import SpeechPrep
import TestSupport

/// Shards of a transcribed run record their score in their done marker, and a merge adds those
/// up instead of scoring every record again (issue 16) — giving exactly the score of one pass
/// over the merged `results.json`, worst list included.
@Suite(.serialized) struct ShardScoreTests {
    /// Transcribes the sample release in `count` shards sharing one folder.
    private func transcribeShards(_ count: Int, in tmp: TemporaryDirectory, engine: [String] = []) throws -> String {
        let out = tmp.file("shards")
        for index in 0..<count {
            let run = try CLI.run(
                ["transcribe", CLI.sample, "--out", out, "--shard", "\(index)/\(count)", "-q", "--quality", "quick"] + engine)
            #expect(run.status == 0, "\(run.stderr)")
        }
        return out
    }

    /// Reads every done marker in `folder` with Python's `json`, runs the Python statements
    /// `edit` on it (`m`: the marker, `part`: its part's records), and writes it back.
    private func editMarkers(in folder: String, _ edit: String) throws {
        let python = try ExternalTool.run([
            "python3", "-c",
            """
            import glob, json, sys
            for path in sorted(glob.glob(sys.argv[1] + '/part-*.done')):
                m = json.load(open(path, encoding='utf-8'))
                part = [json.loads(line)['record'] for line in open(path[:-len('.done')] + '.jsonl', encoding='utf-8')]
            \(edit.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
                json.dump(m, open(path, 'w', encoding='utf-8'))
            """,
            folder,
        ])
        #expect(python.status == 0, "\(String(decoding: python.stderr, as: UTF8.self))")
    }

    /// A copy of the shards' folder whose markers have no score, as markers written before it was recorded.
    private func withoutScores(_ folder: String, in tmp: TemporaryDirectory) throws -> String {
        let copy = tmp.file("old-\(UUID().uuidString)")
        try FileManager.default.copyItem(atPath: folder, toPath: copy)
        try editMarkers(in: copy, "del m['score']")
        return copy
    }

    /// Merges `folder` into a fresh folder.
    private func merge(_ folder: String, in tmp: TemporaryDirectory, _ scoring: ShardMerger.Scoring = .init())
        throws -> (score: TranscriptScoring.Report?, results: String)
    {
        let out = tmp.file("merged-\(UUID().uuidString)")
        let report = try ShardMerger.merge(directories: [folder], into: out, scoring: scoring)
        return (report.score, "\(out)/results.json")
    }

    @Test func plainMergeAddsUpTheShardsScores() throws {
        let tmp = try TemporaryDirectory()
        let shards = try transcribeShards(3, in: tmp)
        // Each marker is valid JSON with the score of its part's successes, in the run's
        // normaliser and the unit of its language (the sample is Common Voice `en`: words).
        try editMarkers(in: shards, """
            s = m['score']
            assert s['unit'] == 'word' and s['tally']['normalizer'] == 'lowercase-punctuation', s
            assert s['tally']['worstCount'] == 10, s
            assert s['tally']['offered'] == sum(1 for r in part if 'error' not in r), (s, part)
            """)
        let summed = try merge(shards, in: tmp)
        let readBack = try TranscriptScoring.score(resultsFile: summed.results)
        #expect(summed.score == readBack)
        #expect(readBack.utteranceCount == 12 && readBack.worst.count == 10 && readBack.wer > 0)
        // Old markers (no score) still merge, scoring every record: the same report.
        let old = try merge(try withoutScores(shards, in: tmp), in: tmp)
        #expect(old.score == readBack)
        #expect(CLI.read(old.results) == CLI.read(summed.results))

        // Another normaliser, another unit (language) or more of the worst than the markers
        // kept: the merge scores every record, as one pass over results.json does.
        let scorings: [ShardMerger.Scoring] = [
            .init(normalizer: StandardNormalizer.whisperEnglish), .init(language: "zh"), .init(worstCount: 11),
        ]
        for scoring in scorings {
            let fallback = try merge(shards, in: tmp, scoring)
            let onePass = try TranscriptScoring.score(
                resultsFile: fallback.results, normalizer: scoring.normalizer, language: scoring.language,
                worstCount: scoring.worstCount)
            #expect(fallback.score == onePass)
        }
        #expect(try merge(shards, in: tmp, .init(worstCount: 11)).score?.worst.count == 11)

        // The plain merge takes the markers' sums rather than the records': one more
        // substitution in a marker shows in the WER.
        try editMarkers(in: shards, "m['score']['tally']['words']['substitutions'] += 1")
        let edited = try #require(try merge(shards, in: tmp).score)
        #expect(edited.wer > readBack.wer && edited.cer == readBack.cer)
        // The CLI prints the summed WER too.
        let cli = try CLI.run(["merge", shards, "--out", tmp.file("cli"), "--verify"])
        #expect(cli.stdout.contains(String(format: "WER %.2f%%", edited.wer * 100)), "\(cli.stdout)")
    }

    @Test func equalRatesAcrossShardsKeepOnePassOrder() throws {
        // A recogniser that says "words" to every clip: every utterance's WER is 1, so the worst
        // list is the first utterances in input order, which the hash split spreads over shards.
        let tmp = try TemporaryDirectory()
        let shards = try transcribeShards(3, in: tmp, engine: LimitAndChunkTests.echoEngine)
        for worstCount in [1, 4, 7] {
            let scoring = ShardMerger.Scoring(worstCount: worstCount)
            let summed = try merge(shards, in: tmp, scoring)
            let readBack = try TranscriptScoring.score(resultsFile: summed.results, worstCount: worstCount)
            #expect(summed.score == readBack)
            #expect(try merge(try withoutScores(shards, in: tmp), in: tmp, scoring).score == readBack)
            let rows = try JSONSerialization.jsonObject(with: CLI.read(summed.results)) as? [String: [String: String]] ?? [:]
            let firstIDs = rows.keys.compactMap(Int.init).sorted().prefix(worstCount).compactMap { rows[String($0)]?["ID"] }
            #expect(readBack.worst.map(\.id) == Array(firstIDs))
            #expect(Set(readBack.worst.map(\.errorRate)) == [1])
        }
        // The first 4 come from more than one shard (else the tie would not cross shards).
        let owners = (0..<3).map { k in
            Set(CLI.lines("\(shards)/part-\(k)-of-3.jsonl").map {
                ((try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["record"] as? [String: Any])?["id"] as? String
            })
        }
        let worst = try #require(try merge(shards, in: tmp, .init(worstCount: 4)).score?.worst)
        #expect(Set(worst.map { utterance in owners.firstIndex { $0.contains(utterance.id) } }).count > 1)
    }

    @Test func aMarkerWhoseScoreCountsOtherSuccessesIsRefused() throws {
        let tmp = try TemporaryDirectory()
        let shards = try transcribeShards(2, in: tmp, engine: LimitAndChunkTests.echoEngine)
        try editMarkers(in: shards, "if m['shard']['index'] == 1: m['score']['tally']['offered'] += 1")
        let successes = CLI.lines("\(shards)/part-1-of-2.jsonl").filter { !$0.contains("\"error\"") }.count
        let out = tmp.file("merged")
        let error = #expect(throws: PipelineError.self) {
            try ShardMerger.merge(directories: [shards], into: out, scoring: .init())
        }
        #expect(error?.code == .shardsIncomplete)
        #expect(error?.subject == "\(shards)/part-1-of-2.done")
        #expect(error?.message.contains("scores \(successes + 1) successful records but its part holds \(successes)") == true,
            "\(String(describing: error))")
        #expect(!FileManager.default.fileExists(atPath: out), "a refused merge wrote \(out)")
        let cli = try CLI.run(["merge", shards, "--out", out, "--verify"])
        #expect(cli.status == 1 && cli.stderr.contains("part-1-of-2.done"), "\(cli.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out), "a refused merge wrote \(out)")
    }
}
