import Benchmark
import SpeechPrep

// Segmenting an hour (and, to show memory does not grow with length, ten minutes) of 16 kHz
// mono audio. The input is one minute of speech-like signal — noise bursts with syllable dips
// and pauses of 0.2–1.5 s on a faint background — in 64 Ki-frame chunks, pushed again and
// again, so the benchmark measures the segmenter, not the making or holding of the audio.
// Report: realtime factor = (minutes × 60 s) / wall-clock time.

/// One minute of 16 kHz speech-like audio, cut into chunks of 65 536 frames.
let oneMinute: [PCMBuffer] = {
    var state: UInt64 = 0x5EED
    func uniform() -> Float {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Float(state >> 40) / Float(1 << 24) * 2 - 1
    }
    let rate = 16_000
    var samples = [Float](repeating: 0, count: 60 * rate)
    var time = 0
    var talking = true
    while time < samples.count {
        let length = talking ? Int(abs(uniform()) * 6 * Float(rate)) + rate / 4 : Int(abs(uniform()) * 1.3 * Float(rate)) + rate / 5
        for index in time..<min(time + length, samples.count) {
            let dip = (index - time) % (rate / 4) >= rate / 5
            samples[index] = 0.001 * uniform() + (talking ? (dip ? 0.01 : 0.1) * uniform() : 0)
        }
        time += length
        talking.toggle()
    }
    let whole = try! PCMBuffer(format: .speech16kMono, interleaved: samples)
    return stride(from: 0, to: samples.count, by: 65_536).map { whole.frames($0..<min($0 + 65_536, samples.count)) }
}()

/// Pushes `minutes` minutes of audio through a segmenter and finishes it.
@inline(never)
func segment(minutes: Int, with segmenter: inout some Segmenter) throws -> Int {
    var count = 0
    for _ in 0..<minutes {
        for chunk in oneMinute { count += try segmenter.push(chunk).count }
    }
    return count + segmenter.finish().count
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .peakMemoryResident, .mallocCountTotal],
        maxDuration: .seconds(20), maxIterations: 20)
    _ = oneMinute.count

    for minutes in [10, 60] {
        Benchmark("Fixed-length 5 s, \(minutes) min of 16 kHz mono") { benchmark in
            var segmenter = try FixedLengthSegmenter(sampleRate: 16_000, lengthSeconds: 5)
            for _ in benchmark.scaledIterations {
                blackHole(try segment(minutes: minutes, with: &segmenter))
            }
        }
        Benchmark("Silence-aware (defaults), \(minutes) min of 16 kHz mono") { benchmark in
            var segmenter = try SilenceSegmenter(sampleRate: 16_000)
            for _ in benchmark.scaledIterations {
                blackHole(try segment(minutes: minutes, with: &segmenter))
            }
        }
    }
}
