public import Foundation

/// One process as `ps aux` shows it.
public struct ProcessRecord: Hashable, Sendable {
    /// The process id.
    public var pid: Int32
    /// The parent's process id.
    public var ppid: Int32
    /// The effective user id (the owner of `/proc/<pid>`).
    public var uid: UInt32
    /// The user's login name, or the numeric id when the user database has no entry.
    public var user: String
    /// The scheduler state.
    public var state: ProcessState
    /// The `STAT` flags that follow the state letter.
    public var flags: ProcessFlags
    /// The nice value (−20 … 19).
    public var nice: Int
    /// The number of threads.
    public var threadCount: Int
    /// The process group id.
    public var processGroup: Int32
    /// The session id.
    public var session: Int32
    /// CPU time used divided by time alive, in percent, as `ps` computes it (whole seconds
    /// alive, tenths of a percent, truncated). Can exceed 100 for multi-threaded processes.
    public var cpuPercent: Double
    /// Resident memory as a share of `MemTotal`, in percent, truncated to tenths as `ps`.
    public var memPercent: Double
    /// Virtual memory size in KiB (`VSZ`).
    public var vszKiB: Int
    /// Resident set size in KiB (`RSS`).
    public var rssKiB: Int
    /// The controlling terminal (`pts/0`, `tty1`), or `nil` when there is none (`?`).
    public var tty: String?
    /// When the process started.
    public var start: Date
    /// User plus system CPU time.
    public var cpuTime: Duration
    /// The command name the kernel keeps (at most 15 bytes, `comm`).
    public var command: String
    /// The argument vector, or `nil` when it could not be read; empty for kernel threads and
    /// zombies.
    public var arguments: [String]? {
        get {
            guard let argumentText else { return nil }
            if argumentText.isEmpty { return [] }
            return argumentText.split(separator: "\0", omittingEmptySubsequences: false).map(String.init)
        }
        set { argumentText = newValue?.joined(separator: "\0") }
    }

    /// The arguments as the kernel keeps them, separated by NUL: one allocation per process
    /// instead of one per argument.
    private var argumentText: String?

    /// Creates a record.
    /// - Parameters:
    ///   - pid: The process id.
    ///   - ppid: The parent's id.
    ///   - uid: The effective user id.
    ///   - user: The user name.
    ///   - state: The scheduler state.
    ///   - flags: The `STAT` flags.
    ///   - nice: The nice value.
    ///   - threadCount: The number of threads.
    ///   - processGroup: The process group id.
    ///   - session: The session id.
    ///   - cpuPercent: `%CPU`.
    ///   - memPercent: `%MEM`.
    ///   - vszKiB: Virtual size in KiB.
    ///   - rssKiB: Resident size in KiB.
    ///   - tty: The controlling terminal.
    ///   - start: The start time.
    ///   - cpuTime: CPU time used.
    ///   - command: The kernel's command name.
    ///   - arguments: The argument vector.
    public init(
        pid: Int32, ppid: Int32, uid: UInt32, user: String, state: ProcessState, flags: ProcessFlags,
        nice: Int, threadCount: Int, processGroup: Int32, session: Int32, cpuPercent: Double,
        memPercent: Double, vszKiB: Int, rssKiB: Int, tty: String?, start: Date, cpuTime: Duration,
        command: String, arguments: [String]?
    ) {
        self.init(
            pid: pid, ppid: ppid, uid: uid, user: user, state: state, flags: flags, nice: nice,
            threadCount: threadCount, processGroup: processGroup, session: session, cpuPercent: cpuPercent,
            memPercent: memPercent, vszKiB: vszKiB, rssKiB: rssKiB, tty: tty, start: start, cpuTime: cpuTime,
            command: command, argumentText: arguments?.joined(separator: "\0"))
    }

    /// Creates a record from the NUL-separated arguments read from `/proc/<pid>/cmdline`.
    init(
        pid: Int32, ppid: Int32, uid: UInt32, user: String, state: ProcessState, flags: ProcessFlags,
        nice: Int, threadCount: Int, processGroup: Int32, session: Int32, cpuPercent: Double,
        memPercent: Double, vszKiB: Int, rssKiB: Int, tty: String?, start: Date, cpuTime: Duration,
        command: String, argumentText: String?
    ) {
        self.pid = pid
        self.ppid = ppid
        self.uid = uid
        self.user = user
        self.state = state
        self.flags = flags
        self.nice = nice
        self.threadCount = threadCount
        self.processGroup = processGroup
        self.session = session
        self.cpuPercent = cpuPercent
        self.memPercent = memPercent
        self.vszKiB = vszKiB
        self.rssKiB = rssKiB
        self.tty = tty
        self.start = start
        self.cpuTime = cpuTime
        self.command = command
        self.argumentText = argumentText
    }

