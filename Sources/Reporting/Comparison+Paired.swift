import Scoring

/// The paired bootstrap of a ``Comparison``: both runs' errors per shared utterance, and for
/// every group (the corpus, then each slicing column's groups) the resampled differences and
/// how many resamples favoured B.
struct PairedResamples {
    let errorsA: [Int64], errorsB: [Int64], words: [Int64]
    let minimumSliceSize: Int
    /// `deltas[group][slice]`: WER of B minus WER of A in each resample.
    private(set) var deltas: [[[Double]]]
    /// `better[group][slice]`: the resamples in which B made fewer errors.
    private(set) var better: [[Int]]

    init(_ scoredA: ScoredRun, _ scoredB: ScoredRun, plan: SlicingPlan, options: ReportOptions) {
        errorsA = scoredA.words.map { Int64($0.errors) }
        errorsB = scoredB.words.map { Int64($0.errors) }
        words = scoredA.words.map { Int64($0.referenceLength) }
        minimumSliceSize = options.minimumSliceSize
        let groupings = [(codes: [Int32](repeating: 0, count: scoredA.count), count: 1, width: 3)]
            + plan.groupings.map { (codes: $0.codes, count: $0.count, width: 3) }
        var deltas = groupings.map { [[Double]](repeating: [], count: $0.count) }
        var better = groupings.map { [Int](repeating: 0, count: $0.count) }
        Bootstrap(columns: [errorsA, errorsB, words], groupings: groupings, resamples: options.resamples, seed: options.seed)
            .run { _, sums in
                for g in sums.indices {
                    for c in deltas[g].indices {
                        let eA = sums[g][3 * c], eB = sums[g][3 * c + 1], w = sums[g][3 * c + 2]
                        deltas[g][c].append(ratio(eB - eA, w))
                        if w > 0, eB < eA { better[g][c] += 1 }
                    }
                }
            }
        self.deltas = deltas
        self.better = better
    }

    /// The two runs on the utterances `members`; `group` is the (grouping, slice) the
    /// resamples were summed under, or `nil` for a slice too small to resample.
    func row(_ name: String, _ members: [Int], group: (Int, Int)?) -> Comparison.Row {
        let eA = members.reduce(Int64(0)) { $0 + errorsA[$1] }, eB = members.reduce(Int64(0)) { $0 + errorsB[$1] }
        let w = members.reduce(Int64(0)) { $0 + words[$1] }
        let werA = w == 0 ? 0 : Double(eA) / Double(w), werB = w == 0 ? 0 : Double(eB) / Double(w)
        guard let (g, c) = group else {
            return Comparison.Row(
                name: name, utterances: members.count, words: Int(w), werA: werA, werB: werB,
                delta: Estimate(value: werB - werA, lower: nil, upper: nil), probabilityBBetter: nil, small: true)
        }
        let valid = deltas[g][c].filter { !$0.isNaN }.count
        return Comparison.Row(
            name: name, utterances: members.count, words: Int(w), werA: werA, werB: werB,
            delta: Estimate(value: werB - werA, resampled: deltas[g][c]),
            probabilityBBetter: valid == 0 ? nil : Double(better[g][c]) / Double(valid),
            small: members.count < minimumSliceSize)
    }

    /// The rows of one slicing column, resampled under grouping `group`.
    func slicing(_ column: SlicingPlan.Column, group g: Int) -> Comparison.Slicing {
        var members = [[Int]](repeating: [], count: column.slices.count)
        for (i, slice) in column.members.enumerated() { members[Int(slice)].append(i) }
        let rows = column.slices.enumerated().map { k, name in
            let group = column.groupOfSlice[k]
            return row(name, members[k], group: group < 0 ? nil : (g, Int(group)))
        }
        return Comparison.Slicing(column: column.name, rows: rows)
    }

    /// Every shared utterance with both runs' errors.
    func changes(_ scoredA: ScoredRun, _ scoredB: ScoredRun) -> [Comparison.Change] {
        (0..<scoredA.count).map { i in
            Comparison.Change(
                id: scoredA.items[i].id, audio: scoredA.items[i].audioPath, reference: scoredA.references[i],
                hypothesisA: scoredA.hypotheses[i], hypothesisB: scoredB.hypotheses[i], words: Int(words[i]),
                errorsA: Int(errorsA[i]), errorsB: Int(errorsB[i]))
        }
    }
}
