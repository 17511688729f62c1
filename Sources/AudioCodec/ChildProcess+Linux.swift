#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A child process started from an argv array (no shell) whose standard output is read
/// through a pipe; killed and reaped when closed or released.
///
/// Standard error goes to an unlinked temporary file, so a chatty child can never block on a
/// full pipe, and its last lines are available for error messages.
final class ChildProcess {
    /// The child's process id.
    let pid: pid_t
    private var outputDescriptor: Int32
    private var errorDescriptor: Int32
    private var exitStatus: Int32?

    /// Finds an executable on a search path.
    /// - Parameters:
    ///   - name: The executable's name.
    ///   - searchPath: Folders separated by `:`; `nil` means the `PATH` environment variable.
    /// - Returns: Its absolute path, or `nil` when not installed.
    static func find(_ name: String, in searchPath: String? = nil) -> String? {
        let folders = searchPath ?? getenv("PATH").map { String(cString: $0) } ?? "/usr/bin:/bin"
        for folder in folders.split(separator: ":") {
            let candidate = "\(folder)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    /// Starts a program. The corresponding C function is `posix_spawn`.
    /// - Parameters:
    ///   - executable: The program's absolute path.
    ///   - arguments: argv, starting with the program's name.
    ///   - subject: The file concerned, for messages.
    /// - Throws: ``CodecError/Code/readFailed`` when the process cannot be started.
    init(executable: String, arguments: [String], subject: String) throws(CodecError) {
        // Both descriptors are created close-on-exec in one step, so a child that another
        // thread spawns at the same moment cannot inherit them and hold the pipe open.
        var pipeEnds: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0, &pipeEnds) == 0 else {
            throw CodecError.fromErrno(errno, path: subject, doing: "start a child process")
        }
        shutdown(pipeEnds[0], Int32(SHUT_WR))
        let errorPath = "/tmp/.speechprep-child-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        let errorFile = open(errorPath, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if errorFile >= 0 { unlink(errorPath) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errorFile >= 0 ? errorFile : pipeEnds[1], 2)

        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, executable, &actions, nil, &argv, environ)
        close(pipeEnds[1])
        guard status == 0 else {
            close(pipeEnds[0])
            if errorFile >= 0 { close(errorFile) }
            throw CodecError(.readFailed, subject: subject, "could not start \(executable): \(String(cString: strerror(status)))")
        }
        pid = child
        outputDescriptor = pipeEnds[0]
        errorDescriptor = errorFile
    }

    deinit { terminate() }

    /// Reads from the child's standard output until `count` bytes arrive or it ends.
    /// - Parameters:
    ///   - destination: Room for `count` bytes.
    ///   - count: The bytes wanted.
    /// - Returns: The bytes read; fewer than `count` only at the end of the output.
    /// - Throws: ``CodecError/Code/readFailed`` when the pipe fails.
    func read(into destination: UnsafeMutableRawPointer, count: Int, subject: String) throws(CodecError) -> Int {
        var filled = 0
        while filled < count, outputDescriptor >= 0 {
            let n = Glibc.read(outputDescriptor, destination + filled, count - filled)
            if n < 0, errno == EINTR { continue }
            if n < 0 { throw CodecError.fromErrno(errno, path: subject, doing: "read ffmpeg's output") }
            if n == 0 { break }
            filled += n
        }
        return filled
    }

    /// Waits for the child to exit. The corresponding C function is `waitpid`.
    /// - Returns: The exit status, or 128 + the signal number when it was killed.
    func wait() -> Int32 {
        if let exitStatus { return exitStatus }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        let code = status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        exitStatus = code
        return code
    }

    /// The last lines the child wrote to standard error.
    var errorOutput: String {
        guard errorDescriptor >= 0 else { return "" }
        var bytes = [UInt8](repeating: 0, count: 2048)
        let size = lseek(errorDescriptor, 0, SEEK_END)
        let start = max(0, Int(size) - bytes.count)
        let n = bytes.withUnsafeMutableBytes { pread(errorDescriptor, $0.baseAddress!, $0.count, off_t(start)) }
        return String(decoding: bytes.prefix(max(0, n)), as: UTF8.self)
            .split(separator: "\n").suffix(3).joined(separator: "; ")
    }

    /// Kills the child if it still runs, reaps it, and closes the pipes; safe to call twice.
    func terminate() {
        if outputDescriptor >= 0 {
            close(outputDescriptor)
            outputDescriptor = -1
        }
        if exitStatus == nil {
            kill(pid, SIGKILL)
            _ = wait()
        }
        if errorDescriptor >= 0 {
            close(errorDescriptor)
            errorDescriptor = -1
        }
    }
}
