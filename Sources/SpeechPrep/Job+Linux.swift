import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension Job {
    /// posix_spawn with `POSIX_SPAWN_SETSID` (the job leaves the terminal's session, so a
    /// closed terminal or Ctrl-C there does not reach it), stdin from /dev/null, stdout and
    /// stderr appended to the log. The corresponding C function is `posix_spawn`.
    static func spawnDetached(
        executable: String, arguments: [String], environment: [String: String], logPath: String
    ) throws(PipelineError) -> Int32 {
        var attributes = posix_spawnattr_t()
        var actions = posix_spawn_file_actions_t()
        posix_spawnattr_init(&attributes)
        posix_spawn_file_actions_init(&actions)
        defer {
            posix_spawnattr_destroy(&attributes)
            posix_spawn_file_actions_destroy(&actions)
        }
        // glibc's POSIX_SPAWN_SETSID (0x80, <spawn.h>) is hidden behind _GNU_SOURCE from Swift.
        posix_spawnattr_setflags(&attributes, Int16(0x80))
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else is inherited: a pipe the caller reads to its end (a test, `$(…)` in a
        // shell) must not stay open for as long as the job runs.
        // (posix_spawn_file_actions_addclosefrom_np is hidden from Swift like the flag above.)
        let open = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).compactMap { Int32($0) }
        for descriptor in open where descriptor > 2 && fcntl(descriptor, F_GETFD) != -1 {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard status == 0 else {
            throw PipelineError(
                .jobFailed, subject: executable, "cannot be started: \(String(cString: strerror(status)))")
        }
        return pid
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
