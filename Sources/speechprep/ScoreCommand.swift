import ArgumentParser
import Foundation
import SpeechPrep

struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Word and character error rates of results, with the worst utterances.",
        discussion: """
            Both texts are normalised first (--normalizer, default lowercase-punctuation; the
            report names it), then scored as jiwer.wer and jiwer.cer score by default; corpus
            rates sum the errors over all utterances. Chinese, Cantonese and Japanese
            (--language zh-*, yue, ja) are scored in characters with white space ignored.

            Examples:
              speechprep score out/demo/results.json
              speechprep score out/old-run/            # a folder of asr_3000.json, asr_6000.json, …
              speechprep score --ref refs.txt --hyp hyps.txt --json
              speechprep score out/demo/results.json --normalizer whisper-english
              speechprep score out/yue/results.json --language yue
            """)

    @Argument(help: "A results file ({idx: {ID, truth, asr}}) or a folder of asr_<n>.json chunks.")
    var results: String?

    @Option(help: "A text file of references, one per line (with --hyp).")
    var ref: String?

    @Option(help: "A text file of hypotheses, one per line (with --ref).")
    var hyp: String?

    @Option(help: "How many of the worst utterances to list.")
    var worst: Int = 5

    @OptionGroup var scoring: ScoringOptions

    @OptionGroup var scoringLanguage: ScoringLanguageOption

    @Flag(help: "Print the report as JSON.")
    var json = false

    func validate() throws {
        guard results != nil || (ref != nil && hyp != nil) else {
            throw ValidationError("give a results file, or --ref and --hyp")
        }
    }

    func run() throws {
        let report: TranscriptScoring.Report
        do {
            if let results {
                report = try TranscriptScoring.score(
                    resultsFile: absolute(results), normalizer: scoring.normalizer, language: scoringLanguage.language,
                    worstCount: worst)
            } else {
                report = try TranscriptScoring.score(
                    referencesFile: ref ?? "", hypothesesFile: hyp ?? "",
                    normalizer: scoring.normalizer, language: scoringLanguage.language, worstCount: worst)
            }
        } catch {
            throw fail(error)
        }
        if json { return try printJSON(report) }
        printScore(report)
        for utterance in report.worst where utterance.errorRate > 0 {
            print(String(format: "%6.1f%%  %@", utterance.errorRate * 100, utterance.id))
            print("        ref: \(utterance.reference)")
            print("        hyp: \(utterance.hypothesis)")
        }
    }
}

/// `--normalizer`, shared by `score`, `transcribe` and `merge`.
struct ScoringOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "How references and hypotheses are normalised before scoring: whisper-english, whisper-basic (openai-whisper's, as the Open ASR Leaderboard), lowercase-punctuation, or jiwer-default (jiwer.wer/jiwer.cer as they are). Recorded in the journal.",
        valueName: "name"))
    var normalizer: StandardNormalizer = .lowercasePunctuation
}

/// `--language` for `score` and `merge` (`transcribe` has the engine's own `--language`).
struct ScoringLanguageOption: ParsableArguments {
    @Option(help: "The utterances' language when the results do not say (zh-*, yue and ja are scored in characters, white space ignored).")
    var language: String?
}

/// Prints a score's summary lines: WER and CER with the normaliser, plus the character rate
/// when some utterances are in a language scored in characters.
func printScore(_ report: TranscriptScoring.Report) {
    print(String(format: "WER %.2f%%  CER %.2f%%  (%d utterances, %d reference words; normalizer %@)",
        report.wer * 100, report.cer * 100, report.utteranceCount, report.referenceWords, report.normalizer))
    for score in report.byUnit where score.unit != .word {
        print(String(format: "CER %.2f%% in characters, white space ignored (%d zh/yue/ja utterances, %d characters)",
            score.errorRate * 100, score.utteranceCount, score.referenceTokens))
    }
}

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join the part-k-of-N outputs of sharded runs into one run's final files.",
        discussion: """
            Reads part-k-of-N.jsonl and part-k-of-N.done from the folders given and writes
            results.json, manifest.jsonl and failures.jsonl, byte-identical to one unsharded run.

            Examples:
              speechprep merge out/shared --verify
              speechprep merge out/node0 out/node1 out/node2 out/node3 --out out/all --verify
            """)

    @Argument(help: "Folders holding shard outputs.")
    var directories: [String]

    @Option(name: [.customShort("o"), .long], help: "Where to write the merged files (default: the first folder).")
    var out: String?

    @Flag(help: "Refuse to merge unless every shard 0..N-1 is present and complete.")
    var verify = false

    @OptionGroup var scoring: ScoringOptions

    @OptionGroup var scoringLanguage: ScoringLanguageOption

    @Flag(help: "Print the report as JSON.")
    var json = false

    func run() throws {
        let report: ShardMerger.Report
        do {
            // The WER: the sum of the shards' marker scores, or scored while the records are written (no read-back).
            report = try ShardMerger.merge(
                directories: directories.map(absolute), into: absolute(out ?? directories[0]), verify: verify,
                scoring: json ? nil : ShardMerger.Scoring(normalizer: scoring.normalizer, language: scoringLanguage.language))
        } catch {
            throw fail(error)
        }
        if json { return try printJSON(report) }
        print("merged \(report.shardsFound.count) of \(report.shardCount) shards, \(report.recordCount) records")
        for output in report.outputs { print("wrote \(output)") }
        if let score = report.score, score.utteranceCount > 0 { printScore(score) }
    }
}
