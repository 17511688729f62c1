// rapidfuzz's Levenshtein alignment (Hyyrö 2003, "A note on bit-parallel alignment
// computation"): the reference is the bit pattern, VP/VN are kept for every hypothesis
// position, and the backtrace of EditDistance.swift's header recovers the operations.

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

/// Whether counting a pair through the bit matrix keeps memory O(min(n, m)): its VP/VN and
/// match-table words, ⌈n/64⌉·(m + vocabulary), must stay within 64 words (512 bytes) per
/// token of the shorter text and within 512 KiB overall. Sentence pairs always qualify (e.g.
/// 70 × 70 characters need ~220 words of the 4,544 allowed); very long or very unbalanced
/// pairs are counted in two rows instead.
@inline(__always)
func bitMatrixFits(referenceCount n: Int, hypothesisCount m: Int, vocabulary: Int) -> Bool {
    let words = ((n + 63) / 64) * (m + vocabulary)
    return words <= 1 << 16 && words <= 64 * (min(n, m) + 1)
}

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
func align<Sink: EditSink>(
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
