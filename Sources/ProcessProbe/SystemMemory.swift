/// The machine's memory as `free` reports it, in bytes.
///
/// The values are derived from `/proc/meminfo` by the rules of procps-ng 4.0 (the `free`
/// shipped with Debian 12 and later):
/// - `buff/cache` is `Buffers + Cached + SReclaimable`;
/// - `available` is `MemAvailable`, or `MemFree` when the kernel does not report it (before
///   Linux 3.14) or reports more than the total (some containers);
/// - `used` is `total − available`, or `total − free` if that would be negative.
///
/// procps-ng 3.3 (and tools that copied it) printed `used` as
/// `total − free − buffers − cache` instead; that figure is ``legacyUsedBytes``, so the two
/// can be told apart when numbers disagree between machines.
public struct SystemMemory: Hashable, Sendable {
    /// Usable RAM (`MemTotal`).
    public var totalBytes: Int
    /// Memory in use, `total − available` (procps-ng 4 rule).
    public var usedBytes: Int
    /// Memory nobody uses, not even the page cache (`MemFree`).
    public var freeBytes: Int
    /// Memory used by tmpfs and shared memory (`Shmem`).
    public var sharedBytes: Int
    /// Kernel buffers (`Buffers`).
    public var buffersBytes: Int
    /// Page cache and reclaimable slab (`Cached + SReclaimable`).
    public var cacheBytes: Int
    /// The kernel's estimate of memory available to new programs without swapping.
    public var availableBytes: Int
    /// Whether the kernel reported `MemAvailable` (otherwise `available` is `MemFree`).
    public var kernelReportsAvailable: Bool
    /// Swap space (`SwapTotal`).
    public var swapTotalBytes: Int
    /// Swap in use (`SwapTotal − SwapFree`).
    public var swapUsedBytes: Int
    /// Unused swap (`SwapFree`).
    public var swapFreeBytes: Int
    /// `used` by the procps-ng 3.3 rule: `total − free − buffers − cache` (or `total − free`
    /// when that is negative).
    public var legacyUsedBytes: Int

    /// `buff/cache`: buffers plus cache.
    public var buffCacheBytes: Int { buffersBytes + cacheBytes }

    /// Whether any swap is in use, which on a machine with enough RAM hints at memory
    /// pressure or a leak.
    public var isSwapInUse: Bool { swapUsedBytes > 0 }

    /// Available memory as a percentage of the total.
    public var availablePercent: Double {
        totalBytes > 0 ? Double(availableBytes) * 100 / Double(totalBytes) : 0
    }

    /// Whether available memory is below a share of the total.
    /// - Parameter percent: The threshold, in percent of the total (for example `10`).
    /// - Returns: `true` when `available / total × 100 < percent`.
    public func isAvailable(below percent: Double) -> Bool { availablePercent < percent }

    /// Derives the `free` figures from `/proc/meminfo` values in KiB.
    /// - Parameter kibibytes: The values of `MemTotal`, `MemFree`, `MemAvailable` (`nil`
    ///   when absent), `Buffers`, `Cached`, `SReclaimable`, `Shmem`, `SwapTotal`, `SwapFree`.
    public init(meminfo kibibytes: MeminfoValues) {
        let k = kibibytes
        let cache = k.cached + k.slabReclaimable
        var available = k.available ?? 0
        if available == 0 { available = k.free }
        if available > k.total { available = k.free }
        var used = k.total - available
        if used < 0 { used = k.total - k.free }
        var legacy = k.total - k.free - cache - k.buffers
        if legacy < 0 { legacy = k.total - k.free }
        let swapUsed = k.swapFree < k.swapTotal ? k.swapTotal - k.swapFree : 0
        totalBytes = k.total * 1024
        usedBytes = used * 1024
        freeBytes = k.free * 1024
        sharedBytes = k.shared * 1024
        buffersBytes = k.buffers * 1024
        cacheBytes = cache * 1024
        availableBytes = available * 1024
        kernelReportsAvailable = k.available != nil
        swapTotalBytes = k.swapTotal * 1024
        swapUsedBytes = swapUsed * 1024
        swapFreeBytes = k.swapFree * 1024
        legacyUsedBytes = legacy * 1024
    }
}

