import ArgumentParser
import Foundation
import SpeechPrep

struct JobsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "List background jobs, or the shards of a run in an output folder, with their progress.",
        discussion: """
            States: running, finished, failed, stopped (by `speechprep stop`), dead (killed
            without a chance to say so). Rerun a stopped or dead job's command to resume it.
            Jobs are registered in $SPEECHPREP_HOME/jobs (default ~/.local/state/speechprep/jobs).

            With an output folder, lists the shards writing into it (Slurm array tasks,
            Kubernetes Indexed Job pods, or `--shard` runs): progress from each shard's journal,
            rate and ETA from its progress file, the Slurm job and task ids, and — when squeue
            or sacct answer — the scheduler's state of each task.

            Examples:
              speechprep jobs
              speechprep jobs --json
              speechprep jobs --prune      # forget jobs that are not running
              speechprep jobs --out out/dev  # which run holds this output folder
              speechprep jobs /shared/speechprep/en-dev
            """)

    @Option(help: "Show the runs holding this output folder (detached or not).")
    var out: String?

    @Argument(help: "An output folder shared by shards: show its shards instead of background jobs.")
    var folder: String?

    @Flag(help: "Print the jobs as JSON.")
    var json = false

    @Flag(help: "Forget every job that is not running (its output folder stays).")
    var prune = false

    func run() throws {
        if prune {
            let forgotten = Job.prune()
            return print("forgot \(forgotten.count) job(s)")
        }
        if let out { return try printHolders(OutputFolderLock.holders(in: out), of: out) }
        if let folder { return try listShards(in: absolute(folder)) }
        let jobs = Job.list()
        if json { return try printJSON(jobs) }
        guard !jobs.isEmpty else { return print("no jobs") }
        print("ID                            PID      STATE     RSS       PROGRESS         ETA      OUTPUT")
        for job in jobs {
            let rss = job.rssKiB.map { String(format: "%.1f MiB", Double($0) / 1024) } ?? "-"
            let progress = job.total.map { "\(job.done)/\($0)" } ?? "\(job.done)"
            let eta = job.etaSeconds.map(formatDuration) ?? "-"
            print(
                [pad(job.record.id, 29), pad(String(job.record.pid), 8), pad(job.state.rawValue, 9), pad(rss, 9),
                 pad(progress, 16), pad(eta, 8), job.record.outputDirectory].joined(separator: " "))
            for holder in job.holders where holder.pid != job.record.pid { print("  held by \(holder)") }
        }
    }

    private func printHolders(_ holders: [OutputFolderLock.Holder], of folder: String) throws {
        if json { return try printJSON(holders) }
        guard !holders.isEmpty else { return print("\(folder): no run holds it") }
        for holder in holders { print("\(folder): held by \(holder)") }
    }

    private func listShards(in folder: String) throws {
        let shards = ShardJobs.statusesWithSchedulerState(in: folder)
        if json { return try printJSON(shards) }
        guard !shards.isEmpty else { return print("no shards in \(folder)") }
        print("SHARD        STATE      TASK          SCHEDULER   PROGRESS     RATE        ETA      UPDATED")
        let now = Date()
        for shard in shards {
            let progress = shard.total.map { "\(shard.done)/\($0)" } ?? "\(shard.done)"
            let rate = shard.itemsPerSecond.map { String(format: "%.2f/s", $0) } ?? "-"
            let eta = shard.etaSeconds.map(formatDuration) ?? "-"
            let updated = shard.updated.map { formatDuration(now.timeIntervalSince($0)) + " ago" } ?? "-"
            print(
                [pad(shard.shard.partName, 12), pad(shard.finished ? "finished" : "unfinished", 10),
                 pad(shard.task?.description ?? "-", 13), pad(shard.schedulerState ?? "-", 11), pad(progress, 12),
                 pad(rate, 11), pad(eta, 8), updated].joined(separator: " "))
        }
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}

struct StopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stop",
        abstract: "Stop a background job (SIGTERM): it finishes the items in hand, flushes and exits.",
        discussion: """
            Examples:
              speechprep stop job-20261126-031500-4f2a
              speechprep stop 12345 --wait
            """)

    @Argument(help: "A job id (or a unique prefix of one) or its pid.")
    var job: String

    @Flag(help: "Wait until the job has exited.")
    var wait = false

    func run() throws {
        do {
            let record = try Job.find(job)
            try Job.stop(record)
            print("sent SIGTERM to \(record.id) (pid \(record.pid))")
            if wait { Job.waitUntilEnded(record) }
        } catch {
            throw fail(error)
        }
    }
}
