import Foundation
import PCM

/// Double-precision signal generation and measurement for the DSP tests.
enum SignalAnalysis {
    /// A sine of `amplitude` at `frequency` Hz, sampled at `rate`, as Float32 samples.
    @_optimize(speed)
    static func sine(frequency: Double, rate: Double, frames: Int, amplitude: Double = 1, phase: Double = 0) -> [Float] {
        (0..<frames).map { Float(amplitude * sin(2 * .pi * frequency * Double($0) / rate + phase)) }
    }

    /// A mono buffer.
    static func mono(_ samples: [Float], rate: Double) throws -> PCMBuffer {
        try PCMBuffer(format: AudioFormat(sampleRate: rate, channelCount: 1), interleaved: samples)
    }

    /// Resamples a whole signal, feeding it in the given chunk sizes (cycled).
    static func resample(
        _ samples: [Float], from inputRate: Double, to outputRate: Double,
        quality: Resampler.Quality = .high, chunks: [Int] = [4096]
    ) throws -> [Float] {
        var resampler = try Resampler(inputRate: inputRate, outputRate: outputRate, channelCount: 1, quality: quality)
        var output: [Float] = []
        var start = 0
        var k = 0
        while start < samples.count {
            let end = min(samples.count, start + max(1, chunks[k % chunks.count]))
            output += try resampler.process(mono(Array(samples[start..<end]), rate: inputRate)).samples
            start = end
            k += 1
        }
        output += resampler.flush().samples
        return output
    }

    /// The error of `signal[range]` against the ideal sine, in dB relative to the sine's RMS:
    /// THD+N including any gain or timing error.
    @_optimize(speed)
    static func errorDB(
        _ signal: [Float], range: Range<Int>, frequency: Double, rate: Double, amplitude: Double = 1
    ) -> Double {
        var error = 0.0
        var power = 0.0
        for n in range {
            let ideal = amplitude * sin(2 * .pi * frequency * Double(n) / rate)
            error += (Double(signal[n]) - ideal) * (Double(signal[n]) - ideal)
            power += ideal * ideal
        }
        return 10 * log10(error / power)
    }

    /// The least-squares amplitude of a sine at `frequency` in `signal[range]` (with its DC
    /// removed by the same fit).
    @_optimize(speed)
    static func amplitude(_ signal: [Float], range: Range<Int>, frequency: Double, rate: Double) -> Double {
        // Normal equations for [sin, cos, 1].
        var m = [[Double]](repeating: [0, 0, 0], count: 3)
        var v = [0.0, 0.0, 0.0]
        for n in range {
            let w = 2 * .pi * frequency * Double(n) / rate
            let basis = [sin(w), cos(w), 1.0]
            for i in 0..<3 {
                v[i] += basis[i] * Double(signal[n])
                for j in 0..<3 { m[i][j] += basis[i] * basis[j] }
            }
        }
        let x = solve3(m, v)
        return (x[0] * x[0] + x[1] * x[1]).squareRoot()
    }

    /// The RMS of `signal[range]`.
    @_optimize(speed)
    static func rms(_ signal: [Float], range: Range<Int>) -> Double {
        var sum = 0.0
        for n in range { sum += Double(signal[n]) * Double(signal[n]) }
        return (sum / Double(range.count)).squareRoot()
    }

    private static func solve3(_ a: [[Double]], _ b: [Double]) -> [Double] {
        var m = a
        var v = b
        for col in 0..<3 {
            let pivot = (col..<3).max { abs(m[$0][col]) < abs(m[$1][col]) }!
            m.swapAt(col, pivot)
            v.swapAt(col, pivot)
            for row in 0..<3 where row != col {
                let f = m[row][col] / m[col][col]
                for k in 0..<3 { m[row][k] -= f * m[col][k] }
                v[row] -= f * v[col]
            }
        }
        return (0..<3).map { v[$0] / m[$0][$0] }
    }
}

extension SignalAnalysis {
    /// The amplitude of the tone at `frequency` in `signal[range]`, by a single DFT bin under a
    /// 4-term Blackman-Harris window (−92 dB side lobes), so broadband round-off noise is
    /// spread over the other bins instead of being counted as leakage.
    @_optimize(speed)
    static func toneAmplitude(_ signal: [Float], range: Range<Int>, frequency: Double, rate: Double) -> Double {
        let count = Double(range.count)
        var re = 0.0, im = 0.0, windowSum = 0.0
        for (k, n) in range.enumerated() {
            let x = 2 * Double.pi * Double(k) / (count - 1)
            let w = 0.35875 - 0.48829 * cos(x) + 0.14128 * cos(2 * x) - 0.01168 * cos(3 * x)
            let phase = 2 * Double.pi * frequency * Double(n) / rate
            re += w * Double(signal[n]) * cos(phase)
            im -= w * Double(signal[n]) * sin(phase)
            windowSum += w
        }
        let edge = frequency < 1 || abs(frequency - rate / 2) < 1
        return (edge ? 1 : 2) * (re * re + im * im).squareRoot() / windowSum
    }

    /// Every frequency at which a resampler's output could show a tone that went in at
    /// `frequency`: ±f plus multiples of any rate in the chain, folded into the output band.
    static func aliasFrequencies(of frequency: Double, rates: [Double], outputRate: Double) -> [Double] {
        var result = Set<Double>()
        for rate in rates {
            for k in -4...4 {
                for f in [frequency + Double(k) * rate, -frequency + Double(k) * rate] {
                    var folded = f.truncatingRemainder(dividingBy: outputRate)
                    if folded < 0 { folded += outputRate }
                    if folded > outputRate / 2 { folded = outputRate - folded }
                    result.insert((folded * 1000).rounded() / 1000)
                }
            }
        }
        return result.sorted()
    }
}
