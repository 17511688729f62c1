import Benchmark
import SpeechPrep

let benchmarks: @Sendable () -> Void = {
    Benchmark("PCMBuffer append one second of 16 kHz mono") { benchmark in
        let second = [Float](repeating: 0.25, count: 16_000)
        for _ in benchmark.scaledIterations {
            var buffer = PCMBuffer(format: .speech16kMono)
            try buffer.append(interleaved: second)
            blackHole(buffer)
        }
    }
}
