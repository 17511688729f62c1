import Foundation
import SpeechPrep
import Testing

@Suite struct ShardTests {
    @Test(arguments: [2, 3, 4, 7])
    func shardsPartitionTheIDs(count: Int) throws {
        let ids = (0..<500).map { "common_voice_en_\($0)" }
        let shards = try (0..<count).map { try Shard(index: $0, count: count) }
        for id in ids {
            #expect(shards.filter { $0.contains(id: id) }.count == 1)
        }
        // Roughly even: no shard is empty.
        #expect(shards.allSatisfy { shard in ids.contains { shard.contains(id: $0) } })
    }

    @Test func parsesAndRejects() throws {
        #expect(try Shard(parsing: "1/4") == Shard(index: 1, count: 4))
        #expect(throws: PipelineError.self) { try Shard(parsing: "4/4") }
        #expect(throws: PipelineError.self) { try Shard(parsing: "one of four") }
    }

    @Test func comesFromTheScheduler() throws {
        #expect(try Shard.fromEnvironment(["SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_COUNT": "4"]) == Shard(index: 3, count: 4))
        #expect(
            try Shard.fromEnvironment(["SLURM_ARRAY_TASK_ID": "4", "SLURM_ARRAY_TASK_COUNT": "4", "SLURM_ARRAY_TASK_MIN": "1"])
                == Shard(index: 3, count: 4))
        #expect(try Shard.fromEnvironment(["JOB_COMPLETION_INDEX": "0"], countHint: 2) == Shard(index: 0, count: 2))
        #expect(throws: PipelineError.self) { try Shard.fromEnvironment(["JOB_COMPLETION_INDEX": "0"]) }
        #expect(try Shard.fromEnvironment([:]) == nil)
    }
}

@Suite struct PolicyAndScoringTests {
    @Test func commonVoiceDefaultLimits() {
        let policy = LanguageLimitPolicy.commonVoiceDefault
        #expect(policy.limit(for: "en") == 8_000)
        #expect(policy.limit(for: "yue") == nil)
        #expect(policy.limit(for: "zh-HK") == nil)
        #expect(policy.limit(for: nil) == nil)
        #expect(LanguageLimitPolicy.unlimited.limit(for: "en") == nil)
    }

    @Test func normalizesCommonVoiceSentences() {
        let normalizer = TranscriptScoring.defaultNormalizer
        #expect(normalizer.normalize("He was not an ill disposed  young man.") == "he was not an ill disposed young man")
    }

    @Test func scoresLikeJiwer() {
        // jiwer.wer(["a b c d", "e f"], ["a x c", "e f g"]) == 3 / 6
        let report = TranscriptScoring.score(
            ids: ["1", "2"], references: ["a b c d", "e f"], hypotheses: ["a x c", "e f g"])
        #expect(abs(report.wer - 0.5) < 1e-12)
        #expect(report.worst.first?.id == "1")
        #expect(report.normalizer == "lowercase-punctuation")
        #expect(report.byUnit.map(\.unit) == [.word])
    }

    @Test func chineseAndJapaneseAreScoredInCharactersWithoutSpaces() {
        // jiwer.cer("我们今天去", "我们 明天去") after dropping white space: 1 substitution over 5
        let report = TranscriptScoring.score(
            ids: ["zh", "ja", "en"], references: ["我们今天去", "今日は 晴れ", "the cat"],
            hypotheses: ["我们 明天去", "今日は晴れ", "the hat"], languages: ["zh-CN", "ja", "en"],
            normalizer: StandardNormalizer.whisperBasic)
        #expect(report.normalizer == "whisper-basic")
        let characters = report.byUnit.first { $0.unit == .characterIgnoringWhitespace }
        #expect(characters?.utteranceCount == 2)
        #expect(characters?.referenceTokens == 10)
        #expect(abs((characters?.errorRate ?? 0) - 0.1) < 1e-12)
        #expect(report.worst.first { $0.id == "en" }?.unit == .word)
        #expect(ScoringUnit.usual(forLanguage: "zh-HK") == .characterIgnoringWhitespace)
        #expect(ScoringUnit.usual(forLanguage: "yue") == .characterIgnoringWhitespace)
        #expect(ScoringUnit.usual(forLanguage: "en") == .word)
        #expect(ScoringUnit.usual(forLanguage: nil) == .word)
    }

    @Test func theJournalRecordsTheNormalizer() {
        var configuration = PipelineConfiguration(input: .manifest(path: "/m.jsonl"), outputDirectory: "/out")
        #expect(configuration.checkpointConfiguration["normalization"] == "lowercase-punctuation")
        configuration.normalizer = StandardNormalizer.whisperEnglish
        #expect(configuration.checkpointConfiguration["normalization"] == "whisper-english")
    }
}
