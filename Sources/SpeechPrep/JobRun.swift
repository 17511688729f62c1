public import Foundation
import SystemSupport

// The job's life in its own process: how it starts detached, what it records as it runs, how
// it stops on a signal and what it records when it ends. The CLI only parses and prints.

extension Job {
    /// The process exit statuses of a run, as `speechprep` documents them (Docs/CLI.md) and
    /// ``Job/Exit`` records them.
    public enum ExitStatus {
        /// The run finished (failed items are recorded in `failures.jsonl`, not an error).
        public static let success: Int32 = 0
        /// Any other error: unreadable input, I/O, settings that differ from the journal, …
        public static let failure: Int32 = 1
        /// An item failed under `strict`.
        public static let itemFailed: Int32 = 3
        /// Stopped by SIGTERM/SIGINT before the end; rerunning resumes.
        public static let interrupted: Int32 = 4
        /// Stopped by the environment (disk full, read-only file system, no descriptors).
        public static let environmentFault: Int32 = 5
        /// Another run holds the output folder.
        public static let outputFolderBusy: Int32 = 6

        /// The exit status of a run that ended with `error`.
        /// - Parameter error: The run's error.
        /// - Returns: ``itemFailed``, ``environmentFault``, ``outputFolderBusy`` or ``failure``.
        public static func of(_ error: PipelineError) -> Int32 {
            switch error.code {
            case .itemFailed: itemFailed
            case .environmentFault: environmentFault
            case .outputFolderBusy: outputFolderBusy
            default: failure
            }
        }

        /// The exit status of a run that returned `summary`.
        /// - Parameter summary: What the run did.
        /// - Returns: ``interrupted`` when it was stopped before the end, else ``success``.
        public static func of(_ summary: PipelineSummary) -> Int32 {
            summary.interrupted ? interrupted : success
        }
    }

    /// The flag that asks `speechprep` to detach.
    public static let detachFlag = "--detach"

    /// The command line a detached job runs: `arguments` without the flag that asked to detach.
    ///
    /// The arguments are read as swift-argument-parser reads them, not filtered as strings:
    /// `--` ends the options, so what follows it is kept even when it is spelled like the flag
    /// (an input folder named `--detach`); `--name=value` is one argument, so
    /// `--command=--detach` is a value and stays; and an option's separate value is never
    /// taken from an argument that reads as an option, so every other `flag` is the flag.
    /// - Parameters:
    ///   - arguments: The arguments after the executable, as the user gave them.
    ///   - flag: The flag to drop.
    /// - Returns: The arguments the job runs with.
    public static func arguments(detaching arguments: [String], flag: String = detachFlag) -> [String] {
        let end = arguments.firstIndex(of: "--") ?? arguments.endIndex
        return arguments[..<end].filter { $0 != flag } + arguments[end...]
    }

