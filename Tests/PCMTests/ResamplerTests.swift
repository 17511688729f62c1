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

    @Test(arguments: [(44_100.0, 16_000.0), (48_000, 16_000), (8_000, 16_000), (192_000, 16_000), (44_100, 47_999), (22_050.5, 16_000)])
    func outputIsIdenticalWhateverTheChunking(input: Double, output: Double) throws {
        var generator = SystemRandomNumberGenerator()
        let signal = (0..<Int(input / 5)).map { _ in Float.random(in: -1...1, using: &generator) }
        let whole = try SignalAnalysis.resample(signal, from: input, to: output, chunks: [signal.count])
        // Reproducible chunk sizes from 1 to 3000 frames (a linear congruential sequence).
        var state: UInt64 = 7
        let chunks = (0..<64).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33) % 3000 + 1
        }
        let pieces = try SignalAnalysis.resample(signal, from: input, to: output, chunks: chunks)
        #expect(pieces == whole)
        #expect(pieces.count == Int((Double(signal.count) * output / input).rounded()))
    }

    /// The 1 kHz full-scale sine comes out at the right time, gain and purity: the error
    /// against the ideal output sine is THD+N including timing and gain errors.
    @Test(arguments: conversions)
    func highQualitySineIsClean(input: Double, output: Double) throws {
        #expect(try Self.sineErrorDB(input, output, quality: .high) <= -110)
    }

    @Test(arguments: conversions)
    func veryHighQualitySineIsCleaner(input: Double, output: Double) throws {
        #expect(try Self.sineErrorDB(input, output, quality: .veryHigh) <= -130)
    }

    @Test(arguments: conversions)
    func passbandIsFlat(input: Double, output: Double) throws {
        let edge = 0.9 * min(input, output) / 2
        var worst = 0.0
        defer { print("passband \(Int(input))->\(Int(output)): worst deviation \(worst) dB up to \(edge) Hz") }
        for k in 0...9 {
            let frequency = max(20, edge * Double(k) / 9)
            let signal = SignalAnalysis.sine(frequency: frequency, rate: input, frames: Int(input / 4), amplitude: 0.5)
            let out = try SignalAnalysis.resample(signal, from: input, to: output)
            let margin = Int(output / 40)
            let amplitude = SignalAnalysis.amplitude(out, range: margin..<(out.count - margin), frequency: frequency, rate: output)
            let deviation = abs(20 * log10(amplitude / 0.5))
            worst = max(worst, deviation)
            #expect(deviation <= 0.01, "\(frequency) Hz")
        }
    }

    /// Downsampling: a full-scale tone above the output's Nyquist frequency must not show up
    /// at any frequency it could alias to (measured as a spectral line, so Float32 round-off
    /// noise, about −140 dB broadband, is not mistaken for aliasing).
    @Test(arguments: [(Resampler.Quality.high, 110.0), (.veryHigh, 140)], conversions.filter { $0.0 > $0.1 })
    func everythingAboveTheOutputNyquistIsRejected(preset: (Resampler.Quality, Double), rates: (Double, Double)) throws {
        let (input, output) = rates
        let (quality, required) = preset
        let nyquist = output / 2
        var chain = [input, output]
        while chain[chain.count - 2] >= 2.2 * output { chain.insert(chain[chain.count - 2] / 2, at: chain.count - 1) }
        let frequencies = [nyquist, nyquist * 1.02, nyquist * 1.3, input / 2 - nyquist, input / 2 - nyquist * 0.9, input * 0.49]
        for frequency in frequencies where frequency >= nyquist {
            let signal = SignalAnalysis.sine(frequency: frequency, rate: input, frames: Int(input / 4))
            let out = try SignalAnalysis.resample(signal, from: input, to: output, quality: quality)
            let range = Int(output / 40)..<(out.count - Int(output / 40))
            let aliases = SignalAnalysis.aliasFrequencies(of: frequency, rates: chain, outputRate: output)
            let leak = aliases.map { SignalAnalysis.toneAmplitude(out, range: range, frequency: $0, rate: output) }.max()!
            let attenuation = -20 * log10(max(leak, 1e-30))
            let noise = -20 * log10(SignalAnalysis.rms(out, range: range) / 0.5.squareRoot())
            print("stopband \(quality) \(Int(input))->\(Int(output)) \(frequency) Hz: tone \(attenuation) dB, all \(noise) dB")
            #expect(attenuation >= required, "\(frequency) Hz: \(attenuation) dB")
            if quality == .high { #expect(noise >= required, "\(frequency) Hz: everything \(noise) dB") }
        }
    }

    /// Upsampling: the images of a tone must vanish (everything but the tone itself).
    @Test(arguments: [Resampler.Quality.high, .veryHigh])
    func upsamplingImagesAreRejected(quality: Resampler.Quality) throws {
        for frequency in [3600.0, 2000] {
            let signal = SignalAnalysis.sine(frequency: frequency, rate: 8000, frames: 2000)
            let out = try SignalAnalysis.resample(signal, from: 8000, to: 16_000, quality: quality)
            let range = 400..<(out.count - 400)
            let db = SignalAnalysis.errorDB(out, range: range, frequency: frequency, rate: 16_000)
            #expect(db <= (quality == .high ? -110 : -135), "\(frequency) Hz: \(db) dB")
        }
    }

    @Test func channelsAreResampledIndependently() throws {
        let left = SignalAnalysis.sine(frequency: 1000, rate: 44_100, frames: 10_000)
        let right = SignalAnalysis.sine(frequency: 3000, rate: 44_100, frames: 10_000, amplitude: 0.3)
        let stereo = try PCMBuffer(
            format: AudioFormat(sampleRate: 44_100, channelCount: 2),
            interleaved: zip(left, right).flatMap { [$0, $1] })
        var resampler = try Resampler(inputRate: 44_100, outputRate: 16_000, channelCount: 2)
        var out = try resampler.process(stereo)
        try out.append(resampler.flush())
        #expect(try out.channel(0).samples == SignalAnalysis.resample(left, from: 44_100, to: 16_000))
        #expect(try out.channel(1).samples == SignalAnalysis.resample(right, from: 44_100, to: 16_000))
    }

    @Test(arguments: [(1_000.0, 384_000.0), (384_000, 1_000), (11_025, 44_100), (96_000, 44_100), (8_000, 7_999.5)])
    func extremeRatiosKeepLengthAndDoNotCrash(input: Double, output: Double) throws {
        let signal = SignalAnalysis.sine(frequency: input / 8, rate: input, frames: Int(input / 10) + 3)
        let out = try SignalAnalysis.resample(signal, from: input, to: output, quality: .quick, chunks: [777])
        #expect(out.count == Int((Double(signal.count) * output / input).rounded()))
        #expect(out.allSatisfy { $0.isFinite && abs($0) < 1.1 })
    }

    /// The end of the stream is handled as if silence followed: resampling `x` equals
    /// resampling `x` + zeros, cut to the same length, to the bit.
    @Test(arguments: [(44_100.0, 16_000.0), (48_000, 16_000), (192_000, 16_000), (8_000, 16_000), (44_100, 47_999)],
          Resampler.Quality.allCases)
    func streamEndBehavesLikeSilenceFollows(rates: (Double, Double), quality: Resampler.Quality) throws {
        let (input, output) = rates
        let signal = SignalAnalysis.sine(frequency: 997, rate: input, frames: 5_003)
        let plain = try SignalAnalysis.resample(signal, from: input, to: output, quality: quality, chunks: [1_024])
        let padded = try SignalAnalysis.resample(
            signal + [Float](repeating: 0, count: 20_000), from: input, to: output, quality: quality, chunks: [1_024])
        let mismatches = zip(plain, padded).filter { $0 != $1 }.count
        #expect(mismatches == 0 && padded.count > plain.count)
    }

    /// The start of the stream is handled as if silence came before: prepending silence that
    /// lasts a whole number of output frames only delays the output by that many frames.
    @Test(arguments: [(44_100.0, 16_000.0, 441), (48_000, 16_000, 300), (8_000, 16_000, 100), (192_000, 16_000, 1200)])
    func streamStartBehavesLikeSilenceCameBefore(input: Double, output: Double, silence: Int) throws {
        let signal = SignalAnalysis.sine(frequency: 997, rate: input, frames: 4_000)
        let plain = try SignalAnalysis.resample(signal, from: input, to: output)
        let delayed = try SignalAnalysis.resample([Float](repeating: 0, count: silence) + signal, from: input, to: output)
        let shift = Int((Double(silence) * output / input).rounded())
        let worst = zip(plain, delayed.dropFirst(shift)).map { abs($0 - $1) }.max() ?? 0
        #expect(worst < 1e-5)  // Float32 round-off only (about 1e-7 measured)
    }

    @Test func equalRatesPassThrough() throws {
        let signal = SignalAnalysis.sine(frequency: 1000, rate: 16_000, frames: 1234)
        #expect(try SignalAnalysis.resample(signal, from: 16_000, to: 16_000) == signal)
    }

    @Test func ratioIsReducedExactly() throws {
        let resampler = try Resampler(inputRate: 44_100, outputRate: 16_000, channelCount: 1)
        #expect(resampler.ratio == (160, 441))
        #expect(resampler.outputFrameCount(forInputFrames: 441 * 1_000_000_007) == 160 * 1_000_000_007)
    }

    @Test(arguments: [0.0, -16_000, .nan, .infinity, 500, 1_000_000])
    func badRatesAreTypedErrors(rate: Double) {
        #expect(throws: PCMError.self) { try Resampler(inputRate: rate, outputRate: 16_000, channelCount: 1) }
        #expect(throws: PCMError.self) { try Resampler(inputRate: 16_000, outputRate: rate, channelCount: 1) }
    }

    @Test(arguments: [0, 65])
    func badChannelCountsAreTypedErrors(channels: Int) {
        #expect(throws: PCMError.self) { try Resampler(inputRate: 44_100, outputRate: 16_000, channelCount: channels) }
    }

    @Test func mismatchedFormatIsRejected() throws {
        var resampler = try Resampler(inputRate: 44_100, outputRate: 16_000, channelCount: 1)
        let wrong = try SignalAnalysis.mono([0, 0], rate: 48_000)
        let error = #expect(throws: PCMError.self) { try resampler.process(wrong) }
        #expect(error?.code == .formatMismatch)
    }

    @Test func nonFiniteInputIsRejectedWithoutConsumingIt() throws {
        let signal = SignalAnalysis.sine(frequency: 1000, rate: 44_100, frames: 5000)
        var resampler = try Resampler(inputRate: 44_100, outputRate: 16_000, channelCount: 1)
        var out = try resampler.process(SignalAnalysis.mono(Array(signal[..<2000]), rate: 44_100)).samples
        for bad in [Float.nan, .infinity, -.infinity] {
            let error = #expect(throws: PCMError.self) {
                try resampler.process(SignalAnalysis.mono([0.5, bad, 0.5], rate: 44_100))
            }
            #expect(error?.code == .nonFiniteSample)
        }
        out += try resampler.process(SignalAnalysis.mono(Array(signal[2000...]), rate: 44_100)).samples
        out += resampler.flush().samples
        #expect(out == (try SignalAnalysis.resample(signal, from: 44_100, to: 16_000)))
    }

    @Test func flushResetsForANewStream() throws {
        let signal = SignalAnalysis.sine(frequency: 440, rate: 48_000, frames: 4800)
        var resampler = try Resampler(inputRate: 48_000, outputRate: 16_000, channelCount: 1)
        let buffer = try SignalAnalysis.mono(signal, rate: 48_000)
        let first = try resampler.process(buffer).samples + resampler.flush().samples
        let second = try resampler.process(buffer).samples + resampler.flush().samples
        #expect(first == second)
        #expect(first.count == 1600)
    }

    static func sineErrorDB(_ input: Double, _ output: Double, quality: Resampler.Quality) throws -> Double {
        let signal = SignalAnalysis.sine(frequency: 1000, rate: input, frames: Int(input / 2))
        let out = try SignalAnalysis.resample(signal, from: input, to: output, quality: quality)
        let margin = Int(output / 20)
        let db = SignalAnalysis.errorDB(out, range: margin..<(out.count - margin), frequency: 1000, rate: output)
        print("THD+N \(quality) \(Int(input))->\(Int(output)): \(db) dB")
        return db
    }
}
