// Levenshtein distance with rapidfuzz's tie-breaking (the library jiwer 4 calls).
//
// rapidfuzz strips the common prefix and suffix, fills Hyyrö's bit-parallel matrix, and walks
// back from the end preferring, at each cell (i over the reference, j over the hypothesis):
//   1. a deletion when D[i][j] − D[i−1][j] = +1;
//   2. otherwise an insertion when j > 1 and D[i][j−1] − D[i−1][j−1] = −1;
//   3. otherwise the diagonal (a hit or a substitution).
// The same rule is applied here to ordinary DP values. Because each cell's choice looks only
// at its 2×2 neighbourhood, the hit count of the chosen path can be carried forward in the
// same two rows as the distances, which gives exact hit/substitution/deletion/insertion counts
// in O(min(n, m)) memory without storing the matrix.

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

/// Reusable rows for ``countEdits(reference:hypothesis:rows:)``.
struct DistanceRows {
    var storage: [Int32] = []
}

/// Distance and hit count of rapidfuzz's alignment: from the bit-parallel matrix while it fits
/// in ``bitMatrixWordLimit`` words, otherwise from two rows over the shorter sequence.
func countEdits(
    reference: UnsafeBufferPointer<Int32>, hypothesis: UnsafeBufferPointer<Int32>, vocabulary: Int,
    scratch: inout BitParallelScratch, rows: inout DistanceRows
) -> EditCounts {
    guard bitMatrixWords(referenceCount: reference.count, hypothesisCount: hypothesis.count) <= bitMatrixWordLimit else {
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

// MARK: - Bit-parallel matrix (Hyyrö 2003), as rapidfuzz

/// One of rapidfuzz's edit operations: what happens at reference position `source` and
/// hypothesis position `destination`.
struct EditOperation {
    enum Kind { case replace, insert, delete }
    var kind: Kind
    var source: Int
    var destination: Int
}

/// Reusable buffers for the bit-parallel alignment.
struct BitParallelScratch {
    /// Match masks: `pm[id * blocks + b]` has bit k set when reference token 64·b + k is `id`.
    var pm: [UInt64] = []
    /// Per hypothesis position j and block b: `vp[j * blocks + b]` bit k is set when
    /// D[64·b + k + 1][j + 1] − D[64·b + k][j + 1] = +1; `vn` likewise for −1.
    var vp: [UInt64] = []
    var vn: [UInt64] = []
    /// The current column's VP and VN per block (multi-block pairs only).
    var columnVP: [UInt64] = []
    var columnVN: [UInt64] = []
    /// The operations of the last alignment, in order.
    var operations: [EditOperation] = []
}

/// How many 64-bit words of VP/VN the bit-parallel path may keep for one pair (512 KiB);
/// beyond this, counts come from the two-row kernel instead.
let bitMatrixWordLimit = 1 << 15

/// The number of VP and VN words a pair's bit matrix needs.
@inline(__always)
func bitMatrixWords(referenceCount n: Int, hypothesisCount m: Int) -> Int { ((n + 63) / 64) * m }

/// Receives the operations of the backtrace, last first.
protocol EditSink {
    mutating func record(_ kind: EditOperation.Kind, source: Int, destination: Int)
}

/// Counts reference tokens that are not hits (deletions and substitutions).
struct MissCounter: EditSink {
    var missed = 0
    @inline(__always)
    mutating func record(_ kind: EditOperation.Kind, source: Int, destination: Int) {
        if kind != .insert { missed += 1 }
    }
}

/// Collects the operations.
struct OperationRecorder: EditSink {
    var operations: [EditOperation]
    @inline(__always)
    mutating func record(_ kind: EditOperation.Kind, source: Int, destination: Int) {
        operations.append(EditOperation(kind: kind, source: source, destination: destination))
    }
}

/// rapidfuzz's `editops`: leaves the operations, in order, in `scratch.operations`.
/// - Parameter vocabulary: One more than the largest token id.
/// - Returns: The edit distance.
@discardableResult
func editOperations(
    reference: UnsafeBufferPointer<Int32>, hypothesis: UnsafeBufferPointer<Int32>, vocabulary: Int,
    scratch: inout BitParallelScratch
) -> Int {
    var recorder = OperationRecorder(operations: [])
    swap(&recorder.operations, &scratch.operations)
    recorder.operations.removeAll(keepingCapacity: true)
    let distance = align(reference: reference, hypothesis: hypothesis, vocabulary: vocabulary, scratch: &scratch, sink: &recorder)
    recorder.operations.reverse()
    swap(&recorder.operations, &scratch.operations)
    return distance
}

/// rapidfuzz's alignment: strip the common affix, fill Hyyrö's bit matrix with the reference
/// as the pattern, and walk back from the end, giving each operation to `sink`.
private func align<Sink: EditSink>(
    reference fullReference: UnsafeBufferPointer<Int32>, hypothesis fullHypothesis: UnsafeBufferPointer<Int32>,
    vocabulary: Int, scratch: inout BitParallelScratch, sink: inout Sink
) -> Int {
    let (prefix, suffix) = commonAffix(fullReference, fullHypothesis)
    let a = UnsafeBufferPointer(rebasing: fullReference[prefix..<(fullReference.count - suffix)])
    let b = UnsafeBufferPointer(rebasing: fullHypothesis[prefix..<(fullHypothesis.count - suffix)])
    var col = a.count, row = b.count
    var distance = a.count + b.count
    if !a.isEmpty, !b.isEmpty {
        let blocks = (a.count + 63) / 64
        distance = fillBitMatrix(a, b, blocks: blocks, vocabulary: vocabulary, scratch: &scratch)
        if distance == 0 { return 0 }
        scratch.vp.withUnsafeBufferPointer { vp in
            scratch.vn.withUnsafeBufferPointer { vn in
                @inline(__always) func bit(_ matrix: UnsafeBufferPointer<UInt64>, _ row: Int, _ col: Int) -> Bool {
                    (matrix[row * blocks + (col >> 6)] >> UInt64(col & 63)) & 1 != 0
                }
                while row != 0, col != 0 {
                    if bit(vp, row - 1, col - 1) {
                        col -= 1
                        sink.record(.delete, source: col + prefix, destination: row + prefix)
                    } else {
                        row -= 1
                        if row != 0, bit(vn, row - 1, col - 1) {
                            sink.record(.insert, source: col + prefix, destination: row + prefix)
                        } else {
                            col -= 1
                            if a[col] != b[row] { sink.record(.replace, source: col + prefix, destination: row + prefix) }
                        }
                    }
                }
            }
        }
    }
    while col != 0 {
        col -= 1
        sink.record(.delete, source: col + prefix, destination: row + prefix)
    }
    while row != 0 {
        row -= 1
        sink.record(.insert, source: col + prefix, destination: row + prefix)
    }
    return distance
}

/// Hyyrö's bit-parallel Levenshtein over `blocks` 64-bit words of the pattern `a`, storing VP
/// and VN after every column.
/// - Returns: The distance.
private func fillBitMatrix(
    _ a: UnsafeBufferPointer<Int32>, _ b: UnsafeBufferPointer<Int32>, blocks: Int, vocabulary: Int,
    scratch: inout BitParallelScratch
) -> Int {
    let tableSize = vocabulary * blocks
    if scratch.pm.count < tableSize { scratch.pm = Array(repeating: 0, count: tableSize) }
    let cells = blocks * b.count
    if scratch.vp.count < cells {
        scratch.vp = Array(repeating: 0, count: cells)
        scratch.vn = Array(repeating: 0, count: cells)
    }
    return scratch.pm.withUnsafeMutableBufferPointer { pm in
        for index in 0..<tableSize { pm[index] = 0 }
        for (i, token) in a.enumerated() { pm[Int(token) * blocks + (i >> 6)] |= 1 << UInt64(i & 63) }
        return scratch.vp.withUnsafeMutableBufferPointer { storedVP in
            scratch.vn.withUnsafeMutableBufferPointer { storedVN in
                if blocks == 1 {
                    return singleBlock(a.count, b, pm: pm, storedVP: storedVP, storedVN: storedVN)
                }
                if scratch.columnVP.count < blocks {
                    scratch.columnVP = Array(repeating: 0, count: blocks)
                    scratch.columnVN = Array(repeating: 0, count: blocks)
                }
                return scratch.columnVP.withUnsafeMutableBufferPointer { vp in
                    scratch.columnVN.withUnsafeMutableBufferPointer { vn in
                        multiBlock(a.count, b, blocks: blocks, pm: pm, vp: vp, vn: vn, storedVP: storedVP, storedVN: storedVN)
                    }
                }
            }
        }
    }
}

@inline(__always)
private func singleBlock(
    _ n: Int, _ b: UnsafeBufferPointer<Int32>, pm: UnsafeMutableBufferPointer<UInt64>,
    storedVP: UnsafeMutableBufferPointer<UInt64>, storedVN: UnsafeMutableBufferPointer<UInt64>
) -> Int {
    var vp: UInt64 = n == 64 ? ~0 : (1 << UInt64(n)) - 1
    var vn: UInt64 = 0
    var distance = n
    let last: UInt64 = 1 << UInt64(n - 1)
    for j in 0..<b.count {
        let x = pm[Int(b[j])]
        let d0 = (((x & vp) &+ vp) ^ vp) | x | vn
        var hp = vn | ~(d0 | vp)
        var hn = d0 & vp
        if hp & last != 0 { distance += 1 }
        if hn & last != 0 { distance -= 1 }
        hp = (hp << 1) | 1
        hn = hn << 1
        vp = hn | ~(d0 | hp)
        vn = hp & d0
        storedVP[j] = vp
        storedVN[j] = vn
    }
    return distance
}

private func multiBlock(
    _ n: Int, _ b: UnsafeBufferPointer<Int32>, blocks: Int, pm: UnsafeMutableBufferPointer<UInt64>,
    vp: UnsafeMutableBufferPointer<UInt64>, vn: UnsafeMutableBufferPointer<UInt64>,
    storedVP: UnsafeMutableBufferPointer<UInt64>, storedVN: UnsafeMutableBufferPointer<UInt64>
) -> Int {
    for w in 0..<blocks {
        vp[w] = ~0
        vn[w] = 0
    }
    var distance = n
    let last: UInt64 = 1 << UInt64((n - 1) & 63)
    for j in 0..<b.count {
        let row = Int(b[j]) * blocks
        var hpCarry: UInt64 = 1
        var hnCarry: UInt64 = 0
        for w in 0..<blocks {
            let x = pm[row + w] | hnCarry
            let oldVP = vp[w], oldVN = vn[w]
            let d0 = (((x & oldVP) &+ oldVP) ^ oldVP) | x | oldVN
            var hp = oldVN | ~(d0 | oldVP)
            var hn = d0 & oldVP
            let hpIn = hpCarry, hnIn = hnCarry
            if w < blocks - 1 {
                hpCarry = hp >> 63
                hnCarry = hn >> 63
            } else {
                hpCarry = hp & last != 0 ? 1 : 0
                hnCarry = hn & last != 0 ? 1 : 0
            }
            hp = (hp << 1) | hpIn
            hn = (hn << 1) | hnIn
            vp[w] = hn | ~(d0 | hp)
            vn[w] = hp & d0
            storedVP[j * blocks + w] = vp[w]
            storedVN[j * blocks + w] = vn[w]
        }
        distance += Int(hpCarry) - Int(hnCarry)
    }
    return distance
}
