import Glibc

/// Runs one program from an argv array (no shell) in its own process group, collects its
/// output, and kills the whole group on timeout or task cancellation.
///
/// All process-control calls of the module sit here (`posix_spawnp`, `poll`, `waitid`,
/// `kill`).
struct ChildProcess {
    /// How a run ended.
    enum Ending: Equatable {
        /// The program exited by itself with this status.
        case exited(Int32)
        /// The program was killed by this signal (not by us).
        case signalled(Int32)
        /// The program ran past its deadline and its group was killed.
        case timedOut
        /// The surrounding task was cancelled and the group was killed.
        case cancelled
    }

    /// What a run produced.
    struct Result {
        var ending: Ending
        var stdout: [UInt8]
        /// The last ``stderrTailBytes`` bytes of standard error.
        var stderrTail: [UInt8]
    }

    /// Bytes of standard error kept for error messages.
    static let stderrTailBytes = 2_048
    /// Bytes of standard output kept; more is discarded (a transcript is far smaller).
    static let stdoutLimitBytes = 16 << 20
    /// How long a group gets between SIGTERM and SIGKILL.
    static let terminationGraceSeconds = 1.0
    /// How long output is still read after the program exited while its pipes stay open.
    static let drainSeconds = 0.1
    /// How often cancellation is checked while waiting.
    static let pollMilliseconds: Int32 = 20

    var arguments: [String]
    var timeoutSeconds: Double

    /// Starts the program and waits for it, its deadline, or cancellation.
    /// - Returns: How it ended and what it wrote.
    /// - Throws: The `errno` of a failed spawn (for example `ENOENT` when not installed).
    func run() throws(SpawnFailure) -> Result {
        var outPipe: [Int32] = [-1, -1], errPipe: [Int32] = [-1, -1]
        guard Self.makePipe(&outPipe) else { throw SpawnFailure(errno: errno) }
        guard Self.makePipe(&errPipe) else {
            let saved = errno
            close(outPipe[0]); close(outPipe[1])
            throw SpawnFailure(errno: saved)
        }
        defer { close(outPipe[0]); close(errPipe[0]) }
        let spawned = spawn(stdout: outPipe[1], stderr: errPipe[1])
        close(outPipe[1]); close(errPipe[1])
        let pid = try spawned.get()
        return supervise(pid: pid, stdout: outPipe[0], stderr: errPipe[0])
    }

    /// A pipe whose ends are not inherited by the child (only its dup2'ed copies are).
    private static func makePipe(_ ends: inout [Int32]) -> Bool {
        guard pipe(&ends) == 0 else { return false }
        _ = fcntl(ends[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
        return true
    }

    private func spawn(stdout: Int32, stderr: Int32) -> Swift.Result<pid_t, SpawnFailure> {
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        // A group of its own, so a timeout also reaches whatever the program starts.
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF))

        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawnp(&pid, arguments[0], &actions, &attributes, &argv, environ)
        return status == 0 ? .success(pid) : .failure(SpawnFailure(errno: status))
    }

    private func supervise(pid: pid_t, stdout: Int32, stderr: Int32) -> Result {
        var output: [UInt8] = [], errors: [UInt8] = []
        var fds = [pollfd(fd: stdout, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: stderr, events: Int16(POLLIN), revents: 0)]
        let deadline = Self.now() + timeoutSeconds
        var chunk = [UInt8](repeating: 0, count: 65_536)
        var exit: Ending?
        var drainDeadline = Double.infinity
        var idleMicroseconds: UInt32 = 1_000
        let ending: Ending
        while true {
            if Task.isCancelled { ending = .cancelled; break }
            let now = Self.now()
            if now >= deadline { ending = .timedOut; break }
            if exit == nil, let status = Self.exitStatus(of: pid, waiting: false) {
                exit = status
                // Something the program started may hold the pipes open: read what is
                // there, briefly, then stop.
                drainDeadline = now + Self.drainSeconds
            }
            let open = fds.contains { $0.fd >= 0 }
            if let exit, !open || now >= drainDeadline { ending = exit; break }
            if !open {
                // Output closed: the exit is usually microseconds away, so back off from 1 ms.
                usleep(idleMicroseconds)
                idleMicroseconds = min(2 * idleMicroseconds, UInt32(Self.pollMilliseconds) * 1_000)
                continue
            }
            guard poll(&fds, nfds_t(fds.count), Self.pollMilliseconds) > 0 else { continue }
            for index in fds.indices where fds[index].fd >= 0 && fds[index].revents != 0 {
                let count = chunk.withUnsafeMutableBytes { read(fds[index].fd, $0.baseAddress, $0.count) }
                if count <= 0 {
                    if count == 0 || errno != EINTR { fds[index].fd = -1 }
                    continue
                }
                if index == 0 {
                    if output.count < Self.stdoutLimitBytes { output.append(contentsOf: chunk[0..<count]) }
                } else {
                    errors.append(contentsOf: chunk[0..<count])
                    if errors.count > 2 * Self.stderrTailBytes { errors.removeFirst(errors.count - Self.stderrTailBytes) }
                }
            }
        }
        if ending == .timedOut || ending == .cancelled { terminateGroup(pid) }
        // The leader has exited but is not reaped yet, so its group id cannot be reused:
        // clear out anything it left running, then reap it.
        kill(-pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return Result(ending: ending, stdout: output, stderrTail: Array(errors.suffix(Self.stderrTailBytes)))
    }

    /// SIGTERM to the group, then SIGKILL if the leader has not exited within the grace time.
    private func terminateGroup(_ pid: pid_t) {
        kill(-pid, SIGTERM)
        let giveUp = Self.now() + Self.terminationGraceSeconds
        while Self.now() < giveUp {
            if Self.exitStatus(of: pid, waiting: false) != nil { return }
            usleep(10_000)
        }
        kill(-pid, SIGKILL)
        _ = Self.exitStatus(of: pid, waiting: true)
    }

    /// The leader's exit, observed without reaping it (`waitid` with `WNOWAIT`).
    private static func exitStatus(of pid: pid_t, waiting: Bool) -> Ending? {
        var info = siginfo_t()
        let flags = WEXITED | WNOWAIT | (waiting ? 0 : WNOHANG)
        while waitid(P_PID, id_t(pid), &info, flags) < 0 {
            if errno != EINTR { return .signalled(SIGKILL) }
        }
        guard info._sifields._sigchld.si_pid == pid else { return nil }  // WNOHANG and still running
        let status = info._sifields._sigchld.si_status
        return info.si_code == CLD_EXITED ? .exited(status) : .signalled(status)
    }

    private static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}

/// A spawn that failed, with the `errno` that says why.
struct SpawnFailure: Error {
    var errno: Int32
    /// The C library's description of ``errno``.
    var reason: String { String(cString: strerror(errno)) }
}
