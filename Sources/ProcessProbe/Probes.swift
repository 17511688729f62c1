/// Something that reports the machine's memory, as `free` does.
///
/// ``ProcFS`` reads Linux's `/proc/meminfo`; tests and other platforms can supply their own.
public protocol MemoryProbe {
    /// Reads the machine's memory figures.
    /// - Returns: The figures at this moment.
    /// - Throws: ``ProbeError`` when the source cannot be read.
    func systemMemory() throws(ProbeError) -> SystemMemory
}

/// Something that lists the running processes, as `ps aux` does.
///
/// ``ProcFS`` reads Linux's `/proc`; tests and other platforms can supply their own.
public protocol ProcessTable {
    /// Lists every process visible to the caller.
    /// - Returns: One record per process, in ascending pid order. Processes that exit while
    ///   being read are left out.
    /// - Throws: ``ProbeError`` when the table itself cannot be read.
    func snapshot() throws(ProbeError) -> [ProcessRecord]
}

/// Linux's process file system: memory figures from `/proc/meminfo`, processes from
/// `/proc/<pid>/stat` and `/proc/<pid>/cmdline`, cgroup limits from `/sys/fs/cgroup`.
///
/// A value type with no open handles; each call opens what it reads and closes it before
/// returning, so it can be shared freely between threads.
public struct ProcFS: MemoryProbe, ProcessTable, Sendable {
    /// The mount point of the process file system.
    public var root: String
    /// The mount point of the cgroup file systems.
    public var cgroupRoot: String

    /// Creates a probe.
    /// - Parameters:
    ///   - root: Where procfs is mounted (`/proc`).
    ///   - cgroupRoot: Where the cgroup file systems are mounted (`/sys/fs/cgroup`).
    public init(root: String = "/proc", cgroupRoot: String = "/sys/fs/cgroup") {
        self.root = root
        self.cgroupRoot = cgroupRoot
    }
}
