import Foundation
import SystemSupport

/// The main job: reads a dataset, converts every clip to the target format, optionally writes
/// it and runs a recogniser over it, and writes results that survive crashes.
///
/// Stages per item: decode → downmix → resample → (write WAV) → (transcribe) → a
/// `TranscriptRecord`. A reader thread feeds `workerCount` audio threads; with a recogniser,
/// `workerCount` recogniser threads each own one engine (so up to 2 × `workerCount` + 2
/// threads with the collector). Bounded queues between the reader, the workers and the
/// journal keep memory flat. Every finished record is appended
/// to a `CheckpointJournal`; rerunning the same configuration skips finished ids, and the final
/// files are written from the journal in input order, so they are byte-identical whether or not
/// the run was interrupted.
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
        var work: BlockingQueue<SelectedItem>?
        var decoded: BlockingQueue<DecodedItem>?
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
        let queues = control.withLock { state in
            state.stopRequested = true
            return (state.work, state.decoded)
        }
        queues.0?.close()
        queues.1?.close()
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
    /// left — stops it cleanly with ``PipelineError/Code/environmentFault``: the items in hand
    /// finish or are dropped, none is recorded as failed because of it, and rerunning resumes.
    /// - Parameter progress: Called after every finished item.
    /// - Returns: What the run did.
    /// - Throws: ``PipelineError``, as ``run(progress:)``, and
    ///   ``PipelineError/Code/outputFolderBusy`` when another run holds the output folder.
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

    /// The run itself, once the output folder is held.
    private func runStages(progress: (ProgressEvent) -> Void) throws(PipelineError) -> PipelineSummary {
        let started = Date()
        let config = configuration
        guard config.workerCount >= 1 else {
            throw PipelineError(.invalidConfiguration, subject: "workers", "at least one worker is needed")
        }
        if config.writeAudio { try createDirectory("\(config.outputDirectory)/wavs") }
        if config.fresh { try? FileManager.default.removeItem(atPath: config.journalPath) }
        let journal = try openJournal()

        // First pass: count the work, so progress has a total and an ETA, and find which
        // leftovers of a killed run (temporary WAVs) belong to this run's items.
        let selection = InputSelection(configuration: config)
        var total = 0
        var resumed = 0
        let wavs = "\(config.outputDirectory)/wavs"
        let audioLeftovers = config.writeAudio ? leftovers(in: wavs) : []
        let leftoverTargets = Set(audioLeftovers.map { "wavs/\($0.target)" })
        var ownedLeftovers = Set<String>()
        try selection.forEach { item throws(PipelineError) in
            total += 1
            if journal.contains(item.entry.id) { resumed += 1 }
            if !leftoverTargets.isEmpty {
                let path = PipelineConfiguration.convertedAudioPath(forID: item.entry.id)
                if leftoverTargets.contains(path) { ownedLeftovers.insert(path) }
            }
            return true
        }
        for leftover in audioLeftovers where ownedLeftovers.contains("wavs/\(leftover.target)") {
            try? FileManager.default.removeItem(atPath: "\(wavs)/\(leftover.name)")
        }
        for leftover in leftovers(in: config.outputDirectory) {
            let owned = if let shard = config.shard {
                leftover.target.hasPrefix(shard.partName + ".")
            } else {
                PipelineOutputs.finalNames.contains(leftover.target)
                    || (leftover.target.hasPrefix("asr_") && leftover.target.hasSuffix(".json"))
                    || leftover.target == "progress.json" || leftover.target == "job.exit.json"
            }
            if owned { try? FileManager.default.removeItem(atPath: "\(config.outputDirectory)/\(leftover.name)") }
        }

        // reader → work → audio threads → decoded → recogniser threads → results → collector
        let work = BlockingQueue<SelectedItem>(capacity: 2 * config.workerCount)
        let decoded = BlockingQueue<DecodedItem>(capacity: config.workerCount)
        // Results are small records. Room for two commit batches lets the workers go on while
        // the collector waits for a file-system flush, instead of stalling behind it.
        let results = BlockingQueue<WorkerMessage>(capacity: 4 * config.workerCount + 2 * Self.commitBatch)
        let stoppedEarly = control.withLock { state in
            state.work = work
            state.decoded = decoded
            return state.stopRequested
        }
        defer {
            control.withLock { state in
                state.work = nil
                state.decoded = nil
            }
        }
        if stoppedEarly {
            work.close()
            decoded.close()
        }

        let producerError = Locked<PipelineError?>(nil)
        startThread("speechprep-reader") {
            do throws(PipelineError) {
                // The selection holds each id once, so an id the journal has was finished
                // by an earlier run, never by this one before the reader reached it.
                if let archive = try ArchiveInput.open(config) {
                    try archive.stream(selection, isDone: journal.contains, into: work)
                } else {
                    try selection.forEach { item throws(PipelineError) in
                        if journal.contains(item.entry.id) { return true }
                        return work.push(item)
                    }
                }
            } catch {
                producerError.withLock { $0 = error }
            }
            work.close()
        }
        let stage = ItemProcessor(configuration: config)
        let audioThreadsLeft = Locked(config.workerCount)
        for number in 0..<config.workerCount {
            guard config.transcriber != nil else {
                // Plain conversion: outcomes go straight to the collector, with no recogniser
                // thread to pass through.
                startThread("speechprep-audio-\(number)") { [self] in
                    defer { results.push(.workerExited) }
                    stage.runAudioStage(work: work, shouldStop: { self.isStopRequested }) { item in
                        if let outcome = item.outcome { results.push(.finished(outcome)) }
                    }
                }
                continue
            }
            startThread("speechprep-audio-\(number)") { [self] in
                stage.runAudioStage(work: work, shouldStop: { self.isStopRequested }) { decoded.push($0) }
                if audioThreadsLeft.withLock({ left in left -= 1; return left == 0 }) { decoded.close() }
            }
            startThread("speechprep-recognizer-\(number)") { [self] in
                stage.runRecognizerStage(decoded: decoded, results: results, shouldStop: { self.isStopRequested })
            }
        }

        // Collect on this thread: the journal has exactly one writer. Converted WAVs are
        // written without fsync; records wait in `pending` until one file-system flush has
        // made every WAV they name durable, and only then reach the journal (group commit:
        // the journal never claims a file a power loss could take away).
        var processed = 0, failed = journal.failedCount
        var audioSeconds = 0.0, engineSeconds = 0.0
        var fatal: PipelineError?
        var exited = 0
        var pending: [TranscriptRecord] = []
        var lastCommit = Date()
        func commit() throws(PipelineError) {
            guard !pending.isEmpty else { return }
            do {
                if config.writeAudio {
                    try OutputDurability.synchronizeFileSystem(containing: "\(config.outputDirectory)/wavs")
                }
                for record in pending { try journal.append(record) }
                try journal.sync()
            } catch {
                throw PipelineError.wrapping(.outputFailed, error, subject: config.journalPath)
            }
            pending.removeAll(keepingCapacity: true)
            lastCommit = Date()
        }
        while exited < config.workerCount, let message = results.pop() {
            switch message {
            case .workerExited:
                exited += 1
            case .engineFailed(let error):
                fatal = fatal ?? error
                requestStop()
            case .finished(let outcome):
                if let fault = outcome.fault {
                    // Not the item's fault: leave it out of the journal, so a rerun does it.
                    fatal = fatal ?? fault
                    requestStop()
                    continue
                }
                pending.append(outcome.record)
                processed += 1
                audioSeconds += outcome.audioSeconds
                engineSeconds += outcome.engineSeconds
                if outcome.record.error != nil {
                    failed += 1
                    if config.strict, fatal == nil {
                        fatal = PipelineError(
                            .itemFailed, subject: outcome.record.id,
                            "failed and the run is strict: \(outcome.record.error ?? "")")
                        requestStop()
                    }
                }
                if pending.count >= Self.commitBatch || Date().timeIntervalSince(lastCommit) > 1 {
                    do throws(PipelineError) { try commit() } catch {
                        fatal = fatal ?? error
                        requestStop()
                    }
                }
                let elapsed = Date().timeIntervalSince(started)
                let rate = elapsed > 0 ? Double(processed) / elapsed : 0
                let remaining = total - resumed - processed
                progress(
                    ProgressEvent(
                        done: resumed + processed, total: total, resumed: resumed, failed: failed,
                        elapsedSeconds: elapsed, itemsPerSecond: rate,
                        audioSecondsPerSecond: elapsed > 0 ? audioSeconds / elapsed : 0,
                        etaSeconds: rate > 0 ? Double(remaining) / rate : nil, lastID: outcome.record.id))
            }
        }
        try commit()
        if let fatal { throw fatal }
        if let error = producerError.withLock({ $0 }) { throw error }

        let interrupted = resumed + processed < total
        if config.strict, !interrupted, failed > 0 {
            // Failures journaled by an earlier run count too: a strict run never ends "done"
            // with failed items in its outputs.
            throw PipelineError(
                .itemFailed, subject: config.journalPath, "\(failed) item(s) failed and the run is strict")
        }
        var outputs: [String] = []
        if !interrupted { outputs = try writeOutputs(from: journal) }
        return PipelineSummary(
            total: total, processed: processed, resumed: resumed, failed: failed,
            audioSeconds: audioSeconds, wallSeconds: Date().timeIntervalSince(started),
            engineSeconds: engineSeconds, interrupted: interrupted, outputs: outputs)
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

    /// Writes the final files (or, for a shard, its part file and done marker) from the
    /// journal's records, in input order, reading one record at a time.
    private func writeOutputs(from journal: CheckpointJournal) throws(PipelineError) -> [String] {
        let config = configuration
        let transcribed = config.transcriber != nil
        var sink: any OrderedRecordSink = if let shard = config.shard {
            try ShardPart.Writer(
                shard: shard, transcribed: transcribed, chunkInterval: config.chunkFileInterval,
                configuration: config.checkpointConfiguration, in: config.outputDirectory)
        } else {
            try PipelineOutputs(
                directory: config.outputDirectory, transcribed: transcribed, chunkInterval: config.chunkFileInterval)
        }
        try InputSelection(configuration: config).forEach { item throws(PipelineError) in
            let found: TranscriptRecord?
            do { found = try journal.record(for: item.entry.id) } catch {
                throw PipelineError.wrapping(.outputFailed, error, subject: config.journalPath)
            }
            if let record = found {
                let audio = config.writeAudio
                    ? PipelineConfiguration.convertedAudioPath(forID: item.entry.id) : item.entry.audioPath
                try sink.add(IndexedRecord(index: item.index, audioPath: audio, record: record, metadata: item.entry.outputMetadata))
            }
            return true
        }
        return try sink.finish()
    }

    /// The temporary files a killed run left in `folder` — AudioCodec's `.<name>.XXXXXX.partial`
    /// and SpeechDataset's `.<name>.tmp-…` — with the name each was to become. Only those of
    /// files this run owns are removed, so shards sharing a folder never touch each other's
    /// work in progress.
    private func leftovers(in folder: String) -> [(name: String, target: String)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.compactMap { entry in
            guard entry.hasPrefix(".") else { return nil }
            var target: Substring?
            if entry.hasSuffix(".partial") {
                let stem = entry.dropFirst().dropLast(".partial".count)
                target = stem.lastIndex(of: ".").map { stem[..<$0] }
            } else if let range = entry.range(of: ".tmp-") {
                target = entry[entry.index(after: entry.startIndex)..<range.lowerBound]
            }
            return target.map { (entry, String($0)) }
        }
    }

    private func createDirectory(_ path: String) throws(PipelineError) {
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw PipelineError.wrapping(.outputFailed, error, subject: path)
        }
    }

    private func startThread(_ name: String, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread(block: body)
        thread.name = name
        thread.stackSize = 8 << 20
        thread.start()
    }
}
