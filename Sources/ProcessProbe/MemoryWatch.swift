import Foundation
import Synchronization
import SystemSupport

/// Samples one process's resident memory in the background and keeps the peak.
///
/// A dedicated thread reads `/proc/<pid>/statm` every interval, so sampling keeps going
/// even while the cooperative thread pool is busy. The kernel's own high-water mark
/// (`VmHWM`) is read with each sample too: it catches peaks that fall between samples.
///
/// ```swift
/// let watch = MemoryWatch(pid: child, intervalMilliseconds: 50)
/// // … run the job …
/// let reading = watch.stop()
/// print(reading.peakRSSBytes)
/// ```
public final class MemoryWatch: Sendable {
    /// What the watch has seen so far.
    public struct Reading: Hashable, Sendable {
        /// The resident set size at the latest sample; `nil` before the first sample or
        /// after the process has gone.
        public var currentRSSBytes: Int?
        /// The largest resident set size sampled.
        public var peakRSSBytes: Int
        /// The kernel's peak resident size for the process (`VmHWM`), when reported.
        public var highWaterMarkBytes: Int?
        /// How many samples were taken.
        public var sampleCount: Int
        /// Whether the process was found gone; sampling stops then.
        public var processExited: Bool
    }

    /// The watched process.
    public let pid: Int32
    /// The time between samples.
    public let intervalMilliseconds: Int
    private let state: Locked<Reading>
    private let stopped = Atomic<Bool>(false)

    /// Starts watching a process; the first sample is taken before this returns.
    /// - Parameters:
    ///   - pid: The process to watch.
    ///   - intervalMilliseconds: The time between samples (at least 1).
    ///   - probe: Where to read the process from.
    public init(pid: Int32, intervalMilliseconds: Int = 100, probe: ProcFS = ProcFS()) {
        self.pid = pid
        self.intervalMilliseconds = max(1, intervalMilliseconds)
        state = Locked(Reading(currentRSSBytes: nil, peakRSSBytes: 0, highWaterMarkBytes: nil, sampleCount: 0, processExited: false))
        sample(probe)
        let interval = Double(self.intervalMilliseconds) / 1000
        // The thread holds the watch only weakly, so dropping the last reference ends it.
        let thread = Thread { [weak self] in
            while let watch = self, !watch.stopped.load(ordering: .acquiring) {
                if !watch.sample(probe) { break }
                Thread.sleep(forTimeInterval: interval)
            }
        }
        thread.name = "MemoryWatch \(pid)"
        thread.start()
    }

    deinit { stopped.store(true, ordering: .releasing) }

    /// What has been seen so far.
    public var reading: Reading { state.withLock { $0 } }

    /// Stops sampling.
    /// - Returns: The final reading.
    @discardableResult
    public func stop() -> Reading {
        stopped.store(true, ordering: .releasing)
        return reading
    }

    /// Takes one sample; returns `false` once the process is gone.
    @discardableResult
    private func sample(_ probe: ProcFS) -> Bool {
        let rss = probe.residentBytes(of: pid)
        let peak = probe.peakResidentBytes(of: pid)
        return state.withLock { reading in
            reading.currentRSSBytes = rss
            guard let rss else {
                reading.processExited = true
                return false
            }
            reading.sampleCount += 1
            reading.peakRSSBytes = max(reading.peakRSSBytes, rss)
            if let peak { reading.highWaterMarkBytes = peak }
            return true
        }
    }
}

/// Memory figures of the calling process.
public enum SelfMemory {
    /// The resident set size of this process now, in bytes (`/proc/self/statm`); 0 when
    /// unreadable.
    public static var currentRSSBytes: Int { ProcFS().residentBytes(of: System.processID) ?? 0 }

    /// The largest resident set size this process has had, in bytes (`VmHWM`, or
    /// `getrusage`'s `ru_maxrss` when procfs does not say).
    public static var peakRSSBytes: Int {
        ProcFS().peakResidentBytes(of: System.processID) ?? System.peakResidentBytesOfSelf()
    }
}
