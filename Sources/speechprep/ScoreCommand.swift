import ArgumentParser
import Foundation
import SpeechPrep

struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Word and character error rates of results, with the worst utterances.",
        discussion: """
            Text is lower-cased and stripped of punctuation first; corpus rates sum the errors
            over all utterances (as jiwer does).

            Examples:
              speechprep score out/demo/results.json
              speechprep score out/old-run/            # a folder of asr_3000.json, asr_6000.json, …
              speechprep score --ref refs.txt --hyp hyps.txt --json
            """)

    @Argument(help: "A results file ({idx: {ID, truth, asr}}) or a folder of asr_<n>.json chunks.")
    var results: String?

    @Option(help: "A text file of references, one per line (with --hyp).")
    var ref: String?

    @Option(help: "A text file of hypotheses, one per line (with --ref).")
    var hyp: String?

    @Option(help: "How many of the worst utterances to list.")
    var worst: Int = 5

    @Flag(help: "Print the report as JSON.")
    var json = false

    func run() throws {
        let report: TranscriptScoring.Report
        do {
            if let results {
                report = try TranscriptScoring.score(resultsFile: absolute(results), worstCount: worst)
            } else if let ref, let hyp {
                let references = try lines(ref), hypotheses = try lines(hyp)
                guard references.count == hypotheses.count else {
                    throw ValidationError("\(ref) has \(references.count) lines but \(hyp) has \(hypotheses.count)")
                }
                report = TranscriptScoring.score(
                    ids: references.indices.map { String($0 + 1) }, references: references, hypotheses: hypotheses,
                    worstCount: worst)
            } else {
                throw ValidationError("give a results file, or --ref and --hyp")
            }
        } catch let error as PipelineError {
            throw fail(error)
        }
        if json { return try printJSON(report) }
        print(String(format: "WER %.2f%%  CER %.2f%%  (%d utterances, %d reference words)",
            report.wer * 100, report.cer * 100, report.utteranceCount, report.referenceWords))
        for utterance in report.worst where utterance.wer > 0 {
            print(String(format: "%6.1f%%  %@", utterance.wer * 100, utterance.id))
            print("        ref: \(utterance.reference)")
            print("        hyp: \(utterance.hypothesis)")
        }
    }

    private func lines(_ path: String) throws -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("\(path): cannot be read")
        }
        return String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init).dropLast(while: \.isEmpty)
    }
}

extension Array where Element == String {
    fileprivate func dropLast(while predicate: (String) -> Bool) -> [String] {
        var copy = self
        while let last = copy.last, predicate(last) { copy.removeLast() }
        return copy
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

    @Flag(help: "Print the report as JSON.")
    var json = false

    func run() throws {
        let report: ShardMerger.Report
        do {
            report = try ShardMerger.merge(
                directories: directories.map(absolute), into: absolute(out ?? directories[0]), verify: verify)
        } catch {
            throw fail(error)
        }
        if json { return try printJSON(report) }
        print("merged \(report.shardsFound.count) of \(report.shardCount) shards, \(report.recordCount) records")
        for output in report.outputs { print("wrote \(output)") }
    }
}
