import Benchmark
import Foundation
import SpeechPrep

// ProcessProbe's hot paths. Peer comparisons (ps aux, psutil, free) are in
// Scripts/compare-probe.sh, which runs all tools interleaved in one run; these benchmarks
// add a deterministic figure (allocations) next to wall clock.
let benchmarks: @Sendable () -> Void = {
    let metrics: [BenchmarkMetric] = [.wallClock, .cpuTotal, .mallocCountTotal]
    let probe = ProcFS()

    Benchmark("ProcFS.snapshot (full table, ps aux fields)", configuration: .init(metrics: metrics)) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try probe.snapshot())
        }
    }

    Benchmark("ProcFS.systemMemory (free figures)", configuration: .init(metrics: metrics, scalingFactor: .kilo)) {
        benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try probe.systemMemory())
        }
    }

    Benchmark("ProcFS.cgroupMemory", configuration: .init(metrics: metrics)) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(probe.cgroupMemory())
        }
    }

    Benchmark("ProcFS.record(pid:) of this process", configuration: .init(metrics: metrics)) { benchmark in
        let me = Int32(ProcessInfo.processInfo.processIdentifier)
        for _ in benchmark.scaledIterations {
            blackHole(probe.record(pid: me))
        }
    }

    Benchmark("SelfMemory.currentRSSBytes", configuration: .init(metrics: metrics, scalingFactor: .kilo)) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(SelfMemory.currentRSSBytes)
        }
    }
}
