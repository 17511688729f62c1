import Foundation
import PCM
import Segmentation
import TestSupport

/// Random chunk sizes (some empty) that add up to `total`.
func randomChunkSizes(total: Int, using rng: inout SeededRandom) -> [Int] {
    var sizes: [Int] = []
    var left = total
    let typical = max(1, Int.random(in: 1...max(1, total / 3 + 1), using: &rng))
    while left > 0 {
        let size = Bool.random(using: &rng) && Int.random(in: 0..<8, using: &rng) == 0
            ? 0 : min(left, Int.random(in: 1...typical, using: &rng))
        sizes.append(size)
        left -= size
    }
    return sizes
}

extension Segmenter {
    /// Pushes `buffer` cut into chunks of the given sizes, then finishes.
    mutating func segments(of buffer: PCMBuffer, chunkSizes: [Int]) throws -> [Segment] {
        var result: [Segment] = []
        var start = 0
        for size in chunkSizes {
            result += try push(buffer.frames(start..<(start + size)))
            start += size
        }
        precondition(start == buffer.frameCount)
        return result + finish()
    }
}

func monoBuffer(_ samples: [Float], rate: Double = 16_000) throws -> PCMBuffer {
    try PCMBuffer(format: AudioFormat(sampleRate: rate, channelCount: 1), interleaved: samples)
}

/// Reads audio with sox as 16 kHz mono Float32 samples.
/// - Parameter soxInput: sox's input arguments (a path, optionally preceded by format options).
func readWithSox(_ soxInput: [String]) throws -> [Float] {
    let output = try ExternalTool.run(["sox"] + soxInput + ["-t", "f32", "-r", "16000", "-c", "1", "-"])
    guard output.status == 0 else {
        throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: String(decoding: output.stderr, as: UTF8.self)])
    }
    return output.stdout.withUnsafeBytes { raw in
        (0..<(raw.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
    }
}

/// Speech with known sentence boundaries: sentences spoken by espeak-ng, trimmed to their
/// first and last audible sample, joined by digital silences of chosen lengths.
struct SpokenSentences {
    static let rate = 16_000
    var samples: [Float] = []
    /// The frame range of each sentence.
    var sentences: [Range<Int>] = []

    init(_ texts: [String], pauses: [Double], lead: Double = 0.5, trail: Double = 0.5, in directory: TemporaryDirectory) throws {
        precondition(pauses.count == texts.count - 1)
        samples = Array(repeating: 0, count: Int(lead * Double(Self.rate)))
        for (index, text) in texts.enumerated() {
            let wav = directory.file("sentence\(index).wav")
            try ExternalTool.run(["espeak-ng", "-v", "en-us", "-w", wav, text])
            let spoken = try readWithSox([wav])
            let audible = spoken.indices.filter { abs(spoken[$0]) > 0.003 }
            let body = spoken[audible.first!...audible.last!]
            sentences.append(samples.count..<(samples.count + body.count))
            samples += body
            let gap = index < pauses.count ? pauses[index] : trail
            samples += Array(repeating: 0, count: Int((gap * Double(Self.rate)).rounded()))
        }
    }

    /// The RMS level of the speech.
    var speechRMS: Float {
        var sum: Double = 0
        var count = 0
        for range in sentences { for x in samples[range] { sum += Double(x * x); count += 1 } }
        return Float((sum / Double(count)).squareRoot())
    }

    /// A copy with white noise added at the given signal-to-noise ratio.
    func withNoise(snrDB: Float, seed: UInt64) -> [Float] {
        var rng = SeededRandom(seed: seed)
        let sigma = speechRMS / pow(10, snrDB / 20)
        return samples.map { $0 + sigma * rng.gaussian() }
    }
}
