import Benchmark
import Foundation
import SpeechPrep

/// Debian's pocketsphinx-testdata LibriVox clip 0880 (6.0 s of 16 kHz mono speech).
let clipPath = "/usr/share/pocketsphinx/test/data/librivox/sense_and_sensibility_01_austen_64kb-0880.wav"

/// The clip's samples (canonical 44-byte WAV header).
func loadClip() -> PCMBuffer {
    let data = (try? Data(contentsOf: URL(fileURLWithPath: clipPath))) ?? Data(count: 44)
    let samples = data.dropFirst(44).withUnsafeBytes { bytes in
        (0..<(bytes.count / 2)).map {
            Float(Int16(littleEndian: bytes.loadUnaligned(fromByteOffset: $0 * 2, as: Int16.self))) / 32768
        }
    }
    return try! PCMBuffer(format: .speech16kMono, interleaved: samples)
}

/// The clip as 44.1 kHz stereo (resampled, channel duplicated), so that the engine's
/// downmix + resample path is part of what is timed.
func stereo44k(_ clip: PCMBuffer) -> PCMBuffer {
    var resampler = try! Resampler(inputRate: 16_000, outputRate: 44_100, channelCount: 1)
    var up = try! resampler.process(clip)
    try! up.append(resampler.flush())
    let stereo = up.samples.flatMap { [$0, $0] }
    return try! PCMBuffer(format: AudioFormat(sampleRate: 44_100, channelCount: 2), interleaved: stereo)
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident],
        maxDuration: .seconds(20), maxIterations: 20)

    // Scaled by the clip's length, so throughput reads as "clips per second".
    Benchmark("PocketSphinx transcribe 6 s 16 kHz mono clip") { benchmark, engine in
        let clip = loadClip()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(try engine.transcribe(clip)) }
    } setup: {
        try PocketSphinxTranscriber()
    }

    Benchmark("PocketSphinx transcribe 6 s 44.1 kHz stereo clip (with conversion)") { benchmark, engine in
        let clip = stereo44k(loadClip())
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(try engine.transcribe(clip)) }
    } setup: {
        try PocketSphinxTranscriber()
    }

    Benchmark("PocketSphinx engine creation (default en-us model)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try PocketSphinxTranscriber()) }
    }

    Benchmark("CommandTranscriber round trip with /bin/true as the engine") { benchmark in
        // `true` ignores the clip: this times the temp WAV, spawn, wait and cleanup.
        let engine = try CommandTranscriber(arguments: ["/bin/true", "{wav}"])
        let clip = loadClip()
        for _ in benchmark.scaledIterations { blackHole(try engine.transcribe(clip)) }
    }
}
