#if os(Linux)
import Foundation
import SystemPackage
import SystemSupport

// MARK: - Memory

extension ProcFS {
    /// Reads `/proc/meminfo` and derives the figures `free` prints.
    /// - Returns: The machine's memory at this moment.
    /// - Throws: ``ProbeError`` `.unreadable` when the file cannot be read, `.malformed`
    ///   when it has no `MemTotal` line.
    public func systemMemory() throws(ProbeError) -> SystemMemory {
        let path = root + "/meminfo"
        let parsed = withSmallFile(path) { MeminfoValues.parse($0) }
        switch parsed {
        case .failure(let error):
            throw ProbeError(.unreadable, subject: path, "cannot read memory figures: \(error.description)", cause: error)
        case .success(nil):
            throw ProbeError(.malformed, subject: path, "has no MemTotal line")
        case .success(let values?):
            return SystemMemory(meminfo: values)
        }
    }

    /// Finds the calling process's control group and reads its memory limit and usage.
    /// - Returns: The group's figures, or `nil` when no cgroup memory accounting is visible.
    public func cgroupMemory() -> CgroupMemory? {
        guard let membership = try? String(contentsOfFile: root + "/self/cgroup", encoding: .utf8) else { return nil }
        var v2Path: String?, v1Path: String?
        for line in membership.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            if parts[0] == "0", parts[1].isEmpty { v2Path = String(parts[2]) }
            if parts[1].split(separator: ",").contains("memory") { v1Path = String(parts[2]) }
        }
        if let v2Path {
            for mount in [cgroupRoot, cgroupRoot + "/unified"] {
                let directory = mount + (v2Path == "/" ? "" : v2Path)
                let current = cgroupValue(directory + "/memory.current")
                let limit = cgroupValue(directory + "/memory.max")
                guard current.present || limit.present else { continue }
                return CgroupMemory(
                    version: .v2, directory: directory, limitBytes: limit.value, usageBytes: current.value,
                    peakBytes: cgroupValue(directory + "/memory.peak").value,
                    swapLimitBytes: cgroupValue(directory + "/memory.swap.max").value,
                    swapUsageBytes: cgroupValue(directory + "/memory.swap.current").value)
            }
        }
        if let v1Path {
            let directory = cgroupRoot + "/memory" + (v1Path == "/" ? "" : v1Path)
            let usage = cgroupValue(directory + "/memory.usage_in_bytes")
            guard usage.present else { return nil }
            let limit = cgroupValue(directory + "/memory.limit_in_bytes").value
            let both = cgroupValue(directory + "/memory.memsw.limit_in_bytes").value
            let bothUsage = cgroupValue(directory + "/memory.memsw.usage_in_bytes").value
            return CgroupMemory(
                version: .v1, directory: directory, limitBytes: limit, usageBytes: usage.value,
                peakBytes: cgroupValue(directory + "/memory.max_usage_in_bytes").value,
                swapLimitBytes: both.flatMap { b in limit.map { b - $0 } },
                swapUsageBytes: bothUsage.flatMap { b in usage.value.map { max(0, b - $0) } })
        }
        return nil
    }

    /// Reads a one-number cgroup file: absent, `max` (no value) or a byte count. The v1
    /// controller writes "no limit" as a number near 2^63.
    private func cgroupValue(_ path: String) -> (present: Bool, value: Int?) {
        switch withSmallFile(path, capacity: 64, { firstInteger($0) }) {
        case .failure: return (false, nil)
        case .success(let value?) where value < (1 << 62): return (true, Int(value))
        case .success: return (true, nil)
        }
    }

    /// The resident set size of a process now, from `/proc/<pid>/statm`.
    /// - Parameter pid: The process.
    /// - Returns: Bytes, or `nil` when the process is gone or the file unreadable.
    public func residentBytes(of pid: Int32) -> Int? {
        let pages = withSmallFile("\(root)/\(pid)/statm", capacity: 256) { firstInteger($0, skippingFields: 1) }
        return (try? pages.get())?.flatMap { Int($0) * System.pageSize }
    }

    /// The peak resident set size of a process (`VmHWM` in `/proc/<pid>/status`).
    /// - Parameter pid: The process.
    /// - Returns: Bytes, or `nil` when the process is gone or reports none (kernel threads).
    public func peakResidentBytes(of pid: Int32) -> Int? {
        let kib = withSmallFile("\(root)/\(pid)/status", capacity: 4096) { bytes -> Int64? in
            var peak: Int64?
            scanKeyedValues(bytes, keys: ["VmHWM"]) { _, value in peak = value }
            return peak
        }
        return (try? kib.get())?.flatMap { Int($0) * 1024 }
    }
}

// MARK: - Process table

