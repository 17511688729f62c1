internal import CSystemSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The one child-process type of the package: a program started from an argv array (no
/// shell) with `posix_spawn`, in a process group (or session) of its own, talked to through
/// close-on-exec pipes, and always reaped.
///
/// - Pipes are made with `pipe2(O_CLOEXEC)`, so a child that another thread spawns at the
///   same moment never inherits an end (which would keep a pipe open after its owner closed
///   it).
/// - The child leads its own process group (``Grouping/processGroup``) or session
///   (``Grouping/session``), so a timeout, ``terminate(graceSeconds:)`` and `deinit` reach
///   whatever it started as well.
/// - With `killWithParent` the child runs under `setpriv --pdeathsig KILL` (util-linux), so
///   the kernel kills it when the spawning thread dies, even by SIGKILL. The signal follows
///   the *thread* that spawned the child: spawn from a thread that lives as long as the
///   child (Docs/ENGINES.md explains the choice).
/// - Standard error, when piped, is drained whenever the parent waits, so a chatty child
///   never blocks on a full pipe; its last lines are kept (``stderrTail``) and each line can
///   go to a log (`stderrLine`).
///
/// The parent ignores `SIGPIPE` once a child with a piped standard input exists, so a child
/// that dies while a request is written makes ``write(_:)`` throw instead of killing the
/// parent. Children get `SIGPIPE`, `SIGINT`, `SIGTERM` and `SIGHUP` back at their defaults
/// and an empty signal mask.
///
/// An instance belongs to one thread at a time; `deinit` kills the group and reaps the child
/// unless it was ``detach()``ed.
public final class ChildProcess {
    /// Where one of the child's standard streams goes.
    public enum Stream: Sendable, Hashable {
        /// `/dev/null`.
        case null
        /// A pipe to the parent.
        case pipe
        /// A file, created if needed and appended to.
        case appendToFile(String)
    }

    /// Whom a timeout or termination signal reaches.
    public enum Grouping: Sendable, Hashable {
        /// A new process group led by the child.
        case processGroup
        /// A new session (and group) led by the child, detached from the terminal.
        case session
    }

    /// How a child ended.
    public enum Termination: Sendable, Hashable, CustomStringConvertible {
        /// It exited with this status.
        case exited(Int32)
        /// It was killed by this signal.
        case signalled(Int32)

        /// "exited with status 3" or "was killed by signal 9".
        public var description: String {
            switch self {
            case .exited(let status): "exited with status \(status)"
            case .signalled(let signal): "was killed by signal \(signal)"
            }
        }
    }

    /// The child's process id (also its process group id).
    public let pid: Int32
    /// The program as given (the first argv element), for messages.
    public let program: String
    /// How many of the last standard-error lines are kept.
    public let stderrTailLimit: Int

    private var input: Int32
    private var output: Int32
    private var errors: Int32
    private var pendingOutput: [UInt8] = []
    private var partialErrorLine: [UInt8] = []
    private var errorLines: [String] = []
    private let stderrLine: ((String) -> Void)?
    private var ended: Termination?
    private var detached = false

    /// The longest standard-error line kept whole; longer ones are cut into pieces.
    static let stderrLineLimit = 4_096
    /// How often cancellation is checked while waiting.
    static let pollMilliseconds: Int32 = 20

    // MARK: - Starting

    /// Starts a program.
    ///
    /// The corresponding C function is `posix_spawn`.
    /// - Parameters:
    ///   - arguments: argv; the first element is the program, looked up on `searchPath`
    ///     unless it holds a `/`.
    ///   - environment: The child's environment; `nil` inherits the parent's.
    ///   - standardInput: `.null` or `.pipe` (then ``write(_:)`` and ``closeInput()``).
    ///   - standardOutput: Where standard output goes; `.pipe` for ``readLine(maxBytes:timeoutSeconds:)``
    ///     and ``read(into:count:)``.
    ///   - standardError: Where standard error goes; `.pipe` keeps ``stderrTail``. The same
    ///     `.appendToFile` path as `standardOutput` shares its descriptor.
    ///   - grouping: A new process group (default) or a new session.
    ///   - killWithParent: Run the child under `setpriv --pdeathsig KILL` when util-linux's
    ///     `setpriv` is installed, so it dies with the spawning thread.
    ///   - closeOtherDescriptors: Close every descriptor above 2 in the child, including ones
    ///     other code opened without close-on-exec (for detached jobs).
    ///   - searchPath: Folders separated by `:`; `nil` uses the `PATH` environment variable.
    ///   - stderrTailLimit: How many standard-error lines ``stderrTail`` keeps.
    ///   - stderrLine: Called with each standard-error line as it is drained (for a log).
    /// - Throws: `ChildProcessError.Code.notFound` when the program is not installed or not
    ///   executable; `ChildProcessError.Code.spawnFailed` when a pipe or the spawn fails.
    public init(
        arguments: [String], environment: [String: String]? = nil, standardInput: Stream = .null,
        standardOutput: Stream = .pipe, standardError: Stream = .pipe, grouping: Grouping = .processGroup,
        killWithParent: Bool = false, closeOtherDescriptors: Bool = false, searchPath: String? = nil,
        stderrTailLimit: Int = 20, stderrLine: ((String) -> Void)? = nil
    ) throws(ChildProcessError) {
        let program = arguments.first ?? ""
        guard let executable = Self.find(program, in: searchPath) else {
            throw ChildProcessError(.notFound, program: program, "is not installed, not on PATH, or not executable")
        }
        var argv = [executable] + arguments.dropFirst()
        if killWithParent, let setpriv = Self.setpriv {
            argv = [setpriv, "--pdeathsig", "KILL", "--"] + argv
        }
        if standardInput == .pipe { _ = Self.ignoreBrokenPipes }

        var ends = Ends()
        defer { ends.closeChildSide() }
        do throws(ChildProcessError) {
            try ends.make(standardInput, standardOutput, standardError, program: program)
            pid = try Self.spawn(
                argv, environment: environment, ends: ends, standardInput: standardInput,
                standardOutput: standardOutput, standardError: standardError, grouping: grouping,
                closeOtherDescriptors: closeOtherDescriptors, program: program)
        } catch {
            ends.closeParentSide()
            throw error
        }
        self.program = program
        self.stderrTailLimit = max(1, stderrTailLimit)
        self.stderrLine = stderrLine
        input = ends.parent.0
        output = ends.parent.1
        errors = ends.parent.2
    }

    deinit {
        if !detached && ended == nil {
            kill(-pid, SIGKILL)
            reap()
        }
        closeAll()
    }

    /// Finds an executable.
    /// - Parameters:
    ///   - name: A program name, or a path when it holds a `/`.
    ///   - searchPath: Folders separated by `:`; `nil` uses the `PATH` environment variable.
    /// - Returns: Its path, or `nil` when it is not installed or not executable.
    public static func find(_ name: String, in searchPath: String? = nil) -> String? {
        guard !name.isEmpty else { return nil }
        if name.contains("/") { return isExecutableFile(name) ? name : nil }
        let folders = searchPath ?? getenv("PATH").map { String(cString: $0) } ?? "/usr/bin:/bin"
        for folder in folders.split(separator: ":") {
            let candidate = "\(folder)/\(name)"
            if isExecutableFile(candidate) { return candidate }
        }
        return nil
    }

    private static func isExecutableFile(_ path: String) -> Bool {
        var info = stat()
        return access(path, X_OK) == 0 && stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// util-linux's `setpriv`, when installed.
    static let setpriv: String? = find("setpriv", in: "/usr/bin:/bin:/usr/sbin:/sbin")

    /// Ignores `SIGPIPE` in this process, once.
    private static let ignoreBrokenPipes: Void = { signal(SIGPIPE, SIG_IGN) }()

    /// The pipe ends of one spawn: the parent keeps `parent`, the child gets `child`.
    private struct Ends {
        var parent: (Int32, Int32, Int32) = (-1, -1, -1)
        var child: (Int32, Int32, Int32) = (-1, -1, -1)

        mutating func make(_ stdin: Stream, _ stdout: Stream, _ stderr: Stream, program: String) throws(ChildProcessError) {
            if stdin == .pipe { (child.0, parent.0) = try Self.pipe(program) }
            if stdout == .pipe { (parent.1, child.1) = try Self.pipe(program) }
            if stderr == .pipe { (parent.2, child.2) = try Self.pipe(program) }
        }

        /// (read end, write end), both close-on-exec.
        private static func pipe(_ program: String) throws(ChildProcessError) -> (Int32, Int32) {
            var fds: [Int32] = [-1, -1]
            guard speechprep_pipe_cloexec(&fds) == 0 else {
                throw ChildProcessError(.spawnFailed, program: program, "cannot make a pipe: \(describe(errno))", errno: errno)
            }
            return (fds[0], fds[1])
        }

        mutating func closeChildSide() {
            for fd in [child.0, child.1, child.2] where fd >= 0 { close(fd) }
            child = (-1, -1, -1)
        }

        mutating func closeParentSide() {
            for fd in [parent.0, parent.1, parent.2] where fd >= 0 { close(fd) }
            parent = (-1, -1, -1)
        }
    }

    private static func spawn(
        _ argv: [String], environment: [String: String]?, ends: Ends, standardInput: Stream,
        standardOutput: Stream, standardError: Stream, grouping: Grouping, closeOtherDescriptors: Bool,
        program: String
    ) throws(ChildProcessError) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        let streams = [(standardInput, ends.child.0), (standardOutput, ends.child.1), (standardError, ends.child.2)]
        for (target, (stream, pipeEnd)) in streams.enumerated() {
            let descriptor = Int32(target)
            switch stream {
            case .null:
                posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", target == 0 ? O_RDONLY : O_WRONLY, 0)
            case .pipe:
                posix_spawn_file_actions_adddup2(&actions, pipeEnd, descriptor)
            case .appendToFile(let path):
                if target == 2, standardOutput == stream {
                    posix_spawn_file_actions_adddup2(&actions, 1, 2)
                } else {
                    posix_spawn_file_actions_addopen(
                        &actions, descriptor, path, target == 0 ? O_RDONLY : O_WRONLY | O_CREAT | O_APPEND, 0o644)
                }
            }
        }
        if closeOtherDescriptors { speechprep_spawn_addclosefrom(&actions, 3) }

        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        var flags = Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)
        switch grouping {
        case .processGroup:
            posix_spawnattr_setpgroup(&attributes, 0)
            flags |= Int16(POSIX_SPAWN_SETPGROUP)
        case .session:
            flags |= speechprep_spawn_setsid_flag()
        }
        posix_spawnattr_setflags(&attributes, flags)

        let cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        let cEnvironment: [UnsafeMutablePointer<CChar>?]? = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer {
            cArguments.forEach { free($0) }
            cEnvironment?.forEach { free($0) }
        }
        var pid: pid_t = 0
        let status = cArguments.withUnsafeBufferPointer { argvPointer in
            if let cEnvironment {
                return cEnvironment.withUnsafeBufferPointer { envPointer in
                    posix_spawn(&pid, argv[0], &actions, &attributes, argvPointer.baseAddress!, envPointer.baseAddress!)
                }
            }
            return posix_spawn(&pid, argv[0], &actions, &attributes, argvPointer.baseAddress!, environ)
        }
        guard status == 0 else {
            throw ChildProcessError(.spawnFailed, program: program, "cannot be started: \(describe(status))", errno: status)
        }
        return pid
    }

    // MARK: - Talking to the child

    /// Writes bytes to the child's standard input, all of them.
    ///
    /// The corresponding C function is `write`.
    /// - Parameter bytes: What to write.
    /// - Throws: `ChildProcessError.Code.endOfOutput` when the child closed its input
    ///   (usually: it exited); `ChildProcessError.Code.ioFailed` for other failures.
    public func write(_ bytes: [UInt8]) throws(ChildProcessError) {
        guard input >= 0 else { throw ChildProcessError(.endOfOutput, program: program, "its standard input is closed") }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(input, $0.baseAddress! + written, $0.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                let code: ChildProcessError.Code = errno == EPIPE ? .endOfOutput : .ioFailed
                throw ChildProcessError(code, program: program, "stopped reading its input: \(Self.describe(errno))", errno: errno)
            }
            written += n
        }
    }

    /// Closes the child's standard input, which tells a well-behaved worker to exit.
    public func closeInput() {
        if input >= 0 { close(input) }
        input = -1
    }

    /// Reads one line of standard output (without its `\n`), draining standard error while
    /// it waits.
    /// - Parameters:
    ///   - maxBytes: The longest line accepted.
    ///   - timeoutSeconds: How long to wait for the whole line.
    /// - Returns: The line, decoded as UTF-8 (invalid bytes become U+FFFD).
    /// - Throws: `ChildProcessError.Code.timedOut`, `ChildProcessError.Code.cancelled`
    ///   (the surrounding task was cancelled), `ChildProcessError.Code.endOfOutput` (the
    ///   output ended first; a partial last line is part of the message),
    ///   `ChildProcessError.Code.lineTooLong`, or `ChildProcessError.Code.ioFailed`.
    public func readLine(maxBytes: Int, timeoutSeconds: Double) throws(ChildProcessError) -> String {
        let deadline = Self.now() + timeoutSeconds
        var searched = 0
        while true {
            if let newline = pendingOutput[searched...].firstIndex(of: UInt8(ascii: "\n")), newline <= maxBytes {
                let line = String(decoding: pendingOutput[..<newline], as: UTF8.self)
                pendingOutput.removeSubrange(...newline)
                return line
            }
            searched = pendingOutput.count
            if pendingOutput.count > maxBytes {
                pendingOutput = []
                throw ChildProcessError(.lineTooLong, program: program, "wrote a line longer than \(maxBytes) bytes")
            }
            guard output >= 0 else {
                let partial = pendingOutput.isEmpty ? "" : " (an unfinished line: \(Self.excerpt(pendingOutput)))"
                pendingOutput = []
                throw ChildProcessError(.endOfOutput, program: program, "closed its output\(partial)")
            }
            try waitForOutput(until: deadline, cancellable: true)
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let n = try readOutput(into: &chunk)
            pendingOutput.append(contentsOf: chunk[0..<n])
        }
    }

    /// Reads from standard output until `count` bytes arrive or it ends, draining standard
    /// error while it waits.
    /// - Parameters:
    ///   - destination: Room for `count` bytes.
    ///   - count: The bytes wanted.
    /// - Returns: The bytes read; fewer than `count` only at the end of the output.
    /// - Throws: `ChildProcessError.Code.ioFailed` when the pipe fails.
    public func read(into destination: UnsafeMutableRawPointer, count: Int) throws(ChildProcessError) -> Int {
        var filled = min(count, pendingOutput.count)
        if filled > 0 {
            pendingOutput.withUnsafeBytes { destination.copyMemory(from: $0.baseAddress!, byteCount: filled) }
            pendingOutput.removeFirst(filled)
        }
        while filled < count, output >= 0 {
            try waitForOutput(until: .infinity, cancellable: false)
            let n = try readOutput(into: UnsafeMutableRawBufferPointer(start: destination + filled, count: count - filled))
            filled += n
        }
        return filled
    }

    /// The last lines the child wrote to standard error (when it was piped), oldest first.
    public var stderrTail: [String] {
        let lines = partialErrorLine.isEmpty ? errorLines : errorLines + [Self.text(partialErrorLine)]
        return Array(lines.suffix(stderrTailLimit))
    }

    // MARK: - Ending

    /// How the child ended, once it was reaped (by ``wait(timeoutSeconds:)`` or
    /// ``terminate(graceSeconds:)``).
    public var termination: Termination? { ended }

    /// Whether the child has exited (without reaping it).
    public var hasExited: Bool { ended != nil || peekExit(waiting: false) != nil }

    /// Waits for the child to exit, draining standard error, then kills what is left of its
    /// group and reaps it.
    ///
    /// The corresponding C functions are `waitid` and `waitpid`.
    /// - Parameter timeoutSeconds: How long to wait; `nil` waits as long as it takes.
    /// - Returns: How it ended, or `nil` when the deadline passed first (it still runs).
    @discardableResult
    public func wait(timeoutSeconds: Double? = nil) -> Termination? {
        if let ended { return ended }
        let deadline = Self.now() + (timeoutSeconds ?? .infinity)
        // The exit is usually a moment away: look again after 1 ms, backing off to 20 ms.
        var backoffMilliseconds = 1.0
        while true {
            if peekExit(waiting: false) != nil { return reap() }
            let remaining = deadline - Self.now()
            if remaining <= 0 { return nil }
            let slice = Int32(min(remaining * 1_000 + 1, backoffMilliseconds))
            if errors >= 0 {
                var fds = [pollfd(fd: errors, events: Int16(POLLIN), revents: 0)]
                if poll(&fds, 1, slice) > 0 { drainErrors() }
            } else {
                usleep(UInt32(slice) * 1_000)
            }
            backoffMilliseconds = min(2 * backoffMilliseconds, Double(Self.pollMilliseconds))
        }
    }

    /// Ends the child: SIGTERM to its group, SIGKILL after `graceSeconds`, then reaps it.
    /// - Parameter graceSeconds: How long the group gets to exit after SIGTERM.
    /// - Returns: How the child ended.
    @discardableResult
    public func terminate(graceSeconds: Double = 1) -> Termination {
        if let ended { return ended }
        closeInput()
        kill(-pid, SIGTERM)
        if let ending = wait(timeoutSeconds: graceSeconds) { return ending }
        kill(-pid, SIGKILL)
        return wait() ?? .signalled(SIGKILL)
    }

    /// Lets the child run on after this instance is released (a detached job): closes the
    /// parent's pipe ends and never signals or reaps it.
    /// - Returns: The child's process id.
    @discardableResult
    public func detach() -> Int32 {
        detached = true
        closeAll()
        return pid
    }

    // MARK: - Running to the end

    /// What ``run(_:timeoutSeconds:outputLimit:killWithParent:)`` saw.
    public struct Outcome: Sendable {
        /// How the child ended; `nil` when it timed out or was cancelled and was killed.
        public var termination: Termination?
        /// Whether it ran past its deadline (its group was killed).
        public var timedOut: Bool
        /// Whether the surrounding task was cancelled (its group was killed).
        public var cancelled: Bool
        /// Its standard output, up to the limit.
        public var output: [UInt8]
        /// Its last standard-error lines.
        public var stderrTail: [String]
    }

    /// Runs a program to its end with standard input from `/dev/null`, collecting its
    /// output, and kills its group on timeout or task cancellation.
    /// - Parameters:
    ///   - arguments: argv (see ``init(arguments:environment:standardInput:standardOutput:standardError:grouping:killWithParent:closeOtherDescriptors:searchPath:stderrTailLimit:stderrLine:)``).
    ///   - timeoutSeconds: The most it may take.
    ///   - outputLimit: Bytes of standard output kept; the rest is read and dropped.
    ///   - killWithParent: Kill it when the calling thread dies.
    /// - Returns: How it ended and what it wrote.
    /// - Throws: ``ChildProcessError`` when it cannot be started.
    public static func run(
        _ arguments: [String], timeoutSeconds: Double = .infinity, outputLimit: Int = 16 << 20,
        killWithParent: Bool = false
    ) throws(ChildProcessError) -> Outcome {
        let child = try ChildProcess(arguments: arguments, killWithParent: killWithParent)
        let deadline = now() + timeoutSeconds
        var collected: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        var outcome = Outcome(termination: nil, timedOut: false, cancelled: false, output: [], stderrTail: [])
        // Something the program started may hold its output open after it exited: then read
        // what is there, briefly, and stop.
        var drainDeadline = Double.infinity
        do throws(ChildProcessError) {
            while child.output >= 0 {
                let moment = now()
                if moment >= deadline { throw ChildProcessError(.timedOut, program: child.program, "timed out") }
                if moment >= drainDeadline { break }
                if drainDeadline == .infinity, child.peekExit(waiting: false) != nil { drainDeadline = moment + 0.1 }
                do {
                    try child.waitForOutput(until: min(deadline, drainDeadline, moment + 0.05), cancellable: true)
                } catch where error.code == .timedOut {
                    continue
                }
                let n = try child.readOutput(into: &chunk)
                if collected.count < outputLimit { collected.append(contentsOf: chunk[0..<min(n, outputLimit - collected.count)]) }
            }
            outcome.termination = child.wait(timeoutSeconds: max(0, deadline - now()))
            if outcome.termination == nil { throw ChildProcessError(.timedOut, program: child.program, "timed out") }
        } catch {
            outcome.timedOut = error.code == .timedOut
            outcome.cancelled = error.code == .cancelled
            child.terminate()
        }
        outcome.output = collected
        outcome.stderrTail = child.stderrTail
        return outcome
    }

    // MARK: - Internals

    /// Polls standard output and error until output is readable (or hung up), draining
    /// standard error meanwhile.
    private func waitForOutput(until deadline: Double, cancellable: Bool) throws(ChildProcessError) {
        while true {
            if cancellable && Task.isCancelled {
                throw ChildProcessError(.cancelled, program: program, "the wait was cancelled")
            }
            let remaining = deadline - Self.now()
            if remaining <= 0 { throw ChildProcessError(.timedOut, program: program, "did not answer in time") }
            var fds = [pollfd(fd: output, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: errors, events: Int16(POLLIN), revents: 0)]
            // Wake up now and then to notice cancellation.
            let slice = Int32(min(remaining * 1_000 + 1, cancellable ? Double(Self.pollMilliseconds) : 1_000))
            let ready = poll(&fds, 2, slice)
            if ready < 0 && errno != EINTR {
                throw ChildProcessError(.ioFailed, program: program, "poll failed: \(Self.describe(errno))", errno: errno)
            }
            if fds[1].revents != 0 { drainErrors() }
            if fds[0].revents != 0 { return }
        }
    }

    /// One `read` from standard output; 0 (and the descriptor closed) at its end.
    private func readOutput(into buffer: UnsafeMutableRawBufferPointer) throws(ChildProcessError) -> Int {
        while true {
            let n = Glibc.read(output, buffer.baseAddress, buffer.count)
            if n > 0 { return n }
            if n < 0 && errno == EINTR { continue }
            if n < 0 && errno != EAGAIN {
                throw ChildProcessError(.ioFailed, program: program, "reading its output failed: \(Self.describe(errno))", errno: errno)
            }
            close(output)
            output = -1
            return 0
        }
    }

    private func readOutput(into chunk: inout [UInt8]) throws(ChildProcessError) -> Int {
        let result = chunk.withUnsafeMutableBytes { buffer in
            Swift.Result { () throws(ChildProcessError) -> Int in try readOutput(into: buffer) }
        }
        return try result.get()
    }

    /// Reads what standard error holds now and files it into lines.
    private func drainErrors() {
        var chunk = [UInt8](repeating: 0, count: 16_384)
        let n = chunk.withUnsafeMutableBytes { Glibc.read(errors, $0.baseAddress, $0.count) }
        if n < 0 && errno == EINTR { return }
        guard n > 0 else {
            close(errors)
            errors = -1
            if !partialErrorLine.isEmpty { fileErrorLine(partialErrorLine) }
            partialErrorLine = []
            return
        }
        for byte in chunk[0..<n] {
            if byte == UInt8(ascii: "\n") || partialErrorLine.count >= Self.stderrLineLimit {
                fileErrorLine(partialErrorLine)
                partialErrorLine = byte == UInt8(ascii: "\n") ? [] : [byte]
            } else {
                partialErrorLine.append(byte)
            }
        }
    }

    private func fileErrorLine(_ bytes: [UInt8]) {
        let line = Self.text(bytes)
        stderrLine?(line)
        errorLines.append(line)
        if errorLines.count >= 2 * stderrTailLimit { errorLines.removeFirst(errorLines.count - stderrTailLimit) }
    }

    /// The child's exit, observed without reaping it (`waitid` with `WNOWAIT`).
    private func peekExit(waiting: Bool) -> Termination? {
        var info = siginfo_t()
        let flags = WEXITED | WNOWAIT | (waiting ? 0 : WNOHANG)
        while waitid(P_PID, id_t(pid), &info, flags) < 0 {
            if errno != EINTR { return .signalled(SIGKILL) }
        }
        guard info._sifields._sigchld.si_pid == pid else { return nil }
        let status = info._sifields._sigchld.si_status
        return info.si_code == CLD_EXITED ? .exited(status) : .signalled(status)
    }

    /// Kills what the child left running in its group, then reaps it. The child has exited
    /// (or was SIGKILLed) but is not reaped yet, so its group id cannot have been reused.
    @discardableResult
    private func reap() -> Termination {
        if let ended { return ended }
        if errors >= 0 {
            // What it wrote just before exiting is usually the reason it exited.
            var fds = [pollfd(fd: errors, events: Int16(POLLIN), revents: 0)]
            var rounds = 0
            while errors >= 0, rounds < 64, poll(&fds, 1, 0) > 0 {
                drainErrors()
                fds[0].fd = errors
                rounds += 1
            }
        }
        let ending = peekExit(waiting: true) ?? .signalled(SIGKILL)
        kill(-pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        ended = ending
        return ending
    }

    private func closeAll() {
        for fd in [input, output, errors] where fd >= 0 { close(fd) }
        (input, output, errors) = (-1, -1, -1)
    }

    private static func text(_ bytes: [UInt8]) -> String {
        var line = String(decoding: bytes, as: UTF8.self)
        if line.hasSuffix("\r") { line.removeLast() }
        return line
    }

    private static func excerpt(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes.prefix(200), as: UTF8.self)
        return bytes.count > 200 ? "\(text)…" : text
    }

    static func describe(_ code: Int32) -> String { String(cString: strerror(code)) }

    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
