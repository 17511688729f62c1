public import Foundation
import SystemSupport

/// A pipeline run started in the background with `--detach`: its own session, its log in the
/// output folder, and a `job.json` describing it.
///
/// The files a job leaves in its output folder:
/// - `job.json` — ``Job/Record`` (id, pid, command, start, output paths), written atomically
///   by the starter;
/// - `job.log` — the job's standard output and error;
/// - `progress.json` — the latest ``ProgressEvent``, rewritten about once a second;
/// - `job.exit.json` — ``Job/Exit``, written when the job ends by itself or is stopped.
///
/// A copy of `job.json` also goes to the registry folder (`$SPEECHPREP_HOME/jobs`, default
/// `~/.local/state/speechprep/jobs`) so `speechprep jobs` finds every job.
public enum Job {
    /// The environment variable a detached job finds its id in.
    public static let idEnvironmentKey = "SPEECHPREP_JOB_ID"

    /// What `job.json` holds.
    public struct Record: Codable, Sendable, Hashable {
        /// A unique id such as `job-20261126-031500-4f2a`.
        public var id: String
        /// The job's process id.
        public var pid: Int32
        /// The command line that runs the job (without `--detach`).
        public var command: [String]
        /// The folder the command ran in.
        public var workingDirectory: String
        /// When the job started.
        public var started: Date
        /// The job's output folder.
        public var outputDirectory: String
        /// The log file.
        public var log: String
        /// The checkpoint journal.
        public var journal: String
    }

    /// What `job.exit.json` holds.
    public struct Exit: Codable, Sendable, Hashable {
        /// `finished`, `failed` or `stopped`.
        public var state: State
        /// The process exit status.
        public var exitCode: Int32
        /// When the job ended.
        public var ended: Date
        /// The error message when the job failed.
        public var message: String?

        /// Creates an exit record.
        /// - Parameters:
        ///   - state: `finished`, `failed` or `stopped`.
        ///   - exitCode: The process exit status.
        ///   - ended: When the job ended.
        ///   - message: The error message when the job failed.
        public init(state: State, exitCode: Int32, ended: Date = Date(), message: String? = nil) {
            self.state = state
            self.exitCode = exitCode
            self.ended = ended
            self.message = message
        }
    }

    /// Where a job stands.
    public enum State: String, Codable, Sendable, Hashable {
        /// Its process is alive.
        case running
        /// It completed and wrote its outputs.
        case finished
        /// It ended with an error.
        case failed
        /// It was stopped (SIGTERM/SIGINT) after flushing; rerunning resumes it.
        case stopped
        /// Its process is gone without saying why (SIGKILL, power loss); rerunning resumes it.
        case dead
    }

    /// A job as `speechprep jobs` shows it.
    public struct Status: Codable, Sendable, Hashable {
        /// The job's record.
        public var record: Record
        /// Its state.
        public var state: State
        /// Resident memory of the running process, in KiB.
        public var rssKiB: Int?
        /// Items done, from the journal (and the last progress report).
        public var done: Int
        /// Items in total, when the job reported it.
        public var total: Int?
        /// Estimated seconds left, when running.
        public var etaSeconds: Double?
        /// How the job ended, when it did.
        public var exit: Exit?
        /// The runs holding the job's output folder now (``OutputFolderLock``): the job itself
        /// while it runs, or another run that took the folder over.
        public var holders: [OutputFolderLock.Holder] = []
    }

    // MARK: - Paths

