/// A snapshot of a running pipeline, sent after every finished item.
public struct ProgressEvent: Sendable, Hashable, Codable {
    /// Items finished in this run and in earlier runs of the same journal.
    public var done: Int
    /// Items the run will finish in total (including those resumed from the journal).
    public var total: Int
    /// Items finished in earlier runs and skipped now.
    public var resumed: Int
    /// Items that failed so far (their error is recorded).
    public var failed: Int
    /// Seconds since this run started.
    public var elapsedSeconds: Double
    /// Items finished per second in this run.
    public var itemsPerSecond: Double
    /// Seconds of audio processed per wall-clock second in this run.
    public var audioSecondsPerSecond: Double
    /// Estimated seconds until the run is finished, when a rate is known.
    public var etaSeconds: Double?
    /// The id of the item that just finished.
    public var lastID: String?

    /// The fraction done, from 0 to 1.
    public var fraction: Double { total == 0 ? 1 : Double(done) / Double(total) }
}

/// What a finished (or stopped) run did.
public struct PipelineSummary: Sendable, Hashable, Codable {
    /// Items selected for this run (after limits and sharding).
    public var total: Int
    /// Items processed in this run.
    public var processed: Int
    /// Items skipped because the journal already held them.
    public var resumed: Int
    /// Items that failed (this run and earlier ones), each with its error in the outputs.
    public var failed: Int
    /// Seconds of audio converted in this run.
    public var audioSeconds: Double
    /// Wall-clock seconds of this run.
    public var wallSeconds: Double
    /// Seconds the workers spent inside the recogniser, summed over workers.
    public var engineSeconds: Double
    /// Whether the run was stopped (signal or ``Pipeline/requestStop()``) before finishing;
    /// rerunning the same configuration resumes it.
    public var interrupted: Bool
    /// The final output files written, empty when interrupted.
    public var outputs: [String]
}
