import Foundation
import PCM
import Testing

@Suite struct ConversionTests {
    let mono = try! AudioFormat(sampleRate: 16_000, channelCount: 1)
    let stereo = try! AudioFormat(sampleRate: 16_000, channelCount: 2)

    @Test func int16RoundTripsExactly() throws {
        let all = (Int(Int16.min)...Int(Int16.max)).map { Int16($0) }
        let buffer = try PCMBuffer(int16: all, format: mono)
        #expect(buffer.samples.first == -1)
        let back = buffer.int16Samples()
        #expect(back.samples == all)
        #expect(back.clippedCount == 0)
    }

    @Test func int32And24RoundTripExactly() throws {
        let values: [Int32] = [.min, -8_388_608 << 8, -256, 0, 256, 1 << 30, 8_388_607 << 8]
        let buffer = try PCMBuffer(int32: values, format: mono)
        #expect(buffer.int32Samples().samples == values)
        let bytes: [UInt8] = [0x00, 0x00, 0x80, 0xFF, 0xFF, 0x7F, 0x01, 0x00, 0x00, 0xFF, 0xFF, 0xFF]
        let packed = try PCMBuffer(int24Packed: bytes, format: mono)
        let expected: [Float] = [-1, Float(8_388_607) / 8_388_608, 1 / 8_388_608, -1 / 8_388_608]
        #expect(packed.samples == expected)
        #expect(packed.int24PackedSamples().samples == bytes)
    }

    @Test func roundingIsToNearestAndClippingIsCounted() throws {
        let lsb: Float = 1 / 32768
        let input: [Float] = [0.4 * lsb, 0.6 * lsb, -0.6 * lsb, 1.0, -1.0, 1.5, -2, .infinity, .nan]
        let buffer = try PCMBuffer(format: mono, interleaved: input)
        let converted = buffer.int16Samples()
        let expected: [Int16] = [0, 1, -1, 32767, -32768, 32767, -32768, 32767, 0]
        #expect(converted.samples == expected)
        #expect(converted.clippedCount == 4)
        #expect(converted.nonFiniteCount == 2)
        let dithered = buffer.int16Samples(dither: .triangular(seed: 1))
        #expect((4...5).contains(dithered.clippedCount))  // −1.0 may dither below the minimum
        #expect(dithered.nonFiniteCount == 2)
        #expect(dithered.samples[7] == 32767 && dithered.samples[8] == 0)
        let minusInfinity = try PCMBuffer(format: mono, interleaved: [-.infinity]).int16Samples()
        #expect(minusInfinity.samples == [-32768] && minusInfinity.nonFiniteCount == 1)
        let bytes = buffer.int24PackedSamples()
        #expect(bytes.clippedCount == 4)
        #expect(bytes.nonFiniteCount == 2)
        #expect(Array(bytes.samples[9..<12]) == [0xFF, 0xFF, 0x7F])
    }

    @Test func tiesRoundToEven() throws {
        let lsb: Float = 1 / 32768
        let buffer = try PCMBuffer(format: mono, interleaved: [0.5 * lsb, 1.5 * lsb, 2.5 * lsb, -0.5 * lsb, -1.5 * lsb, 32767.5 * lsb])
        let expected: [Int16] = [0, 2, 2, 0, -2, 32767]
        #expect(buffer.int16Samples().samples == expected)
        #expect(buffer.int16Samples().clippedCount == 1)
        let wide = try PCMBuffer(format: mono, interleaved: [0.5 / 8_388_608, 1.5 / 8_388_608])
        #expect(wide.int24PackedSamples().samples == [0, 0, 0, 2, 0, 0])
    }

    @Test func partialSamplesAndFramesAreRejected() {
        #expect(throws: PCMError.self) { try PCMBuffer(int16: [1, 2, 3], format: stereo) }
        #expect(throws: PCMError.self) { try PCMBuffer(int24Packed: [1, 2], format: mono) }
        #expect(throws: PCMError.self) { try PCMBuffer(int24Packed: [1, 2, 3], format: stereo) }
    }

    @Test func triangularDitherIsReproducibleAndDecorrelatesTheError() throws {
        // A constant a quarter of an LSB above zero: plain rounding loses it entirely,
        // dithered rounding keeps it on average.
        let level: Float = 0.25 / 32768
        let buffer = try PCMBuffer(format: mono, interleaved: Array(repeating: level, count: 100_000))
        #expect(buffer.int16Samples().samples.allSatisfy { $0 == 0 })
        let dithered = buffer.int16Samples(dither: .triangular(seed: 42))
        #expect(dithered.samples == buffer.int16Samples(dither: .triangular(seed: 42)).samples)
        #expect(dithered.samples != buffer.int16Samples(dither: .triangular(seed: 43)).samples)
        let mean = Double(dithered.samples.reduce(0) { $0 + Int($1) }) / 100_000
        #expect(abs(mean - 0.25) < 0.02)
        #expect(dithered.samples.allSatisfy { (-1...2).contains($0) })
    }

    @Test func downmixAveragesAndSelectsAndUpmixes() throws {
        let buffer = try PCMBuffer(format: stereo, interleaved: [1, 0, 0.5, -0.5, -1, 0])
        #expect(buffer.downmixedToMono().samples == [0.5, 0, -0.5])
        #expect(buffer.downmixedToMono().format.channelCount == 1)
        #expect(try buffer.channel(1).samples == [0, -0.5, 0])
        #expect(throws: PCMError.self) { try buffer.channel(2) }
        let mono = try buffer.channel(0)
        let wide = try mono.upmixed(toChannels: 3)
        #expect(wide.samples == [1, 1, 1, 0.5, 0.5, 0.5, -1, -1, -1])
        #expect(throws: PCMError.self) { try buffer.upmixed(toChannels: 4) }
        #expect(throws: PCMError.self) { try mono.upmixed(toChannels: 65) }
        let three = try PCMBuffer(format: AudioFormat(sampleRate: 8000, channelCount: 3), interleaved: [3, 0, 0, 0, 0, 3])
        #expect(three.downmixedToMono().samples == [1, 1])
    }

    @Test func levelsMeasurePeakRMSAndDC() throws {
        let sine = SignalAnalysis.sine(frequency: 1000, rate: 16_000, frames: 16_000)
        let levels = SignalLevels(of: try PCMBuffer(format: mono, interleaved: sine.map { $0 + 0.25 }))
        #expect(abs(levels.dcOffset - 0.25) < 1e-6)
        #expect(abs(levels.peak - 1.25) < 1e-6)
        #expect(levels.clippedCount > 0)
        let pure = SignalLevels(of: try PCMBuffer(format: mono, interleaved: sine.map { $0 * 0.5 }))
        #expect(abs(pure.rmsDBFS - (-6.0206 - 3.0103)) < 0.001)
        #expect(abs(pure.peakDBFS - (-6.0206)) < 0.001)
        #expect(pure.clippedCount == 0)
        let silence = SignalLevels(of: PCMBuffer(format: mono))
        #expect(silence.peakDBFS == -.infinity)
        let broken = SignalLevels(of: try PCMBuffer(format: mono, interleaved: [0.5, .nan, -0.5]))
        #expect(broken.nonFiniteCount == 1)
        #expect(broken.peak == 0.5)
    }

    @Test func gainScales() throws {
        var buffer = try PCMBuffer(format: mono, interleaved: [0.5, -0.25])
        buffer.applyGain(decibels: 20 * log10(2))
        let rounded = buffer.samples.map { ($0 * 1e5).rounded() / 1e5 }
        #expect(rounded == [1, -0.5])
    }
}
