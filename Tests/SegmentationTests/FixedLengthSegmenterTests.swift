import PCM
import Segmentation
import Testing
import TestSupport

/// The segments a fixed-length segmenter must produce, computed directly from the definition.
private func expectedSegments(
    total: Int, length: Int, hop: Int, rate: Double, tail: FixedLengthSegmenter.TailPolicy
) -> [Segment] {
    guard total > 0 else { return [] }
    var result: [Segment] = []
    var start = 0
    while true {
        let end = min(start + length, total)
        result.append(Segment(startFrame: start, endFrame: end, sampleRate: rate))
        if end == total { break }
        start += hop
    }
    guard let last = result.last, last.frameCount < length else { return result }
    switch tail {
    case .keep: return result
    case .drop: return Array(result.dropLast())
    case .mergeIfShorter(let seconds):
        let threshold = Int((seconds * rate).rounded())
        guard result.count > 1, last.frameCount < threshold else { return result }
        result.removeLast()
        result[result.count - 1].endFrame = total
        return result
    }
}

@Suite("Fixed-length segmentation")
struct FixedLengthSegmenterTests {
    @Test("35 s in 5 s pieces gives 7 pieces at 0, 5, … 30 s (the old even-split bug)")
    func oldEvenSplitRegression() throws {
        var segmenter = try FixedLengthSegmenter(sampleRate: 16_000, lengthSeconds: 5)
        let audio = try monoBuffer(Array(repeating: 0, count: 35 * 16_000))
        let segments = try segmenter.segments(of: audio)
        #expect(segments.count == 7)
        #expect(segments.map(\.startSeconds) == [0, 5, 10, 15, 20, 25, 30])
        #expect(segments.allSatisfy { $0.durationSeconds == 5 })
        #expect(segments.last?.endSeconds == 35)
    }

    @Test("A 37.5 s file keeps a 2.5 s tail, drops it, or merges it", arguments: [
        (FixedLengthSegmenter.TailPolicy.keep, 8, 37.5),
        (.drop, 7, 35.0),
        (.mergeIfShorter(thanSeconds: 3), 7, 37.5),
        (.mergeIfShorter(thanSeconds: 2), 8, 37.5),
    ])
    func tailPolicies(policy: FixedLengthSegmenter.TailPolicy, count: Int, end: Double) throws {
        var segmenter = try FixedLengthSegmenter(sampleRate: 8_000, lengthSeconds: 5, tail: policy)
        let segments = segmenter.advance(byFrames: 300_000) + segmenter.finish()
        #expect(segments.count == count)
        #expect(segments.last?.endSeconds == end)
    }

    @Test("Random lengths, rates, hops, tails and chunkings match the definition", arguments: 0..<40)
    func property(seed: UInt64) throws {
        var rng = SeededRandom(seed: seed)
        let rate = [8_000, 11_025, 16_000, 22_050, 44_100, 48_000, 96_000, 7_999.5].randomElement(using: &rng)!
        let total = Int.random(in: 0...20_000, using: &rng)
        let length = Int.random(in: 1...max(1, total / Int.random(in: 1...20, using: &rng)), using: &rng)
        let hop = Bool.random(using: &rng) ? length : Int.random(in: 1...length, using: &rng)
        let tail: FixedLengthSegmenter.TailPolicy = switch Int.random(in: 0..<3, using: &rng) {
        case 0: .keep
        case 1: .drop
        default: .mergeIfShorter(thanSeconds: Double(Int.random(in: 0...length, using: &rng)) / rate)
        }
        var segmenter = try FixedLengthSegmenter(sampleRate: rate, lengthFrames: length, hopFrames: hop, tail: tail)
        let format = try AudioFormat(sampleRate: rate, channelCount: Int.random(in: 1...2, using: &rng))
        let audio = try PCMBuffer(format: format, interleaved: Array(repeating: 0.1, count: total * format.channelCount))
        let chunked = try segmenter.segments(of: audio, chunkSizes: randomChunkSizes(total: total, using: &rng))
        let whole = try segmenter.segments(of: audio)
        let expected = expectedSegments(total: total, length: length, hop: hop, rate: rate, tail: tail)
        #expect(chunked == expected, "rate \(rate) N \(total) length \(length) hop \(hop) tail \(tail)")
        #expect(whole == expected)

        if hop == length, case .keep = tail {
            // Without overlap the pieces tile the input exactly once.
            #expect(chunked.count == (total + length - 1) / length)
            #expect(zip(chunked, chunked.dropFirst()).allSatisfy { $0.endFrame == $1.startFrame })
            #expect(chunked.first?.startFrame ?? 0 == 0)
            #expect(chunked.last?.endFrame ?? 0 == total)
        }
    }

    @Test("Boundaries stay exact over 10 hours at 44.1 kHz (no float drift)")
    func noDrift() throws {
        var segmenter = try FixedLengthSegmenter(sampleRate: 44_100, lengthSeconds: 0.1)
        var segments: [Segment] = []
        let total = 10 * 3600 * 44_100
        var pushed = 0
        var rng = SeededRandom(seed: 7)
        while pushed < total {
            let step = min(total - pushed, Int.random(in: 1...5_000_000, using: &rng))
            segments += segmenter.advance(byFrames: step)
            pushed += step
        }
        segments += segmenter.finish()
        #expect(segments.count == 360_000)
        #expect(segments.enumerated().allSatisfy { $1.startFrame == $0 * 4_410 && $1.frameCount == 4_410 })
        #expect(segments.last?.endSeconds == 36_000)
    }

    @Test("Overlapping pieces: 10 s windows every 4 s over 23 s")
    func overlap() throws {
        var segmenter = try FixedLengthSegmenter(sampleRate: 1_000, lengthSeconds: 10, hopSeconds: 4)
        let segments = segmenter.advance(byFrames: 23_000) + segmenter.finish()
        #expect(segments.map(\.startSeconds) == [0, 4, 8, 12, 16])
        #expect(segments.map(\.endSeconds) == [10, 14, 18, 22, 23])
    }

    @Test("Bad parameters are typed errors", arguments: [
        (0.0, nil, FixedLengthSegmenter.TailPolicy.keep, SegmentationError.Code.invalidParameter),
        (-1, nil, .keep, .invalidParameter),
        (.nan, nil, .keep, .invalidParameter),
        (5, 6, .keep, .inconsistentParameters),
        (5, 0, .keep, .invalidParameter),
        (5, nil, .mergeIfShorter(thanSeconds: 6), .inconsistentParameters),
        (5, nil, .mergeIfShorter(thanSeconds: -1), .invalidParameter),
    ] as [(Double, Double?, FixedLengthSegmenter.TailPolicy, SegmentationError.Code)])
    func badParameters(length: Double, hop: Double?, tail: FixedLengthSegmenter.TailPolicy, code: SegmentationError.Code) {
        let error = #expect(throws: SegmentationError.self) {
            _ = try FixedLengthSegmenter(sampleRate: 16_000, lengthSeconds: length, hopSeconds: hop, tail: tail)
        }
        #expect(error?.code == code)
    }

    @Test("A chunk at another sample rate is refused")
    func rateMismatch() throws {
        var segmenter = try FixedLengthSegmenter(sampleRate: 16_000, lengthSeconds: 1)
        let error = #expect(throws: SegmentationError.self) {
            _ = try segmenter.push(monoBuffer([0, 0], rate: 8_000))
        }
        #expect(error?.code == .sampleRateMismatch)
        #expect(throws: SegmentationError.self) { _ = try FixedLengthSegmenter(sampleRate: 0, lengthSeconds: 1) }
    }
}
