// Reading NeMo manifests: SpeechDataset's streaming reader against peers measured in the same
// run (`wc -l`, a Python `json.loads` loop, Foundation's JSONDecoder per line). The manifests
// are generated once into the temporary folder. Besides wall clock, each reader benchmark
// records the peak RSS of the run (Linux `VmHWM`, reset before it via /proc/self/clear_refs),
// and each peer its own CPU time (from `getrusage(RUSAGE_CHILDREN)`), so the comparison holds
// even when the machine is shared and wall clock is inflated.
import Benchmark
import Foundation
import SpeechPrep

let lineCounts = [100_000, 1_000_000]

/// A NeMo manifest of `lines` lines (about 157 bytes each), written once and reused.
func manifest(lines: Int) -> String {
    let path = FileManager.default.temporaryDirectory.path + "/speechprep-bench-nemo-\(lines).jsonl"
    if FileManager.default.fileExists(atPath: path) { return path }
    let writer = try! AtomicFileWriter(path: path)
    for k in 0..<lines {
        let speaker = k % 97
        try! writer.write(
            "{\"audio_filepath\": \"clips/spk\(speaker)/utt_\(k).wav\", \"duration\": \(Double(k % 900) / 100 + 1), "
                + "\"text\": \"the quick brown fox number \(k) jumps over the lazy dog\", \"speaker\": \"spk\(speaker)\"}\n")
    }
    try! writer.commit()
    return path
}

/// Peak resident memory since the last reset, in KiB (Linux `VmHWM`).
func peakResidentKiB() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        return Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]) ?? 0
    }
    return 0
}

/// Resets `VmHWM` to the current RSS (Linux ≥ 4.0).
func resetPeakResident() {
    try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
}

let peakRSS = BenchmarkMetric.custom("Peak RSS (KiB)", polarity: .prefersSmaller, useScalingFactor: false)

/// CPU time (user + system) of the peer tool, which `.cpuTotal` (this process only) misses.
let childCPU = BenchmarkMetric.custom("Peer CPU (ms)", polarity: .prefersSmaller, useScalingFactor: false)

/// User + system CPU of all waited-for children so far, in milliseconds.
func childrenCPUMilliseconds() -> Int {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &usage)
    let micros = (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1_000_000 + Int(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec)
    return micros / 1000
}

/// Runs a peer tool and records its CPU time next to the wall clock.
func runTool(_ arguments: [String], benchmark: Benchmark) {
    let before = childrenCPUMilliseconds()
    defer { benchmark.measurement(childCPU, childrenCPUMilliseconds() - before) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    try! process.run()
    process.waitUntilExit()
    precondition(process.terminationStatus == 0, "\(arguments) failed")
}

let pythonLoop = """
    import json, sys
    n = 0
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            if line.strip():
                d = json.loads(line)
                n += 1 if d["audio_filepath"] else 0
    print(n)
    """

struct DecodedLine: Decodable {
    var audio_filepath: String
    var duration: Double?
    var text: String?
    var speaker: String?
}

let benchmarks: @Sendable () -> Void = {
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, peakRSS, childCPU], timeUnits: .milliseconds,
        warmupIterations: 0, scalingFactor: .one, maxDuration: .seconds(20), maxIterations: 3)

    for lines in lineCounts {
        Benchmark("NeMo read \(lines) lines (SpeechDataset)", configuration: configuration) { benchmark in
            let path = manifest(lines: lines)
            resetPeakResident()
            benchmark.startMeasurement()
            var reader = try NeMoManifestReader(path: path, options: ReadOptions(detectDuplicateIDs: false))
            var count = 0
            while let entry = try reader.next() { count += entry.audioPath.isEmpty ? 0 : 1 }
            benchmark.stopMeasurement()
            precondition(count == lines)
            benchmark.measurement(peakRSS, peakResidentKiB())
        }

        Benchmark("NeMo read \(lines) lines, duplicate-id check on (SpeechDataset)", configuration: configuration) { benchmark in
            let path = manifest(lines: lines)
            resetPeakResident()
            benchmark.startMeasurement()
            var reader = try NeMoManifestReader(path: path)
            var count = 0
            while try reader.next() != nil { count += 1 }
            benchmark.stopMeasurement()
            precondition(count == lines)
            benchmark.measurement(peakRSS, peakResidentKiB())
        }

        Benchmark("NeMo read \(lines) lines (peer: wc -l)", configuration: configuration) { benchmark in
            let path = manifest(lines: lines)
            benchmark.startMeasurement()
            runTool(["wc", "-l", path], benchmark: benchmark)
        }

        Benchmark("NeMo read \(lines) lines (peer: python3 json.loads per line)", configuration: configuration) { benchmark in
            let path = manifest(lines: lines)
            benchmark.startMeasurement()
            runTool(["python3", "-c", pythonLoop, path], benchmark: benchmark)
        }
    }

    Benchmark("NeMo read 100000 lines (peer: Foundation JSONDecoder per line)", configuration: configuration) { benchmark in
        let path = manifest(lines: 100_000)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let decoder = JSONDecoder()
        benchmark.startMeasurement()
        var count = 0
        for line in text.split(separator: "\n") {
            count += try decoder.decode(DecodedLine.self, from: Data(line.utf8)).audio_filepath.isEmpty ? 0 : 1
        }
        benchmark.stopMeasurement()
        precondition(count == 100_000)
    }
}
