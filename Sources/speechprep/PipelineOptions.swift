import ArgumentParser
import Foundation
import SpeechPrep
import SystemSupport

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

    @Option(help: "Resampler quality: quick, medium, high, veryHigh.")
    var quality: String = "high"

    @Option(help: "Worker threads, each with its own recogniser (default: the number of cores).")
    var workers: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Stop after this many items.")
    var limit: Int?

    @Option(name: .customLong("language-limit"), help: ArgumentHelp(
        "Per-language item limit: a number (the default for every language) or LANG=N|none. Repeatable. Default: 8000, none for yue and zh-HK.",
        valueName: "limit"))
    var languageLimits: [String] = []

    @Flag(name: .customLong("no-language-limit"), help: "Take every item of every language.")
    var noLanguageLimit = false

    @Option(help: "Process only shard k of N (k/N, by a stable hash of the id). Default: from SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT or JOB_COMPLETION_INDEX.")
    var shard: String?

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
        guard let quality = Resampler.Quality(name: quality) else {
            throw ValidationError("--quality must be quick, medium, high or veryHigh")
        }
        configuration.resampleQuality = quality
        configuration.workerCount = workers
        configuration.limit = limit
        configuration.languageLimits = try languagePolicy()
        configuration.shard = try shard.map { try Shard(parsing: $0) }
            ?? Shard.fromEnvironment(ProcessInfo.processInfo.environment, countHint: shardCount)
        configuration.chunkFileInterval = chunkEvery
        configuration.strict = strict
        configuration.fresh = fresh
        return configuration
    }

    private func languagePolicy() throws -> LanguageLimitPolicy {
        if noLanguageLimit { return .unlimited }
        var policy = LanguageLimitPolicy.commonVoiceDefault
        for item in languageLimits {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            let value = parts.last!
            let limit: Int?? = value == "none" ? .some(nil) : Int(value).map { .some($0) }
            guard let limit else { throw ValidationError("--language-limit \(item): expected N, none, LANG=N or LANG=none") }
            if parts.count == 2 { policy.overrides[parts[0]] = limit } else { policy.defaultLimit = limit }
        }
        return policy
    }
}

extension Resampler.Quality {
    init?(name: String) {
        switch name {
        case "quick": self = .quick
        case "medium": self = .medium
        case "high": self = .high
        case "veryHigh", "very-high", "vhq": self = .veryHigh
        default: return nil
        }
    }
}

/// An absolute form of a path, so a detached job and its records do not depend on the folder
/// `speechprep` was started in.
func absolute(_ path: String) -> String {
    path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
}

/// Runs a configured pipeline the way every pipeline subcommand does: detach if asked, stop
/// cleanly on SIGTERM/SIGINT, show progress, print the summary, map the outcome to an exit code.
func runPipeline(_ configuration: PipelineConfiguration, options: PipelineOptions) async throws {
    if options.detach {
        let arguments = Array(CommandLine.arguments.dropFirst()).filter { $0 != "--detach" }
        let record: Job.Record
        do {
            record = try Job.start(
                executable: Job.currentExecutablePath(), arguments: arguments,
                outputDirectory: configuration.outputDirectory, journal: configuration.journalPath,
                shard: configuration.shard)
        } catch { throw fail(error) }
        if options.json { try printJSON(record) } else {
            print("started \(record.id) (pid \(record.pid)); log: \(record.log)")
            print("see it with `speechprep jobs`, stop it with `speechprep stop \(record.id)`")
        }
        return
    }
    let environment = ProcessInfo.processInfo.environment
    let jobID = environment[Job.idEnvironmentKey]
    let pipeline = Pipeline(configuration)
    let signals = SignalForwarder(signals: [SIGTERM, SIGINT]) { pipeline.requestStop() }
    defer { signals.cancel() }
    let reporter = ProgressReporter(
        interval: options.progressEvery, quiet: options.quiet || options.json,
        jobOutputDirectory: jobID == nil ? nil : configuration.outputDirectory,
        shard: configuration.shard.map { ($0, configuration.outputDirectory) })
    let summary: PipelineSummary
    do {
        summary = try await pipeline.run { reporter.report($0) }
        reporter.finish()
    } catch {
        reporter.finish()
        if jobID != nil {
            let code = ExitCodes.code(for: error).rawValue
            try? Job.recordExit(
                Job.Exit(state: .failed, exitCode: code, ended: Date(), message: error.description),
                outputDirectory: configuration.outputDirectory)
        }
        throw fail(error)
    }
    if jobID != nil {
        let exit = summary.interrupted
            ? Job.Exit(state: .stopped, exitCode: ExitCodes.interrupted.rawValue, ended: Date())
            : Job.Exit(state: .finished, exitCode: 0, ended: Date())
        try? Job.recordExit(exit, outputDirectory: configuration.outputDirectory)
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

/// Turns SIGTERM/SIGINT into a call (on a dispatch queue, not in a signal handler). A second
/// signal ends the process at once (exit 4): the journal is append-only, so even that loses at
/// most the items in hand.
final class SignalForwarder {
    private let sources: [any DispatchSourceSignal]

    init(signals: [Int32], action: @escaping @Sendable () -> Void) {
        let received = Locked(0)
        sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if received.withLock({ count in count += 1; return count }) > 1 {
                    printError("stopping now (second signal); rerun the same command to resume")
                    exit(ExitCodes.interrupted.rawValue)
                }
                printError("stopping: finishing the items in hand (signal \(number)); send it again to stop at once")
                action()
            }
            source.resume()
            return source
        }
    }

    func cancel() { sources.forEach { $0.cancel() } }
}
