import Foundation
import SystemSupport

extension Job {
    /// Starts the job in a new session (the job leaves the terminal's session, so a closed
    /// terminal or Ctrl-C there does not reach it), stdin from /dev/null, stdout and stderr
    /// appended to the log, and no other descriptor inherited: a pipe the caller reads to its
    /// end (a test, `$(…)` in a shell) must not stay open for as long as the job runs.
    static func spawnDetached(
        executable: String, arguments: [String], environment: [String: String], logPath: String
    ) throws(PipelineError) -> Int32 {
        do {
            return try ChildProcess(
                arguments: [executable] + arguments, environment: environment, standardOutput: .appendToFile(logPath),
                standardError: .appendToFile(logPath), grouping: .session, closeOtherDescriptors: true
            ).detach()
        } catch {
            throw PipelineError(.jobFailed, subject: executable, "cannot be started: \(error.message)")
        }
    }

    /// The absolute path of the running executable (from `/proc/self/exe`).
    /// - Returns: The path, or `CommandLine.arguments[0]` when it cannot be read.
    public static func currentExecutablePath() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}

extension Job {
    /// The job's process when it is alive and still the job — not a zombie and not another
    /// program that reused the pid (its command line must name the job's executable).
    static func runningProcess(_ record: Record) -> ProcessRecord? {
        guard let process = ProcFS().record(pid: record.pid), process.state != .zombie, process.state != .dead
        else { return nil }
        let executable = (record.command.first as NSString?)?.lastPathComponent ?? "speechprep"
        return process.commandLine.contains(executable) ? process : nil
    }

    /// Sends SIGTERM through ProcessProbe.
    static func sendTerminate(to pid: Int32, job: String) throws(PipelineError) {
        do { try ProcFS().signal(.terminate, to: pid) } catch {
            throw PipelineError.wrapping(.jobFailed, error, subject: job)
        }
    }
}
