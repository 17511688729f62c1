import Foundation

/// The commit stage, on the pipeline's own thread so the journal has exactly one writer: takes
/// what the workers finish, journals it in group commits, keeps the counts, and reports
/// progress after every item.
///
/// Converted WAVs are written without fsync; records wait in `pending` until one file-system
/// flush has made every WAV they name durable, and only then reach the journal (group commit:
/// the journal never claims a file a power loss could take away). A batch is committed every
/// ``Pipeline/commitBatch`` records or after a second, whichever comes first.
struct CommitStage {
    let configuration: PipelineConfiguration
    let journal: CheckpointJournal
    let census: WorkCensus
    let started: Date
    /// Items finished in this run.
    private(set) var processed = 0
    /// Failed items, those an earlier run journaled included.
    private(set) var failed: Int
    private(set) var audioSeconds = 0.0
    private(set) var engineSeconds = 0.0
    /// The first error that stopped the run.
    private(set) var fatal: PipelineError?
    private var pending: [TranscriptRecord] = []
    private var lastCommit = Date()

    init(configuration: PipelineConfiguration, journal: CheckpointJournal, census: WorkCensus, started: Date) {
        self.configuration = configuration
        self.journal = journal
        self.census = census
        self.started = started
        failed = journal.failedCount
    }

    /// Takes messages until all `workerCount` workers have exited.
    /// - Parameters:
    ///   - stop: Asks the pipeline to stop (after a fatal error).
    ///   - progress: Called after every finished item.
    mutating func drain(
        _ results: BlockingQueue<WorkerMessage>, workerCount: Int, stop: () -> Void, progress: (ProgressEvent) -> Void
    ) {
        var exited = 0
        while exited < workerCount, let message = results.pop() {
            switch message {
            case .workerExited:
                exited += 1
            case .engineFailed(let error):
                stopRun(error, stop)
            case .finished(let outcome):
                if let fault = outcome.fault {
                    // Not the item's fault: leave it out of the journal, so a rerun does it.
                    stopRun(fault, stop)
                    continue
                }
                take(outcome, stop: stop)
                progress(progressEvent(lastID: outcome.record.id))
            }
        }
    }

    /// Journals the records waiting for their WAVs to be durable.
    /// - Throws: `PipelineError.Code.outputFailed` when the flush or the journal fails.
    mutating func commit() throws(PipelineError) {
        guard !pending.isEmpty else { return }
        do {
            if configuration.writeAudio {
                try OutputDurability.synchronizeFileSystem(containing: "\(configuration.outputDirectory)/wavs")
            }
            for record in pending { try journal.append(record) }
            try journal.sync()
        } catch {
            throw PipelineError.wrapping(.outputFailed, error, subject: configuration.journalPath)
        }
        pending.removeAll(keepingCapacity: true)
        lastCommit = Date()
    }

    /// What the run did, as of now.
    func summary(interrupted: Bool, outputs: [String]) -> PipelineSummary {
        PipelineSummary(
            total: census.total, processed: processed, resumed: census.resumed, failed: failed,
            audioSeconds: audioSeconds, wallSeconds: Date().timeIntervalSince(started),
            engineSeconds: engineSeconds, interrupted: interrupted, outputs: outputs)
    }

    private mutating func take(_ outcome: ItemOutcome, stop: () -> Void) {
        pending.append(outcome.record)
        processed += 1
        audioSeconds += outcome.audioSeconds
        engineSeconds += outcome.engineSeconds
        if let error = outcome.record.error {
            failed += 1
            if configuration.strict, fatal == nil {
                stopRun(PipelineError(.itemFailed, subject: outcome.record.id, "failed and the run is strict: \(error)"), stop)
            }
        }
        if pending.count >= Pipeline.commitBatch || Date().timeIntervalSince(lastCommit) > 1 {
            do throws(PipelineError) { try commit() } catch { stopRun(error, stop) }
        }
    }

    /// Keeps the first fatal error and stops the run.
    private mutating func stopRun(_ error: PipelineError, _ stop: () -> Void) {
        fatal = fatal ?? error
        stop()
    }

    private func progressEvent(lastID: String) -> ProgressEvent {
        let elapsed = Date().timeIntervalSince(started)
        let rate = elapsed > 0 ? Double(processed) / elapsed : 0
        let remaining = census.remaining - processed
        return ProgressEvent(
            done: census.resumed + processed, total: census.total, resumed: census.resumed, failed: failed,
            elapsedSeconds: elapsed, itemsPerSecond: rate,
            audioSecondsPerSecond: elapsed > 0 ? audioSeconds / elapsed : 0,
            etaSeconds: rate > 0 ? Double(remaining) / rate : nil, lastID: lastID)
    }
}
