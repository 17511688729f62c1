import Foundation
import SystemSupport

/// The main job: reads a dataset, converts every clip to the target format, optionally writes
/// it and runs a recogniser over it, and writes results that survive crashes.
///
/// Stages per item: decode → downmix → resample → (write WAV) → (transcribe) → a
/// `TranscriptRecord`. A reader thread feeds `workerCount` audio threads; with a recogniser,
/// `workerCount` recogniser threads each own one engine (so up to 2 × `workerCount` + 2
/// threads with the committing one). Bounded queues between the reader, the workers and the
/// journal keep memory flat. Every finished record is appended
/// to a `CheckpointJournal`; rerunning the same configuration skips finished ids, and the final
/// files are written from the journal in input order, so they are byte-identical whether or not
/// the run was interrupted. A rerun that finds every item journaled starts no thread and no
/// recogniser: it only writes the final files.
///
/// ```swift
/// var configuration = PipelineConfiguration(
///     input: .commonVoice(path: "cv/en", split: "dev"), outputDirectory: "out")
/// configuration.transcriber = PocketSphinxFactory()
/// let summary = try await Pipeline(configuration).run { print($0.done, "/", $0.total) }
/// ```
public final class Pipeline: Sendable {
    /// The run's settings.
    public let configuration: PipelineConfiguration
    /// Finished items made durable and journaled together (at least once a second).
    static let commitBatch = 64
    private let control = Locked<RunControl>(RunControl())

    private struct RunControl {
        var stopRequested = false
        /// The running stages, whose inputs a stop closes.
        var threads: StageThreads?
    }

    /// Creates a pipeline.
    /// - Parameter configuration: The run's settings.
    public init(_ configuration: PipelineConfiguration) {
        self.configuration = configuration
    }

    /// Asks a running pipeline to stop: items being processed finish and are journaled, no new
    /// ones start, and ``run(progress:)`` returns a summary marked interrupted. Safe to call
    /// from a signal handler's dispatch source or any thread.
    public func requestStop() {
        let threads = control.withLock { state in
            state.stopRequested = true
            return state.threads
        }
        threads?.closeInputs()
    }

    /// Whether ``requestStop()`` was called.
    public var isStopRequested: Bool { control.withLock { $0.stopRequested } }

