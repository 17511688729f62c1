public import Foundation
import SystemSupport

/// The shards of a run under a scheduler (Slurm array job, Kubernetes Indexed Job), seen from
/// the shared output folder: each shard's journal, its latest progress and its done marker.
///
/// A shard writes `progress.part-k-of-N.json` (``ShardProgress``) about once a second, with the
/// scheduler's job and task ids when it runs under one, so `speechprep jobs <folder>` can show
/// progress, rate and ETA per shard — and, with ``SlurmQueue``, the scheduler's view of each task.
public enum ShardJobs {
    /// One shard as `speechprep jobs <folder>` shows it.
    public struct Status: Codable, Sendable, Hashable {
        /// The shard.
        public var shard: Shard
        /// Items journaled so far (in every run of this shard).
        public var done: Int
        /// Items the shard handles in total, once it reported progress.
        public var total: Int?
        /// Items per second in the shard's current (or last) run.
        public var itemsPerSecond: Double?
        /// Estimated seconds left, while the shard is unfinished and has a rate.
        public var etaSeconds: Double?
        /// Whether the shard wrote its `part-k-of-N.done` marker.
        public var finished: Bool
        /// The scheduler task that last ran the shard.
        public var task: SchedulerTask?
        /// When the shard last reported progress.
        public var updated: Date?
        /// The scheduler's state of ``task`` (`RUNNING`, `PENDING`, `COMPLETED`, `TIMEOUT`, …),
        /// when the scheduler was asked.
        public var schedulerState: String?
    }

    /// The shards found in an output folder, by shard number.
    /// - Parameter outputDirectory: The shared output folder.
    /// - Returns: Every shard that has a journal, a progress file or a done marker there.
    public static func statuses(in outputDirectory: String) -> [Status] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: outputDirectory)) ?? []
        var shards = Set<Shard>()
        for name in names {
            for (prefix, suffix) in [("journal.", ".jsonl"), ("progress.", ".json"), ("", ".done")]
            where name.hasPrefix(prefix + "part-") && name.hasSuffix(suffix) {
                if let shard = Shard(partName: String(name.dropFirst(prefix.count).dropLast(suffix.count))) {
                    shards.insert(shard)
                }
            }
        }
        let decoder = JSONDecoder.jobs
        return shards.sorted { ($0.count, $0.index) < ($1.count, $1.index) }.map { shard in
            let base = "\(outputDirectory)/"
            let progress = smallFileData(base + ShardProgress.fileName(for: shard))
                .flatMap { try? decoder.decode(ShardProgress.self, from: $0) }
            let finished = FileManager.default.fileExists(atPath: base + "\(shard.partName).done")
            let done = max(Job.journalLineCount(base + "journal.\(shard.partName).jsonl"), progress?.event.done ?? 0)
            var eta: Double?
            if !finished, let event = progress?.event, event.itemsPerSecond > 0 {
                eta = Double(max(0, event.total - done)) / event.itemsPerSecond
            }
            return Status(
                shard: shard, done: done, total: progress?.event.total, itemsPerSecond: progress?.event.itemsPerSecond,
                etaSeconds: eta, finished: finished, task: progress?.task, updated: progress?.updated)
        }
    }

    /// The shards found in an output folder, with the scheduler's state of each Slurm task
    /// (from ``SlurmQueue``, when the Slurm tools are installed).
    /// - Parameter outputDirectory: The shared output folder.
    /// - Returns: The shards' statuses.
    public static func statusesWithSchedulerState(in outputDirectory: String) -> [Status] {
        let found = statuses(in: outputDirectory)
        let jobIDs = found.compactMap { $0.task?.scheduler == "slurm" ? $0.task?.jobID : nil }
        return adding(states: SlurmQueue.states(of: jobIDs), to: found)
    }

    /// Adds the scheduler's state of each shard's task.
    /// - Parameters:
    ///   - statuses: Shard statuses from ``statuses(in:)``.
    ///   - states: Scheduler states by job id, e.g. from ``SlurmQueue/states(of:)``.
    /// - Returns: The statuses with ``Status/schedulerState`` set where the job id is known.
    public static func adding(states: [String: String], to statuses: [Status]) -> [Status] {
        statuses.map { status in
            var status = status
            status.schedulerState = status.task.flatMap { states[$0.jobID] }
            return status
        }
    }
}

/// Where a shard runs under a scheduler: Slurm's job and array task ids, or the Kubernetes pod.
public struct SchedulerTask: Codable, Sendable, Hashable, CustomStringConvertible {
    /// `slurm` or `kubernetes`.
    public var scheduler: String
    /// The job id the scheduler's tools take: `SLURM_JOB_ID` (an array task's own id, which
    /// `squeue`/`sacct` report as the raw job id), or the pod name.
    public var jobID: String
    /// `SLURM_ARRAY_JOB_ID`: the array's id (what `sbatch` printed).
    public var arrayJobID: String?
    /// `SLURM_ARRAY_TASK_ID` (or `JOB_COMPLETION_INDEX`).
    public var arrayTaskID: String?
    /// `SLURM_RESTART_COUNT`: how often the scheduler requeued this task.
    public var restartCount: Int?
    /// The machine the shard runs on.
    public var host: String?