extension ProcFS {
    /// Lists every process, reading `/proc/<pid>/stat`, `statm` and `cmdline` of each into
    /// a reused buffer.
    /// - Returns: One record per process in ascending pid order; processes that exit while
    ///   being read are left out.
    /// - Throws: ``ProbeError`` `.unreadable` when `/proc` cannot be listed.
    public func snapshot() throws(ProbeError) -> [ProcessRecord] {
        let directory = try ProcDirectory(root: root)
        var pids: [Int32] = []
        pids.reserveCapacity(512)
        try directory.forEachProcess { pids.append($0) }
        // One thread: the work is nearly all kernel time (open, generate, close), and
        // splitting it over worker threads measured slower and costlier on a busy 2-core
        // machine (see Docs/notes/probe.md).
        var reader = RecordReader(directory: directory, facts: MachineFacts(probe: self))
        var records = pids.compactMap { reader.read($0) }
        records.sort { $0.pid < $1.pid }
        return records
    }

    /// Reads one process.
    /// - Parameter pid: The process id.
    /// - Returns: Its record, or `nil` when there is no such process.
    public func record(pid: Int32) -> ProcessRecord? {
        guard let directory = try? ProcDirectory(root: root) else { return nil }
        var reader = RecordReader(directory: directory, facts: MachineFacts(probe: self))
        return reader.read(pid)
    }

    /// Finds processes by name, as `pgrep` does.
    ///
    /// The pattern is a POSIX extended regular expression matched anywhere in the kernel's
    /// 15-byte command name, or — with `fullCommandLine` (`pgrep -f`) — in the arguments
    /// joined by spaces (the command name for processes without arguments). The calling
    /// process is never returned.
    /// - Parameters:
    ///   - pattern: An extended regular expression.
    ///   - fullCommandLine: Match the whole command line instead of the name.
    /// - Returns: The matching processes in ascending pid order.
    /// - Throws: ``ProbeError`` `.invalidPattern` for a malformed expression, or the errors
    ///   of ``snapshot()``.
    public func find(named pattern: String, fullCommandLine: Bool = false) throws(ProbeError) -> [ProcessRecord] {
        let regex = try POSIXRegex(pattern)
        let me = System.processID
        return try snapshot().filter { record in
            record.pid != me && regex.matches(fullCommandLine ? record.matchableCommandLine : record.command)
        }
    }

    /// Sends a signal to a process, as `kill` does.
    /// - Parameters:
    ///   - signal: The signal.
    ///   - pid: The process id.
    /// - Throws: ``ProbeError`` `.noSuchProcess` when there is no such process,
    ///   `.permissionDenied` when the caller may not signal it.
    public func signal(_ signal: ProcessSignal, to pid: Int32) throws(ProbeError) {
        let subject = "process \(pid)"
        guard pid > 0 else {
            throw ProbeError(.noSuchProcess, subject: subject, "is not a single process id; refusing to signal a group")
        }
        switch System.sendSignal(signal.number, to: pid) {
        case nil: return
        case let error? where System.noSuchProcessErrors.contains(error):
            throw ProbeError(.noSuchProcess, subject: subject, "does not exist (it may have exited)", cause: error)
        case let error? where System.permissionErrors.contains(error):
            throw ProbeError(.permissionDenied, subject: subject, "may not be sent SIG\(signal.rawValue) by this user", cause: error)
        case let error?:
            throw ProbeError(.permissionDenied, subject: subject, "SIG\(signal.rawValue) failed: \(error)", cause: error)
        }
    }
}

/// What every record of one snapshot is computed against: uptime, boot time, total memory.
private struct MachineFacts: Sendable {
    let uptimeSeconds: Double
    let bootSeconds: Double
    let memoryTotalKiB: Int

    init(probe: ProcFS) {
        let procRoot = probe.root
        uptimeSeconds =
            (try? withSmallFile(procRoot + "/uptime", capacity: 128) { bytes -> Double? in
                var scanner = ByteScanner(bytes)
                return scanner.nextField().flatMap { Double(String(decoding: $0, as: UTF8.self)) }
            }.get()) ?? nil ?? 0
        bootSeconds = procRoot == "/proc" ? Self.bootSeconds : Self.readBootSeconds(procRoot)
        memoryTotalKiB = (try? probe.systemMemory().totalBytes / 1024) ?? 0
    }

    /// The boot time never changes, and `/proc/stat` is slow to generate: read it once.
    private static let bootSeconds = readBootSeconds("/proc")

    private static func readBootSeconds(_ procRoot: String) -> Double {
        let btime = withSmallFile(procRoot + "/stat", capacity: 64 * 1024) { bytes -> Int64? in
            var scanner = ByteScanner(bytes)
            while let field = scanner.nextField() {
                if field.elementsEqual("btime".utf8) { return scanner.nextInteger() }
            }
            return nil
        }
        return Double((try? btime.get()) ?? nil ?? 0)
    }
}

/// Reads the records of one thread of a snapshot, reusing one buffer for every file and
/// caching user names.
private struct RecordReader {
    let directory: ProcDirectory
    let buffer = ReadBuffer()
    var users: [UInt32: String] = [:]
    let facts: MachineFacts
    let ticksPerSecond = Double(System.clockTicksPerSecond)

    init(directory: ProcDirectory, facts: MachineFacts) {
        self.directory = directory
        self.facts = facts
    }

