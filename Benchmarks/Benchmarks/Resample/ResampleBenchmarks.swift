import Benchmark
import Foundation
import SpeechPrep

/// Ten minutes of 44.1 kHz audio: a tone mix with noise, the same job as
/// Scripts/compare-resampler.sh gives soxr.
private let inputRate = 44_100.0
private let tenMinutes: [Float] = {
    var state: UInt64 = 12345
    return (0..<Int(600 * inputRate)).map { i in
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        let noise = Float(Int64(bitPattern: state) >> 40) / Float(1 << 23)
        let t = Double(i) / inputRate
        return 0.3 * Float(sin(2 * .pi * 440 * t)) + 0.2 * Float(sin(2 * .pi * 3_000 * t)) + 0.1 * noise
    }
}()

private let monoFormat = try! AudioFormat(sampleRate: inputRate, channelCount: 1)
private let stereoFormat = try! AudioFormat(sampleRate: inputRate, channelCount: 2)

/// The ten minutes cut into the 64 Ki-frame chunks a decoder would hand over.
private let chunks: [PCMBuffer] = stride(from: 0, to: tenMinutes.count, by: 65_536).map {
    try! PCMBuffer(format: monoFormat, interleaved: Array(tenMinutes[$0..<min(tenMinutes.count, $0 + 65_536)]))
}

/// Three-second clips of 48 kHz mono (the first 3 s of the ten minutes, resampled as if
/// they had been recorded at 48 kHz), the shape of a Common Voice pipeline's input.
private let clipFormat = try! AudioFormat(sampleRate: 48_000, channelCount: 1)
private let clip = try! PCMBuffer(format: clipFormat, interleaved: Array(tenMinutes[0..<144_000]))

let benchmarks: @Sendable () -> Void = {
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident],
        warmupIterations: 1, maxDuration: .seconds(20), maxIterations: 5)

    for quality in Resampler.Quality.allCases {
        Benchmark("Resample 10 min 44.1 kHz mono to 16 kHz, \(quality)", configuration: configuration) { benchmark in
            for _ in benchmark.scaledIterations {
                var resampler = try Resampler(inputRate: inputRate, outputRate: 16_000, channelCount: 1, quality: quality)
                var frames = 0
                for chunk in chunks { frames += try resampler.process(chunk).frameCount }
                frames += resampler.flush().frameCount
                blackHole(frames)
            }
        }
    }

    // One resampler for many short streams, flushed after each: the storage of its stages is
    // kept, so the mallocs are the returned buffers only (two per clip).
    Benchmark("Resample 200 clips of 3 s 48 kHz mono to 16 kHz, one resampler, high", configuration: configuration) {
        benchmark in
        var resampler = try Resampler(inputRate: 48_000, outputRate: 16_000, channelCount: 1)
        blackHole(try resampler.process(clip).frameCount + resampler.flush().frameCount)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            var frames = 0
            for _ in 0..<200 { frames += try resampler.process(clip).frameCount + resampler.flush().frameCount }
            blackHole(frames)
        }
    }

    Benchmark("Float32 to Int16, 10 min 44.1 kHz mono", configuration: configuration) { benchmark in
        let buffer = try PCMBuffer(format: monoFormat, interleaved: tenMinutes)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(buffer.int16Samples()) }
    }

    Benchmark("Int16 to Float32, 10 min 44.1 kHz mono", configuration: configuration) { benchmark in
        let int16 = try PCMBuffer(format: monoFormat, interleaved: tenMinutes).int16Samples().samples
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(try PCMBuffer(int16: int16, format: monoFormat)) }
    }

    Benchmark("Downmix 10 min 44.1 kHz stereo to mono", configuration: configuration) { benchmark in
        let stereo = try PCMBuffer(format: stereoFormat, interleaved: tenMinutes + tenMinutes)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(stereo.downmixedToMono()) }
    }
}