    /// The `STAT` column: state letter followed by the flags, e.g. `Ssl+`.
    public var stat: String { String(state.rawValue) + flags.letters }

    /// The full command line as `ps` prints it: the arguments joined by spaces, or the
    /// command name in brackets (`[kworker/0:1]`) when there are none. As in procps 4, a
    /// newline shows as a space and other control characters as `?`, so it is one line.
    public var commandLine: String {
        guard let argumentText, !argumentText.isEmpty else { return "[\(command)]" }
        return String(
            argumentText.unicodeScalars.map { scalar -> Character in
                if scalar == "\0" || scalar == "\n" { return " " }
                return scalar.value < 0x20 || scalar.value == 0x7F ? "?" : Character(scalar)
            })
    }

    /// The text `pgrep -f` matches against: the arguments joined by spaces, or the command
    /// name when there are none.
    var matchableCommandLine: String {
        guard let argumentText, !argumentText.isEmpty else { return command }
        return String(argumentText.map { $0 == "\0" ? " " : $0 })
    }
}

/// A process's scheduler state, the first letter of `ps`'s `STAT` column.
public struct ProcessState: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
    /// The letter the kernel reports.
    public var rawValue: Character
    /// Creates a state from its letter.
    /// - Parameter rawValue: The letter from `/proc/<pid>/stat`.
    public init(rawValue: Character) { self.rawValue = rawValue }

    /// `R`: running or runnable.
    public static let running = Self(rawValue: "R")
    /// `S`: interruptible sleep, waiting for an event.
    public static let sleeping = Self(rawValue: "S")
    /// `D`: uninterruptible sleep, usually waiting for I/O.
    public static let diskSleep = Self(rawValue: "D")
    /// `T`: stopped by a job-control signal.
    public static let stopped = Self(rawValue: "T")
    /// `t`: stopped by a debugger.
    public static let tracingStop = Self(rawValue: "t")
    /// `Z`: exited but not yet reaped by its parent (defunct).
    public static let zombie = Self(rawValue: "Z")
    /// `I`: an idle kernel thread.
    public static let idle = Self(rawValue: "I")
    /// `X`: dead, about to disappear.
    public static let dead = Self(rawValue: "X")

    /// What the letter means, in words.
    public var meaning: String {
        switch self {
        case .running: "running or runnable"
        case .sleeping: "interruptible sleep (waiting for an event)"
        case .diskSleep: "uninterruptible sleep (usually I/O)"
        case .stopped: "stopped by job control"
        case .tracingStop: "stopped by a debugger"
        case .zombie: "defunct (exited, not reaped by its parent)"
        case .idle: "idle kernel thread"
        case .dead: "dead"
        default: "unknown state \(rawValue)"
        }
    }

    /// The letter, as `ps` prints it.
    public var description: String { String(rawValue) }
}

/// The `STAT` letters after the state that can be derived from `/proc/<pid>/stat`.
public struct ProcessFlags: OptionSet, Hashable, Sendable {
    /// The flags as bits.
    public var rawValue: UInt8
    /// Creates flags from bits.
    /// - Parameter rawValue: The bits.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// `<`: raised priority (negative nice).
    public static let highPriority = Self(rawValue: 1 << 0)
    /// `N`: lowered priority (positive nice).
    public static let lowPriority = Self(rawValue: 1 << 1)
    /// `s`: a session leader.
    public static let sessionLeader = Self(rawValue: 1 << 2)
    /// `l`: multi-threaded.
    public static let multiThreaded = Self(rawValue: 1 << 3)
    /// `+`: in the foreground process group of its terminal.
    public static let foreground = Self(rawValue: 1 << 4)

    /// The letters in the order `ps` prints them.
    public var letters: String {
        var text = ""
        if contains(.highPriority) { text += "<" }
        if contains(.lowPriority) { text += "N" }
        if contains(.sessionLeader) { text += "s" }
        if contains(.multiThreaded) { text += "l" }
        if contains(.foreground) { text += "+" }
        return text
    }
}

/// The signals ``ProcFS/signal(_:to:)`` sends.
public enum ProcessSignal: String, CaseIterable, Sendable {
    /// `SIGTERM`: ask the process to end.
    case terminate = "TERM"
    /// `SIGINT`: as Ctrl-C.
    case interrupt = "INT"
    /// `SIGKILL`: end the process at once; it cannot be caught.
    case kill = "KILL"
    /// `SIGSTOP`: pause the process; it cannot be caught.
    case stop = "STOP"
    /// `SIGCONT`: resume a paused process.
    case `continue` = "CONT"
    /// `SIGHUP`: the terminal hung up; many daemons reload their settings.
    case hangup = "HUP"
}
