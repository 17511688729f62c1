import Benchmark
import Foundation
import SpeechPrep

// The pipeline over the bundled Common Voice sample (12 real 48 kHz MP3 clips, 40 s of
// speech). Peer comparisons (ffmpeg per file, xargs -P 2 ffmpeg, Python soundfile + soxr) are
// in Scripts/compare-prepare.sh, which runs every tool in one run; these add deterministic
// figures (allocations, system calls) next to wall clock, and 1 vs 2 workers.
let benchmarks: @Sendable () -> Void = {
    let metrics: [BenchmarkMetric] = [.wallClock, .cpuTotal, .mallocCountTotal, .syscalls, .peakMemoryResident]
    let sample: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }  // Pipeline, Benchmarks, Benchmarks, repo
        return url.appendingPathComponent("Samples/commonvoice-sample/en").path
    }()

    func prepare(workers: Int) throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("speechprep-bench-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        var configuration = PipelineConfiguration(
            input: .commonVoice(path: sample, split: "validated"), outputDirectory: out)
        configuration.writeAudio = true
        configuration.workerCount = workers
        let summary = try Pipeline(configuration).runBlocking()
        precondition(summary.failed == 0 && summary.processed == 12)
    }

    for workers in [1, 2] {
        Benchmark(
            "prepare sample (12 MP3 → 16 kHz WAV), \(workers) worker(s)",
            configuration: .init(metrics: metrics, maxDuration: .seconds(20), maxIterations: 10)
        ) { benchmark in
            for _ in benchmark.scaledIterations { try prepare(workers: workers) }
        }
    }

    Benchmark(
        "Shard.contains over 100k ids",
        configuration: .init(metrics: [.wallClock, .mallocCountTotal], maxIterations: 50)
    ) { benchmark in
        let shard = try Shard(index: 1, count: 4)
        let ids = (0..<100_000).map { "common_voice_en_\($0)" }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(ids.count(where: { shard.contains(id: $0) }))
        }
    }
}
