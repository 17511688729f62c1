import Foundation
import PCM
import Testing

@Suite struct ResamplerTests {
    static let conversions: [(Double, Double)] = [(44_100, 16_000), (48_000, 16_000), (22_050, 16_000), (8_000, 16_000)]

    @Test(arguments: conversions)
    func lengthIsRoundedExactly(input: Double, output: Double) throws {
        for frames in [0, 1, 2, 3, 7, 100, 4410, 44_101, 12_345] {
            let signal = SignalAnalysis.sine(frequency: 440, rate: input, frames: frames)
            let out = try SignalAnalysis.resample(signal, from: input, to: output, chunks: [1000])
            #expect(out.count == Int((Double(frames) * output / input).rounded()), "\(frames) frames")
        }
    }

    @Test(arguments: conversions)
    func highQualitySineIsClean(input: Double, output: Double) throws {
        let signal = SignalAnalysis.sine(frequency: 1000, rate: input, frames: Int(input / 2))
        let out = try SignalAnalysis.resample(signal, from: input, to: output)
        let margin = Int(output / 20)
        let db = SignalAnalysis.errorDB(out, range: margin..<(out.count - margin), frequency: 1000, rate: output)
        print("THD+N \(input)->\(output): \(db) dB")
        #expect(db <= -110)
    }
}
