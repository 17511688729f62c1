import ArgumentParser
import Foundation
import SpeechPrep

/// Options shared by `prepare` and `transcribe`.
struct PipelineOptions: ParsableArguments {
    @Argument(help: "A manifest (legacy JSON, NeMo JSONL, Kaldi folder), a Common Voice release folder (with clips/), or a folder of audio files.")
    var input: String

    @Option(help: "The Common Voice split to read (validated, dev, test, train, …).")
    var split: String = "validated"

    @Option(name: [.customShort("o"), .long], help: "The output folder (journal, WAVs, results).")
    var out: String

    @Option(help: "Target sample rate in Hz.")
    var rate: Double = 16_000

    @Option(help: "Resampler quality.")
    var quality: Resampler.Quality = .high

    @Option(help: "Worker threads, each with its own recogniser (default: the number of cores).")
    var workers: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Stop after this many items.")
    var limit: Int?

    @Option(name: .customLong("language-limit"), help: ArgumentHelp(
        "Per-language item limit: a number (the default for every language) or LANG=N|none. Repeatable. Default: 8000, none for yue and zh-HK.",
        valueName: "limit"), transform: { try LanguageLimitPolicy.Rule(parsing: $0) })
    var languageLimits: [LanguageLimitPolicy.Rule] = []

    @Flag(name: .customLong("no-language-limit"), help: "Take every item of every language.")
    var noLanguageLimit = false

    @Option(
        help: "Process only shard k of N (k/N, by a stable hash of the id). Default: from SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT or JOB_COMPLETION_INDEX.",
        transform: { try Shard(parsing: $0) })
    var shard: Shard?

    @Option(name: .customLong("shard-count"), help: "The shard count when the scheduler gives only an index (Kubernetes Indexed Jobs).")
    var shardCount: Int?

    @Option(name: .customLong("chunk-every"), help: "Also write the old workflow's chunk files asr_<n>.json every N items.")
    var chunkEvery: Int?

    @Flag(help: "Stop with exit code 3 at the first failed item instead of recording it and going on.")
    var strict = false

    @Flag(help: "Discard the journal in the output folder instead of resuming from it.")
    var fresh = false

    @Flag(help: "Run in the background in a new session; `speechprep jobs` shows it, `speechprep stop` ends it.")
    var detach = false

    @Option(name: .customLong("progress-every"), help: "Without a terminal, print one progress line every N items.")
    var progressEvery: Int = 200

    @Flag(help: "Print the summary as JSON.")
    var json = false

    @Flag(name: .shortAndLong, help: "No progress output.")
    var quiet = false

    /// The library configuration these options describe.
    func configuration() throws -> PipelineConfiguration {
        let outputDirectory = absolute(out)
        var configuration = PipelineConfiguration(
            input: try PipelineInput.detect(absolute(input), split: split), outputDirectory: outputDirectory)
        configuration.targetSampleRate = rate
        configuration.resampleQuality = quality
        configuration.workerCount = workers
        configuration.limit = limit
        configuration.languageLimits = noLanguageLimit ? .unlimited : LanguageLimitPolicy(languageLimits)
        configuration.shard = try shard ?? Shard.fromEnvironment(ProcessInfo.processInfo.environment, countHint: shardCount)
        configuration.chunkFileInterval = chunkEvery
        configuration.strict = strict
        configuration.fresh = fresh
        return configuration
    }
}

/// An absolute form of a path, so a detached job and its records do not depend on the folder
/// `speechprep` was started in.
func absolute(_ path: String) -> String {
    path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
}

/// Runs a configured pipeline the way every pipeline subcommand does — in the background
/// (`--detach`) or here as a job (`Job.run`: stops cleanly on SIGTERM/SIGINT, records progress
/// and exit) — shows progress, prints the summary and maps the outcome to an exit code.
func runPipeline(_ configuration: PipelineConfiguration, options: PipelineOptions) async throws {
    if options.detach {
        let record: Job.Record
        do {
            record = try Job.start(arguments: Array(CommandLine.arguments.dropFirst()), configuration: configuration)
        } catch { throw fail(error) }
        if options.json { try printJSON(record) } else {
            print("started \(record.id) (pid \(record.pid)); log: \(record.log)")
            print("see it with `speechprep jobs`, stop it with `speechprep stop \(record.id)`")
        }
        return
    }
    let reporter = ProgressReporter(interval: options.progressEvery, quiet: options.quiet || options.json)
    let summary: PipelineSummary
    do {
        summary = try await Job.run(configuration, progress: reporter.report, notice: printError)
        reporter.finish()
    } catch {
        reporter.finish()
        throw fail(error)
    }
    if options.json { try printJSON(summary) } else { printSummary(summary) }
    if summary.interrupted { throw ExitCodes.interrupted }
}

private func printSummary(_ summary: PipelineSummary) {
    let realtime = summary.wallSeconds > 0 ? summary.audioSeconds / summary.wallSeconds : 0
    print(
        "\(summary.interrupted ? "stopped" : "done"): \(summary.processed + summary.resumed)/\(summary.total) items"
            + " (\(summary.processed) now, \(summary.resumed) resumed), \(summary.failed) failed,"
            + String(format: " %.1f s audio in %.1f s (%.1fx realtime)", summary.audioSeconds, summary.wallSeconds, realtime))
    if summary.interrupted {
        print("rerun the same command to resume")
    }
    for output in summary.outputs { print("wrote \(output)") }
}