    /// Runs the pipeline on its own threads and waits for it.
    ///
    /// Cancelling the task that awaits this call is ``requestStop()``: the items in hand
    /// finish and are journaled, no new ones start, and the summary comes back marked
    /// ``PipelineSummary/interrupted`` (within about one clip's processing time).
    /// - Parameter progress: Called after every finished item (from the collecting thread).
    /// - Returns: What the run did; check ``PipelineSummary/interrupted``.
    /// - Throws: ``PipelineError`` when the input cannot be read, the journal was made with a
    ///   different configuration, the recogniser cannot start, an output cannot be written, or
    ///   (with `strict`) an item failed.
    public func run(
        progress: @escaping @Sendable (ProgressEvent) -> Void = { _ in }
    ) async throws(PipelineError) -> PipelineSummary {
        let result: Result<PipelineSummary, PipelineError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let thread = Thread { [self] in
                    do throws(PipelineError) {
                        continuation.resume(returning: .success(try runBlocking(progress: progress)))
                    } catch {
                        continuation.resume(returning: .failure(error))
                    }
                }
                thread.stackSize = 8 << 20
                thread.start()
            }
        } onCancel: {
            requestStop()
        }
        return try result.get()
    }

    /// Runs the pipeline on the calling thread (plus its worker threads) and waits for it.
    ///
    /// The run holds its output folder (``OutputFolderLock``) until it returns. A fault of the
    /// environment — a full disk, a read-only or failing file system, no file descriptors
    /// left — stops it cleanly with `PipelineError.Code.environmentFault`: the items in hand
    /// finish or are dropped, none is recorded as failed because of it, and rerunning resumes.
    /// - Parameter progress: Called after every finished item.
    /// - Returns: What the run did.
    /// - Throws: ``PipelineError``, as ``run(progress:)``, and
    ///   `PipelineError.Code.outputFolderBusy` when another run holds the output folder.
    public func runBlocking(
        progress: (ProgressEvent) -> Void = { _ in }
    ) throws(PipelineError) -> PipelineSummary {
        do {
            try createDirectory(configuration.outputDirectory)
            let lock = try OutputFolderLock(directory: configuration.outputDirectory, shard: configuration.shard)
            defer { withExtendedLifetime(lock) {} }
            return try runStages(progress: progress)
        } catch {
            throw EnvironmentFault.classify(error, outputDirectory: configuration.outputDirectory) ?? error
        }
    }

    /// The run itself, once the output folder is held. The stages, each in its own type under
    /// `PipelineStages/`: the census of the input (``takeCensus(journal:)``, which also clears
    /// a killed run's temporary files); when anything is left to do, the reader
    /// (``ReaderStage``), convert and recognise (``ItemProcessor``) on the threads
    /// ``StageThreads`` starts, and commit (``CommitStage``: group commit to the journal,
    /// counts, progress) on this one; then the output stage (``writeOutputs(from:)``).
    private func runStages(progress: (ProgressEvent) -> Void) throws(PipelineError) -> PipelineSummary {
        let started = Date()
        let config = configuration
        guard config.workerCount >= 1 else {
            throw PipelineError(.invalidConfiguration, subject: "workers", "at least one worker is needed")
        }
        if config.writeAudio { try createDirectory("\(config.outputDirectory)/wavs") }
        if config.fresh { try? FileManager.default.removeItem(atPath: config.journalPath) }
        let journal = try openJournal()
        let census = try takeCensus(journal: journal)
        var commits = CommitStage(configuration: config, journal: journal, census: census, started: started)
        // A resume with nothing left starts no thread, so no recogniser (or engine worker
        // process, seconds of model loading each) is made only to find the queue empty.
        if census.remaining > 0 { try runThreads(journal: journal, committingTo: &commits, progress: progress) }

        let interrupted = census.resumed + commits.processed < census.total
        if config.strict, !interrupted, commits.failed > 0 {
            // Failures journaled by an earlier run count too: a strict run never ends "done"
            // with failed items in its outputs.
            throw PipelineError(
                .itemFailed, subject: config.journalPath, "\(commits.failed) item(s) failed and the run is strict")
        }
        let outputs = try interrupted ? [] : writeOutputs(from: journal)
        return commits.summary(interrupted: interrupted, outputs: outputs)
    }

    /// Starts the reader, audio and recogniser threads, and runs the commit stage on this
    /// thread until every worker has exited.
    private func runThreads(
        journal: CheckpointJournal, committingTo commits: inout CommitStage, progress: (ProgressEvent) -> Void
    ) throws(PipelineError) {
        let threads = StageThreads(workerCount: configuration.workerCount)
        let stoppedEarly = control.withLock { state in
            state.threads = threads
            return state.stopRequested
        }
        defer { control.withLock { $0.threads = nil } }
        if stoppedEarly { threads.closeInputs() }
        threads.start(
            reader: ReaderStage(configuration: configuration, journal: journal),
            items: ItemProcessor(configuration: configuration), shouldStop: { [self] in isStopRequested })
        commits.drain(threads.results, workerCount: configuration.workerCount, stop: requestStop, progress: progress)
        try commits.commit()
        if let fatal = commits.fatal { throw fatal }
        if let error = threads.readerError { throw error }
    }

    // MARK: - Steps

    private func openJournal() throws(PipelineError) -> CheckpointJournal {
        do {
            return try CheckpointJournal(
                path: configuration.journalPath, configuration: configuration.checkpointConfiguration)
        } catch where error.code == .configurationMismatch {
            throw PipelineError(
                .configurationMismatch, subject: configuration.journalPath,
                "was written by a run with different settings (\(error.message)); "
                    + "rerun with --fresh to start over, or use another output folder")
        } catch {
            throw PipelineError.wrapping(.outputFailed, error, subject: configuration.journalPath)
        }
    }

    private func createDirectory(_ path: String) throws(PipelineError) {
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw PipelineError.wrapping(.outputFailed, error, subject: path)
        }
    }
}