    /// The registry folder: `$SPEECHPREP_HOME/jobs`, or `~/.local/state/speechprep/jobs`.
    /// - Parameter environment: The process environment.
    /// - Returns: The folder's path.
    public static func registryDirectory(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String {
        if let home = environment["SPEECHPREP_HOME"], !home.isEmpty { return "\(home)/jobs" }
        let user = environment["HOME"] ?? NSHomeDirectory()
        return "\(user)/.local/state/speechprep/jobs"
    }

    static func file(_ name: String, in outputDirectory: String) -> String { "\(outputDirectory)/\(name)" }

    // MARK: - Starting

    /// Starts `executable arguments…` as a detached job in its own session (posix_spawn with
    /// `POSIX_SPAWN_SETSID`: no fork of a multi-threaded process), with standard output and
    /// error going to `job.log` in the output folder.
    /// - Parameters:
    ///   - executable: The program to run, normally this `speechprep` binary.
    ///   - arguments: Its arguments (without `--detach`).
    ///   - outputDirectory: The job's output folder.
    ///   - journal: The job's journal path.
    ///   - shard: The job's shard, or `nil` for a whole run (which output-folder lock it needs).
    ///   - environment: The environment; the job also gets ``idEnvironmentKey``.
    /// - Returns: The job's record, already written to `job.json` and the registry.
    /// - Throws: `PipelineError.Code.jobFailed` when the process cannot be started or the
    ///   record cannot be written, `PipelineError.Code.outputFolderBusy` when another run
    ///   holds the output folder.
    public static func start(
        executable: String, arguments: [String], outputDirectory: String, journal: String, shard: Shard? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(PipelineError) -> Record {
        let stamp = DateFormatter.jobStamp.string(from: Date())
        let id = "job-\(stamp)-\(String(UInt16.random(in: .min ... .max), radix: 16))"
        do {
            try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        } catch {
            throw PipelineError.wrapping(.jobFailed, error, subject: outputDirectory)
        }
        // Refuse before touching the running holder's job files (the job itself locks).
        _ = try OutputFolderLock(directory: outputDirectory, shard: shard, command: [executable] + arguments)
        try? FileManager.default.removeItem(atPath: file("job.exit.json", in: outputDirectory))
        try? FileManager.default.removeItem(atPath: file("progress.json", in: outputDirectory))
        let log = file("job.log", in: outputDirectory)
        var childEnvironment = environment
        childEnvironment[idEnvironmentKey] = id
        let pid = try spawnDetached(
            executable: executable, arguments: arguments, environment: childEnvironment, logPath: log)
        let record = Record(
            id: id, pid: pid, command: [executable] + arguments,
            workingDirectory: FileManager.default.currentDirectoryPath, started: Date(),
            outputDirectory: outputDirectory, log: log, journal: journal)
        try save(record, to: file("job.json", in: outputDirectory))
        let registry = registryDirectory(environment: environment)
        try? FileManager.default.createDirectory(atPath: registry, withIntermediateDirectories: true)
        try save(record, to: "\(registry)/\(id).json")
        return record
    }

    /// Called by the detached process when it ends: writes `job.exit.json`.
    /// - Parameters:
    ///   - exit: How it ended.
    ///   - outputDirectory: The job's output folder.
    /// - Throws: `PipelineError.Code.jobFailed` when the file cannot be written.
    public static func recordExit(_ exit: Exit, outputDirectory: String) throws(PipelineError) {
        try save(exit, to: file("job.exit.json", in: outputDirectory))
    }

    /// Called by the detached process as it makes progress: writes `progress.json`.
    /// - Parameters:
    ///   - event: The latest progress.
    ///   - outputDirectory: The job's output folder.
    public static func recordProgress(_ event: ProgressEvent, outputDirectory: String) {
        try? save(event, to: file("progress.json", in: outputDirectory))
    }

    // MARK: - Listing and stopping

    /// Every registered job with its current state, newest first.
    /// - Parameters:
    /// - Parameter registry: The registry folder.
    /// - Returns: The jobs' statuses.
    public static func list(registry: String = registryDirectory()) -> [Status] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: registry)) ?? []
        let decoder = JSONDecoder.jobs
        let records = names.filter { $0.hasSuffix(".json") }.compactMap { name -> Record? in
            guard let data = smallFileData("\(registry)/\(name)") else { return nil }
            return try? decoder.decode(Record.self, from: data)
        }
        return records.sorted { $0.started > $1.started }.map { status(of: $0) }
    }

    /// The current state of one job.
    /// - Parameter record: The job's record.
    /// - Returns: Its status.
    public static func status(of record: Record) -> Status {
        let decoder = JSONDecoder.jobs
        let exit = smallFileData(file("job.exit.json", in: record.outputDirectory))
            .flatMap { try? decoder.decode(Exit.self, from: $0) }
        let progress = smallFileData(file("progress.json", in: record.outputDirectory))
            .flatMap { try? decoder.decode(ProgressEvent.self, from: $0) }
        let done = max(journalLineCount(record.journal), progress?.done ?? 0)
        let process = runningProcess(record)
        let state: State = process != nil ? .running : (exit?.state ?? .dead)
        var eta: Double?
        if state == .running, let progress, progress.itemsPerSecond > 0 {
            eta = Double(max(0, progress.total - done)) / progress.itemsPerSecond
        }
        return Status(
            record: record, state: state, rssKiB: process?.rssKiB, done: done, total: progress?.total,
            etaSeconds: eta, exit: exit, holders: OutputFolderLock.holders(in: record.outputDirectory))
    }

    /// Forgets every registered job that is not running (its output folder is left alone).
    /// - Parameter registry: The registry folder.
    /// - Returns: The jobs forgotten.
    @discardableResult
    public static func prune(registry: String = registryDirectory()) -> [Record] {
        let finished = list(registry: registry).filter { $0.state != .running }.map(\.record)
        for record in finished { try? FileManager.default.removeItem(atPath: "\(registry)/\(record.id).json") }
        return finished
    }

    /// Finds a registered job by id (or a unique prefix of it) or by pid.
    /// - Parameters:
    ///   - reference: A job id, id prefix, or pid.
    ///   - registry: The registry folder.
    /// - Returns: The job's record.
    /// - Throws: `PipelineError.Code.jobFailed` when no job or several jobs match.
    public static func find(_ reference: String, registry: String = registryDirectory()) throws(PipelineError) -> Record {
        let matches = list(registry: registry).map { $0.record }.filter {
            $0.id == reference || $0.id.hasPrefix(reference) || String($0.pid) == reference
        }
        guard matches.count == 1 else {
            throw PipelineError(
                .jobFailed, subject: reference,
                matches.isEmpty ? "no such job; `speechprep jobs` lists them" : "matches \(matches.count) jobs; give more of the id")
        }
        return matches[0]
    }

    /// Asks a running job to stop (SIGTERM): it finishes the items in hand, flushes its
    /// journal and exits; rerunning its command resumes it.
    /// - Parameter record: The job.
    /// - Throws: `PipelineError.Code.jobFailed` when the job is not running or cannot be signalled.
    public static func stop(_ record: Record) throws(PipelineError) {
        guard runningProcess(record) != nil else {
            throw PipelineError(.jobFailed, subject: record.id, "is not running")
        }
        try sendTerminate(to: record.pid, job: record.id)
    }

    static func journalLineCount(_ path: String) -> Int {
        guard let data = smallFileData(path) else { return 0 }
        // The first line of a journal is its configuration header.
        return max(0, data.count(where: { $0 == 0x0A }) - 1)
    }

    static func save(_ value: some Encodable, to path: String) throws(PipelineError) {
        do { try AtomicFile.write(try JSONEncoder.jobs.encode(value), to: path) } catch {
            throw PipelineError.wrapping(.jobFailed, error, subject: path)
        }
    }
}

extension JSONEncoder {
    static var jobs: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }
}

extension JSONDecoder {
    static var jobs: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}

extension DateFormatter {
    static var jobStamp: DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return formatter
    }
}

/// A small file (a lock, progress or exit record, a registry entry) as `Data` for a
/// `JSONDecoder`, read through SystemSupport: Foundation's `FileManager.contents(atPath:)`
/// leaves its 4 KiB read buffers behind (LeakSanitizer; Docs/notes/sanitizers.md).
func smallFileData(_ path: String) -> Data? { SystemCall.contents(of: path).map { Data($0) } }