    /// The scheduler task of this process, from the variables Slurm or Kubernetes set.
    /// - Parameter environment: The process environment.
    /// - Returns: The task, or `nil` when no scheduler variables are set.
    public static func fromEnvironment(_ environment: [String: String]) -> SchedulerTask? {
        let host = ProcessInfo.processInfo.hostName
        if let job = environment["SLURM_JOB_ID"], !job.isEmpty {
            return SchedulerTask(
                scheduler: "slurm", jobID: job, arrayJobID: environment["SLURM_ARRAY_JOB_ID"],
                arrayTaskID: environment["SLURM_ARRAY_TASK_ID"],
                restartCount: environment["SLURM_RESTART_COUNT"].flatMap { Int($0) }, host: host)
        }
        if let index = environment["JOB_COMPLETION_INDEX"], !index.isEmpty {
            return SchedulerTask(
                scheduler: "kubernetes", jobID: environment["HOSTNAME"] ?? host, arrayJobID: nil,
                arrayTaskID: index, restartCount: nil, host: host)
        }
        return nil
    }

    /// `array_task` as Slurm writes an array task (`12_3`), else the job id.
    public var description: String {
        if let arrayJobID, let arrayTaskID { return "\(arrayJobID)_\(arrayTaskID)" }
        return jobID
    }
}

/// What a shard writes to `progress.part-k-of-N.json` as it goes.
public struct ShardProgress: Codable, Sendable, Hashable {
    /// The shard.
    public var shard: Shard
    /// Its latest progress.
    public var event: ProgressEvent
    /// The scheduler task running it, if any.
    public var task: SchedulerTask?
    /// The process id of the run.
    public var pid: Int32
    /// When this was written.
    public var updated: Date

    /// `progress.part-k-of-N.json`.
    /// - Parameter shard: The shard.
    /// - Returns: The file name, inside the output folder.
    public static func fileName(for shard: Shard) -> String { "progress.\(shard.partName).json" }

    /// Writes a shard's progress (atomically) for `speechprep jobs <folder>`; failures are ignored
    /// (progress is advisory, the journal is the record).
    /// - Parameters:
    ///   - event: The latest progress.
    ///   - shard: The shard.
    ///   - outputDirectory: The output folder.
    ///   - environment: The process environment, for the scheduler ids.
    public static func record(
        _ event: ProgressEvent, shard: Shard, outputDirectory: String,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        let progress = ShardProgress(
            shard: shard, event: event, task: SchedulerTask.fromEnvironment(environment),
            pid: ProcessInfo.processInfo.processIdentifier, updated: Date())
        try? Job.save(progress, to: "\(outputDirectory)/\(fileName(for: shard))")
    }
}

/// Asks Slurm for job states: `squeue` for jobs it still holds, then `sacct` (the accounting
/// database, or with `-c` the job completion log of clusters without one) for the rest.
public enum SlurmQueue {
    /// The states of Slurm jobs by (raw) job id; jobs Slurm no longer knows are left out, and
    /// so is everything when the Slurm tools are not installed.
    /// - Parameter jobIDs: Raw job ids (`SLURM_JOB_ID` of each array task).
    /// - Returns: `RUNNING`, `PENDING`, `COMPLETED`, `CANCELLED`, `TIMEOUT`, … by job id.
    public static func states(of jobIDs: [String]) -> [String: String] {
        guard !jobIDs.isEmpty else { return [:] }
        let wanted = Set(jobIDs)
        // All of the user's jobs, not `-j ids`: squeue refuses the whole list if one id is gone.
        var states = parseStates(run("squeue", ["-h", "-o", "%A|%T"]) ?? "")
            .filter { wanted.contains($0.key) }
        let rest = wanted.subtracting(states.keys).sorted()
        if !rest.isEmpty {
            let list = rest.joined(separator: ",")
            let fields = ["-n", "-P", "-X", "-j", list]
            let accounted = run("sacct", fields + ["-o", "JobIDRaw,State"])
                ?? run("sacct", ["-c"] + fields + ["-o", "JobID,State"])
                ?? ""
            // sacct lists every run of a requeued job; the last line is the latest.
            for (id, state) in parseStates(accounted) where rest.contains(id) {
                states[id] = state
            }
        }
        return states
    }

    /// Parses `id|STATE` lines (`squeue -o '%A|%T'`, `sacct -P -o JobIDRaw,State`). States such
    /// as `CANCELLED by 0` are cut to their first word; later lines win.
    /// - Parameter text: The tool's output.
    /// - Returns: States by job id.
    public static func parseStates(_ text: String) -> [String: String] {
        var states: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let fields = line.split(separator: "|", omittingEmptySubsequences: false)
            guard fields.count >= 2, !fields[0].isEmpty, let state = fields[1].split(separator: " ").first else { continue }
            states[String(fields[0]).trimmingCharacters(in: .whitespaces)] = String(state)
        }
        return states
    }

    /// Runs a Slurm tool found on `PATH` (with `SLURM_CONF` from this process's environment);
    /// its output, or `nil` when it is missing, fails or takes over 10 s (a controller that
    /// does not answer).
    private static func run(_ tool: String, _ arguments: [String]) -> String? {
        guard let outcome = try? ChildProcess.run([tool] + arguments, timeoutSeconds: 10),
            outcome.termination == .exited(0)
        else { return nil }
        return String(decoding: outcome.output, as: UTF8.self)
    }
}

extension Shard {
    /// Parses `part-k-of-N`.
    init?(partName: String) {
        let fields = partName.split(separator: "-")
        guard fields.count == 4, fields[0] == "part", fields[2] == "of",
            let index = Int(fields[1]), let count = Int(fields[3]),
            let shard = try? Shard(index: index, count: count)
        else { return nil }
        self = shard
    }
}
