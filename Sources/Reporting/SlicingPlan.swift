/// Which slice of each slicing column every utterance falls in, and which slices are big
/// enough to resample.
struct SlicingPlan {
    struct Column {
        var name: String
        /// Slice names, in display order.
        var slices: [String]
        /// Each utterance's slice index.
        var members: [Int32]
        /// Slice index → bootstrap group (`-1` for small slices).
        var groupOfSlice: [Int32]
        var groupCount: Int
    }

    var columns: [Column] = []
    var notes: [String] = []
    let minimumSize: Int

    static let missing = "(missing)"

    init(items: [ReportItem], columns names: [String], minimumSize: Int) {
        self.minimumSize = minimumSize
        for name in names {
            var values: [String?]
            var order: [String]?
            if name == "duration" {
                values = items.map { item in
                    ReportOptions.durationBucket(item.duration).map { ReportOptions.durationBuckets[$0].label }
                }
                order = ReportOptions.durationBuckets.map(\.label)
            } else {
                values = items.map { $0.metadata[name] }
            }
            let present = values.reduce(0) { $0 + ($1 == nil ? 0 : 1) }
            guard present > 0 else {
                notes.append(
                    name == "duration"
                        ? "No utterance has a duration: duration slices are left out."
                        : "No utterance has a '\(name)' column: '\(name)' slices are left out.")
                continue
            }
            if present < items.count {
                notes.append("\(items.count - present) utterance(s) have no '\(name)': they form the slice \(Self.missing).")
            }
            var sizes: [String: Int] = [:]
            for value in values { sizes[value ?? Self.missing, default: 0] += 1 }
            let slices: [String]
            if let order {
                slices = (order + [Self.missing]).filter { sizes[$0] != nil }
            } else {
                slices = sizes.keys.sorted { a, b in sizes[a]! != sizes[b]! ? sizes[a]! > sizes[b]! : a.utf8Less(b) }
            }
            var index: [String: Int32] = [:]
            for (k, slice) in slices.enumerated() { index[slice] = Int32(k) }
            var groups: [Int32] = [], next: Int32 = 0
            for slice in slices {
                if sizes[slice]! >= minimumSize {
                    groups.append(next)
                    next += 1
                } else {
                    groups.append(-1)
                }
            }
            columns.append(
                Column(
                    name: name, slices: slices, members: values.map { index[$0 ?? Self.missing]! },
                    groupOfSlice: groups, groupCount: Int(next)))
        }
    }

    /// The bootstrap groupings, one per column: each utterance's group (`-1` in a small slice).
    var groupings: [(codes: [Int32], count: Int)] {
        columns.map { column in (column.members.map { column.groupOfSlice[Int($0)] }, column.groupCount) }
    }

    /// The slicings with counts and WER, each resampled group's values from `samples(column, group)`.
    func slicings(errors: [Int64], words: [Int64], samples: (Int, Int) -> [Double]) -> [Report.Slicing] {
        columns.enumerated().map { g, column in
            var counts = [(utterances: Int, words: Int64, errors: Int64)](repeating: (0, 0, 0), count: column.slices.count)
            for (i, slice) in column.members.enumerated() {
                counts[Int(slice)].utterances += 1
                counts[Int(slice)].words += words[i]
                counts[Int(slice)].errors += errors[i]
            }
            let slices = column.slices.enumerated().map { k, name in
                let c = counts[k], group = column.groupOfSlice[k]
                let value = c.words == 0 ? 0 : Double(c.errors) / Double(c.words)
                return Report.Slice(
                    name: name, utterances: c.utterances, words: Int(c.words), errors: Int(c.errors),
                    wer: group < 0 ? Estimate(value: value, lower: nil, upper: nil)
                        : Estimate(value: value, resampled: samples(g, Int(group))),
                    small: c.utterances < minimumSize)
            }
            return Report.Slicing(column: column.name, slices: slices)
        }
    }
}
