// Times SpeechPrep's Resampler on the same jobs as Scripts/compare-resampler.sh times soxr:
// N seconds of mono Float32 at each input rate (44.1 kHz and 48 kHz by default) to 16 kHz,
// fed in 64 Ki-frame chunks, best of R runs.
// Built by the script in release mode against the PCM library (not part of the package).
//
// Usage: resampler-timing [seconds] [repeats] [input rates, comma-separated] [preset]
internal import Foundation
internal import PCM

let arguments = CommandLine.arguments
let seconds = arguments.count > 1 ? Double(arguments[1])! : 600
let repeats = arguments.count > 2 ? Int(arguments[2])! : 3
let inputRates = (arguments.count > 3 ? arguments[3] : "44100,48000").split(separator: ",").map { Double($0)! }
let only = arguments.count > 4 ? arguments[4] : nil
let outputRate = 16_000.0
let chunk = 65_536

for inputRate in inputRates {
    let frames = Int(seconds * inputRate)
    // A deterministic mix of tones and noise (the content does not change the work done).
    var state: UInt64 = 12345
    var signal = [Float](repeating: 0, count: frames)
    for i in 0..<frames {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        let noise = Float(Int64(bitPattern: state) >> 40) / Float(1 << 23)
        let t = Double(i) / inputRate
        signal[i] = 0.3 * Float(sin(2 * .pi * 440 * t)) + 0.2 * Float(sin(2 * .pi * 3_000 * t)) + 0.1 * noise
    }
    let format = try AudioFormat(sampleRate: inputRate, channelCount: 1)
    let chunks = stride(from: 0, to: frames, by: chunk).map {
        try! PCMBuffer(format: format, interleaved: Array(signal[$0..<min(frames, $0 + chunk)]))
    }
    for quality in Resampler.Quality.allCases where only == nil || quality.rawValue == only {
        var best = Double.infinity
        var produced = 0
        for _ in 0..<repeats {
            var resampler = try Resampler(
                inputRate: inputRate, outputRate: outputRate, channelCount: 1, quality: quality)
            let start = DispatchTime.now().uptimeNanoseconds
            produced = 0
            for buffer in chunks { produced += try resampler.process(buffer).frameCount }
            produced += resampler.flush().frameCount
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        print("\(Int(inputRate)) speechprep \(quality) \(String(format: "%.4f", best)) s \(String(format: "%.0f", seconds / best))x realtime (\(produced) frames)")
    }
}
