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
    /// A live job process: its resident memory.
    struct RunningProcess {
        var rssKiB: Int
    }

    /// The job's process when it is alive and still the job — not a zombie and not another
    /// program that reused the pid (its command line must name the job's executable).
    static func runningProcess(_ record: Record) -> RunningProcess? {
        let proc = "/proc/\(record.pid)"
        guard let stat = FileManager.default.contents(atPath: "\(proc)/stat"),
            let commandLine = FileManager.default.contents(atPath: "\(proc)/cmdline")
        else { return nil }
        // The state follows the parenthesised command name, which may itself hold spaces.
        let text = String(decoding: stat, as: UTF8.self)
        guard let close = text.lastIndex(of: ")") else { return nil }
        let state = text[text.index(after: close)...].split(separator: " ").first
        guard state != "Z", state != "X" else { return nil }
        let executable = (record.command.first as NSString?)?.lastPathComponent ?? "speechprep"
        guard String(decoding: commandLine, as: UTF8.self).contains(executable) else { return nil }
        let status = String(decoding: FileManager.default.contents(atPath: "\(proc)/status") ?? Data(), as: UTF8.self)
        let rss = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }
            .flatMap { $0.split(separator: " ").dropFirst().first }.flatMap { Int($0) } ?? 0
        return RunningProcess(rssKiB: rss)
    }

    /// Sends SIGTERM. The corresponding C function is `kill`.
    static func sendTerminate(to pid: Int32, job: String) throws(PipelineError) {
        guard kill(pid, SIGTERM) == 0 else {
            throw PipelineError(.jobFailed, subject: job, "cannot be signalled: \(String(cString: strerror(errno)))")
        }
    }
}