    /// Starts the run `configuration` describes as a detached job: this executable again, with
    /// `arguments` less ``detachFlag`` (see ``arguments(detaching:flag:)``).
    /// - Parameters:
    ///   - arguments: This process's arguments after the executable, flag included.
    ///   - configuration: The run's configuration (its output folder, journal and shard).
    ///   - executable: The program to run (default: this one).
    ///   - environment: The environment; the job also gets ``idEnvironmentKey``.
    /// - Returns: The job's record, already written to `job.json` and the registry.
    /// - Throws: As ``start(executable:arguments:outputDirectory:journal:shard:environment:)``.
    public static func start(
        arguments: [String], configuration: PipelineConfiguration, executable: String = currentExecutablePath(),
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(PipelineError) -> Record {
        try start(
            executable: executable, arguments: Self.arguments(detaching: arguments),
            outputDirectory: configuration.outputDirectory, journal: configuration.journalPath,
            shard: configuration.shard, environment: environment)
    }

    /// Waits until a job's process has exited (a stopped job finishes the items in hand first).
    /// - Parameter record: The job.
    /// - Returns: Its status then.
    @discardableResult
    public static func waitUntilEnded(_ record: Record) -> Status {
        while runningProcess(record) != nil { usleep(100_000) }
        return status(of: record)
    }

    /// Runs `configuration` in this process, as a job: the whole life a detached job and a
    /// foreground run share.
    ///
    /// - SIGTERM and SIGINT ask the pipeline to stop (``Pipeline/requestStop()``): it finishes
    ///   the items in hand and returns an interrupted summary. A second signal ends the process
    ///   at once with ``ExitStatus/interrupted``; the append-only journal loses at most the
    ///   items in hand.
    /// - A detached job (``idEnvironmentKey`` set) writes `progress.json` about once a second
    ///   and `job.exit.json` when it ends; a shard writes its ``ShardProgress``.
    /// - Parameters:
    ///   - configuration: The run.
    ///   - environment: The process environment (the job id, the scheduler's ids).
    ///   - progress: Called after every finished item (from the collecting thread), for display.
    ///   - notice: Called with a line for the user when a signal arrives.
    /// - Returns: What the run did; check ``PipelineSummary/interrupted``.
    /// - Throws: ``PipelineError`` as ``Pipeline/run(progress:)``.
    public static func run(
        _ configuration: PipelineConfiguration,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        progress: @escaping @Sendable (ProgressEvent) -> Void = { _ in },
        notice: @escaping @Sendable (String) -> Void = { _ in }
    ) async throws(PipelineError) -> PipelineSummary {
        let isJob = environment[idEnvironmentKey] != nil
        let pipeline = Pipeline(configuration)
        let signals = StopSignals([SIGTERM, SIGINT], notice: notice) { pipeline.requestStop() }
        defer { signals.cancel() }
        let recorder = ProgressRecorder(configuration, isJob: isJob, environment: environment)
        do {
            let summary = try await pipeline.run { event in
                recorder.record(event)
                progress(event)
            }
            if isJob {
                let exit = Exit(state: summary.interrupted ? .stopped : .finished, exitCode: ExitStatus.of(summary))
                try? recordExit(exit, outputDirectory: configuration.outputDirectory)
            }
            return summary
        } catch {
            if isJob {
                let exit = Exit(state: .failed, exitCode: ExitStatus.of(error), message: error.description)
                try? recordExit(exit, outputDirectory: configuration.outputDirectory)
            }
            throw error
        }
    }
}

/// Writes a run's progress for `speechprep jobs` — `progress.json` of a detached job, the
/// ``ShardProgress`` of a shard — at most once a second, and the last event always.
final class ProgressRecorder: Sendable {
    private let jobOutputDirectory: String?
    private let shard: Shard?
    private let outputDirectory: String
    private let environment: [String: String]
    private let lastRecord = Locked(Date.distantPast)

    init(_ configuration: PipelineConfiguration, isJob: Bool, environment: [String: String]) {
        outputDirectory = configuration.outputDirectory
        jobOutputDirectory = isJob ? configuration.outputDirectory : nil
        shard = configuration.shard
        self.environment = environment
    }

    func record(_ event: ProgressEvent) {
        guard jobOutputDirectory != nil || shard != nil else { return }
        let now = Date()
        let due = lastRecord.withLock { last in
            guard now.timeIntervalSince(last) >= 1 || event.done == event.total else { return false }
            last = now
            return true
        }
        guard due else { return }
        if let jobOutputDirectory { Job.recordProgress(event, outputDirectory: jobOutputDirectory) }
        if let shard {
            ShardProgress.record(event, shard: shard, outputDirectory: outputDirectory, environment: environment)
        }
    }
}

/// Turns stop signals into a call (on a dispatch queue, not in a signal handler). A second
/// signal ends the process at once with ``Job/ExitStatus/interrupted``. Cancelling gives the
/// signals back the handlers they had.
final class StopSignals {
    private let sources: [any DispatchSourceSignal]
    private let previous: [(number: Int32, handler: sighandler_t?)]

    init(_ signals: [Int32], notice: @escaping @Sendable (String) -> Void, action: @escaping @Sendable () -> Void) {
        let received = Locked(0)
        previous = signals.map { ($0, signal($0, SIG_IGN)) }
        sources = signals.map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if received.withLock({ count in count += 1; return count }) > 1 {
                    notice("stopping now (second signal); rerun the same command to resume")
                    exit(Job.ExitStatus.interrupted)
                }
                notice("stopping: finishing the items in hand (signal \(number)); send it again to stop at once")
                action()
            }
            source.resume()
            return source
        }
    }

    func cancel() {
        sources.forEach { $0.cancel() }
        for (number, handler) in previous { signal(number, handler) }
    }
}