/// The raw `/proc/meminfo` lines ``SystemMemory`` is computed from, in KiB.
public struct MeminfoValues: Hashable, Sendable {
    /// `MemTotal`.
    public var total = 0
    /// `MemFree`.
    public var free = 0
    /// `MemAvailable`, `nil` on kernels before 3.14.
    public var available: Int?
    /// `Buffers`.
    public var buffers = 0
    /// `Cached`.
    public var cached = 0
    /// `SReclaimable`.
    public var slabReclaimable = 0
    /// `Shmem`.
    public var shared = 0
    /// `SwapTotal`.
    public var swapTotal = 0
    /// `SwapFree`.
    public var swapFree = 0

    /// Creates a set of values, all zero and `MemAvailable` absent.
    public init() {}

    static let keys: [StaticString] = [
        "MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached", "SReclaimable", "Shmem", "SwapTotal",
        "SwapFree",
    ]

    /// Parses the text of `/proc/meminfo`.
    /// - Parameter bytes: The file's bytes.
    /// - Returns: The values, or `nil` when `MemTotal` is missing.
    static func parse(_ bytes: UnsafeRawBufferPointer) -> MeminfoValues? {
        var values = MeminfoValues()
        var sawTotal = false
        scanKeyedValues(bytes, keys: keys) { index, raw in
            let value = Int(raw)
            switch index {
            case 0: values.total = value; sawTotal = true
            case 1: values.free = value
            case 2: values.available = value
            case 3: values.buffers = value
            case 4: values.cached = value
            case 5: values.slabReclaimable = value
            case 6: values.shared = value
            case 7: values.swapTotal = value
            default: values.swapFree = value
            }
        }
        return sawTotal ? values : nil
    }
}

/// The memory limits and usage of the calling process's control group.
///
/// In a container, a Slurm job or a Kubernetes pod these — not `/proc/meminfo` — decide
/// when the kernel kills the job. Read from cgroup v2 (`memory.max`, `memory.current`,
/// `memory.peak`, `memory.swap.max`, `memory.swap.current`) or, on hosts still using the
/// v1 memory controller, from its `memory.limit_in_bytes` family. A value is `nil` when
/// the file is absent or the limit is `max` (unlimited).
public struct CgroupMemory: Hashable, Sendable {
    /// Which cgroup hierarchy the values come from.
    public enum Version: Hashable, Sendable {
        /// The unified hierarchy.
        case v2
        /// The legacy memory controller.
        case v1
    }

    /// The hierarchy the values come from.
    public var version: Version
    /// The cgroup's folder under `/sys/fs/cgroup`.
    public var directory: String
    /// The hard limit (`memory.max`); `nil` when unlimited.
    public var limitBytes: Int?
    /// Memory charged to the group now (`memory.current`).
    public var usageBytes: Int?
    /// The most ever charged to the group (`memory.peak`, kernel 5.19+).
    public var peakBytes: Int?
    /// The swap limit (`memory.swap.max`); `nil` when unlimited or absent.
    public var swapLimitBytes: Int?
    /// Swap charged to the group now (`memory.swap.current`).
    public var swapUsageBytes: Int?

    /// Whether the group has a memory limit.
    public var isLimited: Bool { limitBytes != nil }

    /// Creates a value.
    /// - Parameters:
    ///   - version: The hierarchy.
    ///   - directory: The cgroup's folder.
    ///   - limitBytes: The memory limit, `nil` when unlimited.
    ///   - usageBytes: Current usage.
    ///   - peakBytes: Peak usage.
    ///   - swapLimitBytes: The swap limit, `nil` when unlimited.
    ///   - swapUsageBytes: Current swap usage.
    public init(
        version: Version, directory: String, limitBytes: Int? = nil, usageBytes: Int? = nil,
        peakBytes: Int? = nil, swapLimitBytes: Int? = nil, swapUsageBytes: Int? = nil
    ) {
        self.version = version
        self.directory = directory
        self.limitBytes = limitBytes
        self.usageBytes = usageBytes
        self.peakBytes = peakBytes
        self.swapLimitBytes = swapLimitBytes
        self.swapUsageBytes = swapUsageBytes
    }
}
