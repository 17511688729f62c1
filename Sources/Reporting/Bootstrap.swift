import Foundation

/// SplitMix64 (Steele, Lea & Flood 2014): the generator behind every bootstrap in a report,
/// chosen because it is a few lines in any language, so a reference implementation elsewhere
/// (the Python one in `Scripts/report-reference.py`) draws exactly the same numbers.
///
/// Output number *k* (counting from 1) depends only on the seed and *k*:
/// `z = seed + k·0x9E3779B97F4A7C15 (mod 2⁶⁴)`, then
/// `z = (z ^ (z >> 30)) · 0xBF58476D1CE4E5B9`, `z = (z ^ (z >> 27)) · 0x94D049BB133111EB`,
/// result `z ^ (z >> 31)`.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The state: the seed plus the golden-ratio increment times the outputs drawn so far.
    public private(set) var state: UInt64

    /// The golden-ratio increment added to the state before every output.
    public static let increment: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// Creates a generator.
    /// - Parameter seed: The starting state.
    public init(seed: UInt64) { state = seed }

    /// The next output.
    /// - Returns: 64 random bits.
    @inline(__always)
    public mutating func next() -> UInt64 {
        state &+= Self.increment
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The resampling behind every confidence interval and paired comparison in a report.
///
/// The scheme, so that other implementations can reproduce it exactly:
/// 1. Utterances are numbered `0..<n` in run order. Resample `r` (`0..<R`) draws `n`
///    indices, draw `k` being `next() mod n` of one ``SplitMix64`` seeded with `seed` and
///    shared by all resamples in order (so draw `k` of resample `r` is output `r·n + k + 1`).
/// 2. Every statistic of resample `r` is a ratio of integer sums over the drawn utterances,
///    an utterance counted as often as it was drawn: a corpus WER is Σ errors / Σ reference
///    words. A slice's value sums only the drawn utterances in that slice (so slice sizes vary
///    between resamples, as they would in a new sample of the corpus).
/// 3. A resample whose denominator is 0 gives no value; an interval is the 2.5th and 97.5th
///    percentile of the values, interpolated linearly as NumPy's default `percentile`.
struct Bootstrap {
    /// Per-utterance integer columns (e.g. errors and reference words), each of length `n`.
    var columns: [[Int64]]
    /// For each grouping: the group of each utterance (`-1`: in none), the group count, and
    /// how many of the first ``columns`` it sums.
    var groupings: [(codes: [Int32], count: Int, width: Int)]
    var resamples: Int
    var seed: UInt64

    /// Runs the resamples; `body(r, sums)` gets, for each grouping `g`, group `c` and column
    /// `j < width`, the resampled sum at `sums[g][c * width + j]`.
    ///
    /// One pass over the utterances per resample serves every grouping: each utterance's
    /// columns and the offsets of its groups' sums sit next to each other in memory.
    func run(_ body: (Int, [[Int64]]) -> Void) {
        let n = columns.first?.count ?? 0
        guard n > 0 else { return }
        let k = columns.count, g = groupings.count
        var rows = [Int64](repeating: 0, count: n * k)
        for (c, column) in columns.enumerated() { for i in 0..<n { rows[i * k + c] = column[i] } }
        var bases: [Int] = [], sumCount = 0
        for grouping in groupings {
            bases.append(sumCount)
            sumCount += grouping.count * grouping.width
        }
        // Where utterance i's group of grouping j keeps its sums (-1: none).
        var slots = [Int32](repeating: -1, count: n * g)
        for (j, grouping) in groupings.enumerated() {
            for i in 0..<n where grouping.codes[i] >= 0 {
                slots[i * g + j] = Int32(bases[j] + Int(grouping.codes[i]) * grouping.width)
            }
        }
        let widths = groupings.map(\.width)
        let (values, offsets, total) = (rows, slots, sumCount)  // immutable for the workers
        // Resamples are independent (resample r starts at SplitMix64 output r·n + 1), so
        // batches of them run on all cores; each writes its own slice of `batchSums`, and
        // `body` then sees them in order on this thread. A batch holds at most ~32 MB of sums.
        let threads = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
        let batch = max(threads, min(resamples, (4 << 20) / max(total, 1)))
        var batchSums = [Int64](repeating: 0, count: batch * total)
        let modulus = FastModulus(UInt64(n))
        for first in stride(from: 0, to: resamples, by: batch) {
            let count = min(batch, resamples - first)
            batchSums.withUnsafeMutableBufferPointer { all in
                let shared = SharedBuffer(base: all.baseAddress!)
                DispatchQueue.concurrentPerform(iterations: min(threads, count)) { worker in
                    var weights = [Int32](repeating: 0, count: n)
                    for r in Swift.stride(from: worker, to: count, by: min(threads, count)) {
                        let s = UnsafeMutableBufferPointer(start: shared.base + r * total, count: total)
                        var generator = SplitMix64(seed: seed &+ UInt64(first + r) &* UInt64(n) &* SplitMix64.increment)
                        weights.withUnsafeMutableBufferPointer { w in
                            for index in 0..<n { w[index] = 0 }
                            for _ in 0..<n { w[Int(modulus.remainder(generator.next()))] += 1 }
                        }
                        for index in 0..<total { s[index] = 0 }
                        weights.withUnsafeBufferPointer { w in
                            values.withUnsafeBufferPointer { v in
                                offsets.withUnsafeBufferPointer { o in
                                    widths.withUnsafeBufferPointer { width in
                                        for i in 0..<n where w[i] != 0 {
                                            let weight = Int64(w[i])
                                            for j in 0..<g {
                                                let offset = Int(o[i * g + j])
                                                if offset < 0 { continue }
                                                for c in 0..<width[j] { s[offset + c] &+= weight &* v[i * k + c] }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            for r in 0..<count {
                let base = r * total
                body(first + r, groupings.indices.map { j in
                    Array(batchSums[(base + bases[j])..<(base + bases[j] + widths[j] * groupings[j].count)])
                })
            }
        }
    }

    /// The `q`-th quantile (0…1) of `values`, interpolated linearly between order statistics
    /// exactly as NumPy's default `percentile` does; `nil` for no values.
    static func quantile(_ sorted: [Double], _ q: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let position = q * Double(sorted.count - 1)
        let below = Int(position.rounded(.down))
        let above = min(below + 1, sorted.count - 1)
        let t = position - Double(below)
        let a = sorted[below], b = sorted[above]
        let difference = b - a
        return t >= 0.5 ? b - difference * (1 - t) : a + difference * t
    }
}

/// `x mod n` without a division: a 64-bit division costs tens of cycles and there are
/// `n · resamples` draws. The quotient estimate `⌊x · ⌊(2⁶⁴−1)/n⌋ / 2⁶⁴⌋` is at most 2 below
/// the true quotient, so at most two corrections give the exact remainder.
struct FastModulus {
    let divisor: UInt64
    let reciprocal: UInt64

    init(_ divisor: UInt64) {
        self.divisor = divisor
        reciprocal = UInt64.max / divisor
    }

    @inline(__always)
    func remainder(_ x: UInt64) -> UInt64 {
        let quotient = x.multipliedFullWidth(by: reciprocal).high
        var rest = x &- quotient &* divisor
        while rest >= divisor { rest &-= divisor }
        return rest
    }
}

/// A buffer base address handed to worker threads that write disjoint parts of it.
private struct SharedBuffer: @unchecked Sendable {
    let base: UnsafeMutablePointer<Int64>
}

/// A measured rate with its 95 % bootstrap confidence interval.
public struct Estimate: Codable, Sendable, Hashable {
    /// The rate on the run as it is.
    public var value: Double
    /// The 2.5th percentile of the resampled rates (`nil` when no resample had a denominator).
    public var lower: Double?
    /// The 97.5th percentile of the resampled rates.
    public var upper: Double?

    /// Creates an estimate.
    /// - Parameters:
    ///   - value: The rate.
    ///   - lower: The interval's lower end.
    ///   - upper: The interval's upper end.
    public init(value: Double, lower: Double?, upper: Double?) {
        self.value = value
        self.lower = lower
        self.upper = upper
    }

    /// An estimate from the run's value and its resampled values (unsorted; `nan` ignored).
    init(value: Double, resampled: [Double]) {
        let sorted = resampled.filter { !$0.isNaN }.sorted()
        self.init(value: value, lower: Bootstrap.quantile(sorted, 0.025), upper: Bootstrap.quantile(sorted, 0.975))
    }
}
