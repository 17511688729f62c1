// Levenshtein distance with rapidfuzz's tie-breaking (the library jiwer 4 calls).
//
// rapidfuzz strips the common prefix and suffix, fills Hyyrö's bit-parallel matrix, and walks
// back from the end preferring, at each cell (i over the reference, j over the hypothesis):
//   1. a deletion when D[i][j] − D[i−1][j] = +1;
//   2. otherwise an insertion when j > 1 and D[i][j−1] − D[i−1][j−1] = −1;
//   3. otherwise the diagonal (a hit or a substitution).
// BitParallelAlignment.swift does exactly that, as rapidfuzz does (64 cells per word). For
// pairs whose bit matrix would be too large, this file applies the same rule to ordinary DP
// values: because each cell's choice looks only at its 2×2 neighbourhood, the hit count of the
// chosen path can be carried forward in the same two rows as the distances, which gives exact
// hit/substitution/deletion/insertion counts in O(min(n, m)) memory without storing a matrix.

/// The result of aligning two token sequences when only the counts are wanted.
struct EditCounts {
    var distance: Int
    var hits: Int
}

/// The common prefix and suffix lengths of two sequences (rapidfuzz's `common_affix`).
@inline(__always)
func commonAffix(_ a: UnsafeBufferPointer<Int32>, _ b: UnsafeBufferPointer<Int32>) -> (prefix: Int, suffix: Int) {
    var prefix = 0
    let shorter = min(a.count, b.count)
    while prefix < shorter, a[prefix] == b[prefix] { prefix += 1 }
    var suffix = 0
    while suffix < shorter - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
    return (prefix, suffix)
}

/// Reusable rows for ``countEditsInTwoRows(reference:hypothesis:rows:)``.
struct DistanceRows {
    var storage: [Int32] = []
}

/// Distance and hit count of rapidfuzz's alignment: from the bit-parallel matrix while it
/// keeps memory O(min(n, m)) (``bitMatrixFits(referenceCount:hypothesisCount:vocabulary:)``),
/// otherwise from two rows over the shorter sequence.
func countEdits(
    reference: UnsafeBufferPointer<Int32>, hypothesis: UnsafeBufferPointer<Int32>, vocabulary: Int,
    scratch: inout BitParallelScratch, rows: inout DistanceRows
) -> EditCounts {
    guard bitMatrixFits(referenceCount: reference.count, hypothesisCount: hypothesis.count, vocabulary: vocabulary) else {
        return countEditsInTwoRows(reference: reference, hypothesis: hypothesis, rows: &rows)
    }
    var sink = MissCounter()
    let distance = align(reference: reference, hypothesis: hypothesis, vocabulary: vocabulary, scratch: &scratch, sink: &sink)
    return EditCounts(distance: distance, hits: reference.count - sink.missed)
}

/// Distance and hit count of rapidfuzz's alignment, in two rows over the shorter sequence:
/// O(min(n, m)) memory whatever the lengths.
func countEditsInTwoRows(
    reference fullReference: UnsafeBufferPointer<Int32>, hypothesis fullHypothesis: UnsafeBufferPointer<Int32>,
    rows: inout DistanceRows
) -> EditCounts {
    let (prefix, suffix) = commonAffix(fullReference, fullHypothesis)
    let reference = UnsafeBufferPointer(rebasing: fullReference[prefix..<(fullReference.count - suffix)])
    let hypothesis = UnsafeBufferPointer(rebasing: fullHypothesis[prefix..<(fullHypothesis.count - suffix)])
    let affix = prefix + suffix
    if reference.isEmpty || hypothesis.isEmpty {
        return EditCounts(distance: reference.count + hypothesis.count, hits: affix)
    }
    let counts: EditCounts
    if reference.count <= hypothesis.count {
        counts = edits(inner: reference, outer: hypothesis, layout: ReferenceInner.self, rows: &rows)
    } else {
        counts = edits(inner: hypothesis, outer: reference, layout: HypothesisInner.self, rows: &rows)
    }
    return EditCounts(distance: counts.distance, hits: counts.hits + affix)
}

/// Which sequence runs along the kept row; it decides how the 2×2 neighbourhood maps onto
/// rapidfuzz's deletion/insertion tests.
protocol RowLayout {
    /// - Parameters: `d` is D at this cell; `left`/`up`/`diagonal` are D at (x−1, y), (x, y−1),
    ///   (x−1, y−1) in row coordinates (x along the row, y the row number).
    /// - Returns: Which neighbour the chosen path comes from: 0 for (x−1, y), 1 for (x, y−1),
    ///   2 for the diagonal.
    static func choose(d: Int32, left: Int32, up: Int32, diagonal: Int32, x: Int, y: Int) -> Int
}

/// The row runs over the reference (i = x, j = y).
enum ReferenceInner: RowLayout {
    @inline(__always)
    static func choose(d: Int32, left: Int32, up: Int32, diagonal: Int32, x: Int, y: Int) -> Int {
        if d - left == 1 { return 0 }  // deletion: (i−1, j)
        if y > 1, up - diagonal == -1 { return 1 }  // insertion: (i, j−1)
        return 2
    }
}

/// The row runs over the hypothesis (j = x, i = y).
enum HypothesisInner: RowLayout {
    @inline(__always)
    static func choose(d: Int32, left: Int32, up: Int32, diagonal: Int32, x: Int, y: Int) -> Int {
        if d - up == 1 { return 1 }  // deletion: (i−1, j)
        if x > 1, left - diagonal == -1 { return 0 }  // insertion: (i, j−1)
        return 2
    }
}

@inline(__always)
private func edits<Layout: RowLayout>(
    inner: UnsafeBufferPointer<Int32>, outer: UnsafeBufferPointer<Int32>, layout: Layout.Type,
    rows: inout DistanceRows
) -> EditCounts {
    let width = inner.count + 1
    if rows.storage.count < 4 * width { rows.storage = Array(repeating: 0, count: 4 * width) }
    return rows.storage.withUnsafeMutableBufferPointer { storage in
        // Rows: distances and hits of the previous and current row, swapped each step.
        var previousD = storage.baseAddress!
        var currentD = previousD + width
        var previousH = currentD + width
        var currentH = previousH + width
        for x in 0..<width {
            previousD[x] = Int32(x)
            previousH[x] = 0
        }
        for y in 1...outer.count {
            let token = outer[y - 1]
            currentD[0] = Int32(y)
            currentH[0] = 0
            var left = Int32(y)
            var diagonal = previousD[0]
            for x in 1..<width {
                let up = previousD[x]
                let same = inner[x - 1] == token
                let d = min(diagonal + (same ? 0 : 1), min(up, left) + 1)
                // The path keeps the hits of the cell it comes from, plus one on a match.
                let hits: Int32
                switch Layout.choose(d: d, left: left, up: up, diagonal: diagonal, x: x, y: y) {
                case 0: hits = currentH[x - 1]
                case 1: hits = previousH[x]
                default: hits = previousH[x - 1] + (same ? 1 : 0)
                }
                currentD[x] = d
                currentH[x] = hits
                left = d
                diagonal = up
            }
            swap(&previousD, &currentD)
            swap(&previousH, &currentH)
        }
        return EditCounts(distance: Int(previousD[width - 1]), hits: Int(previousH[width - 1]))
    }
}
