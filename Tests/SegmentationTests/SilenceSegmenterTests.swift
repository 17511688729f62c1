import Foundation
import PCM
import Segmentation
import Testing
import TestSupport

/// Noise bursts standing in for speech, on a faint noise background, with known positions.
/// Like speech, the bursts are not stationary: every 250 ms "syllable" ends in a 50 ms dip of
/// -20 dB, so the adaptive noise floor does not mistake a long burst for background.
private func bursts(_ spans: [(Double, Double)], total: Double, rate: Double = 16_000, seed: UInt64 = 1) -> [Float] {
    var rng = SeededRandom(seed: seed)
    var samples = (0..<Int(total * rate)).map { _ in 0.0005 * rng.gaussian() }
    for (start, end) in spans {
        for index in Int(start * rate)..<Int(end * rate) {
            let inDip = (index - Int(start * rate)) % Int(0.25 * rate) >= Int(0.2 * rate)
            samples[index] += (inDip ? 0.01 : 0.1) * rng.gaussian()
        }
    }
    return samples
}

private func expectNear(_ value: Double, _ target: Double, within tolerance: Double = 0.011, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(abs(value - target) <= tolerance, "\(value) is not within \(tolerance) of \(target)", sourceLocation: sourceLocation)
}

@Suite("Silence-aware segmentation")
struct SilenceSegmenterTests {
    @Test("Pauses split, padding surrounds speech, short clicks are dropped")
    func basicShape() throws {
        let audio = try monoBuffer(bursts([(1.0, 2.0), (2.5, 4.0), (5.0, 5.03), (6.0, 6.2)], total: 7))
        var segmenter = try SilenceSegmenter(sampleRate: 16_000)
        let segments = try segmenter.segments(of: audio)
        try #require(segments.count == 3)
        expectNear(segments[0].startSeconds, 0.9)
        expectNear(segments[0].endSeconds, 2.1)
        expectNear(segments[1].startSeconds, 2.4)
        expectNear(segments[1].endSeconds, 4.1)
        expectNear(segments[2].startSeconds, 5.9)
        expectNear(segments[2].endSeconds, 6.3)
    }

    @Test("A pause shorter than the minimum silence does not split")
    func shortPauseKept() throws {
        let audio = try monoBuffer(bursts([(1.0, 2.0), (2.2, 3.0)], total: 4))
        var segmenter = try SilenceSegmenter(sampleRate: 16_000)
        let segments = try segmenter.segments(of: audio)
        #expect(segments.count == 1)
    }

    @Test("A piece longer than the maximum splits at the quietest point, not mid-burst")
    func forcedSplitAtQuietestPoint() throws {
        // 30 s of "speech" with 120 ms dips (shorter than the minimum silence) at 7 s and 16.5 s.
        let audio = try monoBuffer(bursts([(0.5, 7.0), (7.12, 16.5), (16.62, 30.5)], total: 31))
        var segmenter = try SilenceSegmenter(sampleRate: 16_000, parameters: .init(maximumSegmentSeconds: 10, splitSearchSeconds: 5))
        let segments = try segmenter.segments(of: audio)
        try #require(segments.count == 4)
        #expect(segments.allSatisfy { $0.durationSeconds <= 10 })
        // 0.4 + 10 = 10.4: the quietest point between 5.4 and 10.4 is the dip at 7.0–7.12.
        #expect((7.0...7.12).contains(segments[0].endSeconds))
        #expect(segments[1].startFrame == segments[0].endFrame)
        // Next limit ≈ 17.06: the dip at 16.5–16.62 is inside the window.
        #expect((16.5...16.62).contains(segments[1].endSeconds))
    }

    @Test("Segments do not depend on the chunking, at any rate", arguments: 0..<8)
    func chunkingInvariance(seed: UInt64) throws {
        var rng = SeededRandom(seed: seed)
        var spans: [(Double, Double)] = []
        var time = Double.random(in: 0...1, using: &rng)
        while time < 16 {
            let length = Double.random(in: 0.02...6, using: &rng)
            spans.append((time, min(time + length, 19.9)))
            time += length + Double.random(in: 0.05...1.5, using: &rng)
        }
        let channels = Int.random(in: 1...2, using: &rng)
        let rate: Double = [8_000, 11_025, 16_000, 22_050].randomElement(using: &rng)!
        let mono = bursts(spans, total: 20, rate: rate, seed: seed)
        let format = try AudioFormat(sampleRate: rate, channelCount: channels)
        let audio = try PCMBuffer(format: format, interleaved: mono.flatMap { Array(repeating: $0, count: channels) })
        let parameters = SilenceSegmenter.Parameters(
            startThresholdDB: Double.random(in: 6...12, using: &rng), stopThresholdDB: 4,
            maximumSegmentSeconds: Double.random(in: 3...15, using: &rng), splitSearchSeconds: 2)
        var segmenter = try SilenceSegmenter(sampleRate: rate, parameters: parameters)
        let whole = try segmenter.segments(of: audio)
        let chunked = try segmenter.segments(of: audio, chunkSizes: randomChunkSizes(total: audio.frameCount, using: &rng))
        let tiny = try segmenter.segments(of: audio, chunkSizes: randomChunkSizes(total: audio.frameCount, using: &rng).flatMap { size in
            size > 1 ? [size / 2, size - size / 2] : [size]
        })
        #expect(!whole.isEmpty)
        #expect(chunked == whole)
        #expect(tiny == whole)
        #expect(zip(whole, whole.dropFirst()).allSatisfy { $0.endFrame <= $1.startFrame })
        #expect(whole.allSatisfy { $0.durationSeconds <= parameters.maximumSegmentSeconds })
    }

    @Test("Bad parameters are typed errors", arguments: [
        (SilenceSegmenter.Parameters(frameSeconds: 0), SegmentationError.Code.invalidParameter),
        (.init(startThresholdDB: 3, stopThresholdDB: 6), .inconsistentParameters),
        (.init(minimumSilenceSeconds: 0.1, paddingSeconds: 0.2), .inconsistentParameters),
        (.init(maximumSegmentSeconds: 4, splitSearchSeconds: 5), .inconsistentParameters),
        (.init(minimumSpeechSeconds: 30, maximumSegmentSeconds: 20), .inconsistentParameters),
        (.init(paddingSeconds: -1), .invalidParameter),
        (.init(startThresholdDB: .infinity), .invalidParameter),
    ])
    func badParameters(parameters: SilenceSegmenter.Parameters, code: SegmentationError.Code) {
        let error = #expect(throws: SegmentationError.self) {
            _ = try SilenceSegmenter(sampleRate: 16_000, parameters: parameters)
        }
        #expect(error?.code == code)
    }

    @Test("A chunk at another sample rate is refused")
    func rateMismatch() throws {
        var segmenter = try SilenceSegmenter(sampleRate: 16_000)
        let error = #expect(throws: SegmentationError.self) { _ = try segmenter.push(monoBuffer([0], rate: 44_100)) }
        #expect(error?.code == .sampleRateMismatch)
    }
}

@Test("A stream cannot change its channel count between chunks")
func channelCountMismatch() throws {
    var segmenter = try SilenceSegmenter(sampleRate: 16_000)
    _ = try segmenter.push(monoBuffer([0.1]))
    let stereo = try PCMBuffer(format: AudioFormat(sampleRate: 16_000, channelCount: 2), interleaved: [0, 0])
    let error = #expect(throws: SegmentationError.self) { _ = try segmenter.push(stereo) }
    #expect(error?.code == .channelCountMismatch)
}