    mutating func read(_ pid: Int32) -> ProcessRecord? {
        let statRead = directory.read("stat", of: pid, into: buffer, owner: true)
        guard statRead.succeeded, let stat = ProcStat(buffer.prefix(statRead.count)) else { return nil }
        let owner = statRead.owner
        // Kernel threads and zombies have no memory map and no arguments: their statm is all
        // zeros and their cmdline empty, so those two reads are skipped. That is about half
        // of all processes on a typical machine.
        if stat.isKernelThread || stat.state == UInt8(ascii: "Z") {
            return makeRecord(pid: pid, stat: stat, residentPages: 0, owner: owner, argumentText: "")
        }
        // RSS from statm, not stat: since Linux 6.2 stat's rss is a per-CPU approximation,
        // while statm (like status's VmRSS, which ps prints) sums the counters exactly.
        let statm = directory.read("statm", of: pid, into: buffer)
        guard statm.succeeded else { return nil }
        let residentPages = firstInteger(buffer.prefix(statm.count), skippingFields: 1) ?? stat.residentPages
        let cmdline = directory.read("cmdline", of: pid, into: buffer)
        var argumentText: String?
        if cmdline.succeeded {
            // Kept NUL-separated (one String); the trailing NUL is dropped.
            var bytes = buffer.prefix(cmdline.count)
            if bytes.last == 0 { bytes = UnsafeRawBufferPointer(rebasing: bytes.dropLast()) }
            argumentText = String(decoding: bytes, as: UTF8.self)
        } else if let error = cmdline.error, System.noSuchProcessErrors.contains(error) {
            return nil  // exited between the reads
        }
        return makeRecord(pid: pid, stat: stat, residentPages: residentPages, owner: owner, argumentText: argumentText)
    }

    /// User names found so far, shared by every snapshot: `getpwuid_r` reads the user
    /// database each time. Only names found are kept, so a user added later still appears.
    private static let knownUsers = Locked<[UInt32: String]>([:])

    private mutating func userName(_ uid: UInt32) -> String {
        if let known = users[uid] { return known }
        var name = Self.knownUsers.withLock { $0[uid] }
        if name == nil, let found = System.userName(of: uid) {
            Self.knownUsers.withLock { $0[uid] = found }
            name = found
        }
        let resolved = name ?? String(uid)
        users[uid] = resolved
        return resolved
    }

    private mutating func makeRecord(
        pid: Int32, stat: ProcStat, residentPages: Int64, owner: UInt32, argumentText: String?
    ) -> ProcessRecord {
        var flags: ProcessFlags = []
        if stat.nice < 0 { flags.insert(.highPriority) }
        if stat.nice > 0 { flags.insert(.lowPriority) }
        if stat.session == pid { flags.insert(.sessionLeader) }
        if stat.threadCount > 1 { flags.insert(.multiThreaded) }
        if stat.processGroup == stat.terminalProcessGroup { flags.insert(.foreground) }

        // %CPU as ps computes it: CPU ticks over whole seconds alive, in tenths of a percent.
        let ticks = stat.userTicks + stat.systemTicks
        let hz = UInt64(System.clockTicksPerSecond)
        let startSeconds = Double(stat.startTicks) / ticksPerSecond
        let aliveSeconds = UInt64(max(0, facts.uptimeSeconds - startSeconds))
        let cpuPermille = aliveSeconds > 0 ? (ticks * 1000 / hz) / aliveSeconds : 0

        let rssKiB = Int(max(0, residentPages)) * System.pageSize / 1024
        let memPermille = facts.memoryTotalKiB > 0 ? min(999, rssKiB * 1000 / facts.memoryTotalKiB) : 0

        return ProcessRecord(
            pid: pid, ppid: stat.ppid, uid: owner, user: userName(owner),
            state: ProcessState(rawValue: Character(Unicode.Scalar(stat.state))), flags: flags, nice: stat.nice,
            threadCount: stat.threadCount, processGroup: stat.processGroup, session: stat.session,
            cpuPercent: Double(cpuPermille) / 10, memPercent: Double(memPermille) / 10,
            vszKiB: Int(stat.virtualBytes / 1024), rssKiB: rssKiB, tty: Self.terminalName(stat.ttyNumber),
            start: Date(timeIntervalSince1970: facts.bootSeconds + startSeconds),
            cpuTime: .milliseconds(Int64(ticks * 1000 / hz)), command: stat.command, argumentText: argumentText)
    }

    /// Names a terminal from its device number as `ps` does for the common drivers.
    private static func terminalName(_ number: Int64) -> String? {
        guard number > 0 else { return nil }
        let major = (number >> 8) & 0xFFF
        let minor = (number & 0xFF) | ((number >> 12) & 0xFFF00)
        switch major {
        case 136...143: return "pts/\((major - 136) * 256 + minor)"
        case 4 where minor < 64: return "tty\(minor)"
        case 4: return "ttyS\(minor - 64)"
        case 5 where minor == 1: return "console"
        default: return "\(major),\(minor)"
        }
    }
}
#endif
