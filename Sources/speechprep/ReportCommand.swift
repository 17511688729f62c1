import ArgumentParser
import Foundation
import SpeechPrep

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Error analysis of a run, or a comparison of two: WER by slice with bootstrap intervals.",
        discussion: """
            One run: corpus WER/CER/MER with 95 % bootstrap intervals, WER by metadata slice
            (from the run's metadata.jsonl) and by duration, the most frequent substitutions,
            deletions and insertions, and the worst utterances with their alignments.
            Two runs: on the utterances they share, the WER change per slice with its paired
            bootstrap interval, the probability that B is better, and the utterances that
            changed most in each direction.

            Examples:
              speechprep report out/demo
              speechprep report out/demo --html out/demo/report.html --by gender,age,duration
              speechprep report out/pocketsphinx out/whisper --html compare.html
              speechprep report out/demo --json > report.json
            """)

    @Argument(help: "A run's output folder, or two to compare (A then B).")
    var runs: [String]

    @Option(help: "Also write the report as one self-contained HTML file.")
    var html: String?

    @Flag(help: "Print the report as JSON (every utterance's score included) instead of the summary.")
    var json = false

    @Option(help: "Metadata columns to slice by, comma-separated; 'duration' for duration buckets.")
    var by = "gender,age,accents,duration,speaker"

    @OptionGroup var scoring: ScoringOptions

    @Option(help: "How many worst (or most changed) utterances to list in detail.")
    var worst = 25

    @Option(name: .customLong("min-slice"), help: "Slices with fewer utterances are marked small and get no interval.")
    var minSlice = 20

    @Option(help: "Bootstrap resamples.")
    var resamples = 1000

    @Option(help: "Seed of the resampling (SplitMix64), for reproducible intervals.")
    var seed: UInt64 = 20_261_206

    func validate() throws {
        guard (1...2).contains(runs.count) else { throw ValidationError("give one run folder, or two to compare") }
    }

    func run() throws {
        var options = ReportOptions()
        options.slicing = by.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        options.normalizer = scoring.normalizer
        options.worstCount = worst
        options.minimumSliceSize = minSlice
        options.resamples = resamples
        options.seed = seed
        let htmlDirectory = html.map { (absolute($0) as NSString).deletingLastPathComponent }
        do {
            let first = try RunResults(directory: runs[0])
            let page: String, summary: String
            if runs.count == 2 {
                let comparison = try Comparison(first, try RunResults(directory: runs[1]), options: options)
                if json { try printJSON(comparison) }
                page = html == nil ? "" : comparison.html(htmlDirectory: htmlDirectory)
                summary = comparison.summary
            } else {
                let report = try Report(run: first, options: options)
                if json { try printJSON(report) }
                page = html == nil ? "" : report.html(htmlDirectory: htmlDirectory)
                summary = report.summary
            }
            if !json { print(summary, terminator: "") }
            if let html {
                do { try AtomicFile.write(Data(page.utf8), to: absolute(html)) } catch {
                    throw ReportingError(.outputFailed, subject: html, "cannot be written: \(error)")
                }
                if !json { print("\nwrote \(html)") }
            }
        } catch {
            throw fail(error)
        }
    }
}
