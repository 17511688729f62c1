import Scoring

/// Two runs compared on the items they share (matched by id, in the first run's order):
/// corpus and per-slice WER of each, the difference with its paired-bootstrap interval, the
/// probability that B is better, and the utterances that changed most either way.
///
/// Paired means both runs are scored on the same resampled utterances: resample `r`'s
/// difference is (Σ errors_B − Σ errors_A) / Σ reference words over one draw (the scheme of
/// ``SplitMix64``), and the probability that B is better is the share of resamples with
/// fewer errors for B.
public struct Comparison: Codable, Sendable, Hashable {
    /// The first run folder.
    public var runA: String
    /// The second run folder.
    public var runB: String
    /// The normaliser applied before scoring.
    public var normalizer: String
    /// Bootstrap resamples.
    public var resamples: Int
    /// The resampling seed.
    public var seed: UInt64
    /// Items in both runs with a non-empty normalised reference.
    public var sharedCount: Int
    /// Items only in A, only in B.
    public var onlyInA: Int, onlyInB: Int
    /// Reference words of the shared items.
    public var referenceWords: Int
    /// The corpus on the shared items.
    public var corpus: Row
    /// WER of both runs by slice (slices from A's metadata, B's when A has none).
    public var slicings: [Slicing]
    /// Utterances where B made the most fewer errors than A.
    public var improved: [Change]
    /// Utterances where B made the most more errors than A.
    public var worsened: [Change]
    /// Things to know when reading the comparison.
    public var notes: [String]

    /// One slicing column of the comparison.
    public struct Slicing: Codable, Sendable, Hashable {
        /// The column.
        public var column: String
        /// Its slices, in the order of a single-run report.
        public var rows: [Row]
    }

    /// The two runs on one slice (or the whole shared set).
    public struct Row: Codable, Sendable, Hashable {
        /// The slice (`all` for the corpus).
        public var name: String
        /// Utterances.
        public var utterances: Int
        /// Reference words.
        public var words: Int
        /// WER of A.
        public var werA: Double
        /// WER of B.
        public var werB: Double
        /// WER of B minus WER of A, with its paired interval (none when the slice is small).
        public var delta: Estimate
        /// The share of resamples in which B made fewer errors (`nil` when the slice is small).
        public var probabilityBBetter: Double?
        /// Fewer utterances than the minimum slice size.
        public var small: Bool
    }

    /// One utterance in both runs.
    public struct Change: Codable, Sendable, Hashable {
        /// The item id.
        public var id: String
        /// Its audio, as run A gives it.
        public var audio: String
        /// The normalised reference.
        public var reference: String
        /// A's normalised hypothesis.
        public var hypothesisA: String
        /// B's normalised hypothesis.
        public var hypothesisB: String
        /// Reference words.
        public var words: Int
        /// A's errors.
        public var errorsA: Int
        /// B's errors.
        public var errorsB: Int
    }

    /// Compares two runs.
    /// - Parameters:
    ///   - a: The first run (the baseline).
    ///   - b: The second run.
    ///   - options: Slicing, normaliser, resampling; ``ReportOptions/worstCount`` is the length
    ///     of each changed-utterance list.
    /// - Throws: `ReportingError.Code.invalidOption` for options out of range,
    ///   `ReportingError.Code.invalidRun` when the runs share no item.
    public init(_ a: RunResults, _ b: RunResults, options: ReportOptions = .init()) throws(ReportingError) {
        try options.validate()
        let (sharedA, sharedB) = Self.sharedItems(a, b)
        let scoredA = ScoredRun(sharedA, normalizer: options.normalizer, keepTopWords: false)
        let scoredB = ScoredRun(sharedB, normalizer: options.normalizer, keepTopWords: false)
        guard scoredA.count > 0 else {
            throw ReportingError(.invalidRun, subject: "\(a.directory) and \(b.directory)", "share no scored item (ids differ)")
        }
        runA = a.directory
        runB = b.directory
        normalizer = options.normalizerName
        resamples = options.resamples
        seed = options.seed
        sharedCount = scoredA.count
        onlyInA = a.items.count - sharedA.count
        onlyInB = b.items.count - sharedB.count
        referenceWords = scoredA.totalWords
        notes = []
        if sharedA.count > scoredA.count {
            notes.append("\(sharedA.count - scoredA.count) shared utterance(s) have an empty reference after normalisation and are left out.")
        }
        let plan = SlicingPlan(items: scoredA.items, columns: options.slicing, minimumSize: options.minimumSliceSize)
        notes += plan.notes

        let paired = PairedResamples(scoredA, scoredB, plan: plan, options: options)
        corpus = paired.row("all", Array(0..<scoredA.count), group: (0, 0))
        slicings = plan.columns.enumerated().map { g, column in paired.slicing(column, group: g + 1) }
        let changes = paired.changes(scoredA, scoredB)
        improved = Self.changedMost(changes, sign: -1, count: options.worstCount)
        worsened = Self.changedMost(changes, sign: 1, count: options.worstCount)
    }

    /// The items of `a` that `b` has too, in `a`'s order, and `b`'s copies of them, both with
    /// `a`'s reference (and `b`'s metadata where `a` has none).
    private static func sharedItems(_ a: RunResults, _ b: RunResults) -> ([ReportItem], [ReportItem]) {
        var inB: [String: Int] = [:]
        for (k, item) in b.items.enumerated() { inB[item.id] = k }
        var sharedA: [ReportItem] = [], sharedB: [ReportItem] = []
        for item in a.items {
            guard let k = inB[item.id] else { continue }
            var merged = item
            if merged.metadata.isEmpty { merged.metadata = b.items[k].metadata }
            sharedA.append(merged)
            var other = b.items[k]
            other.reference = item.reference  // both are scored against A's reference
            sharedB.append(other)
        }
        return (sharedA, sharedB)
    }

    /// The `count` utterances whose errors changed most in the direction of `sign` (B minus A),
    /// ties in input order.
    private static func changedMost(_ changes: [Change], sign: Int, count: Int) -> [Change] {
        let order = changes.indices.sorted { x, y in
            let dx = sign * (changes[x].errorsB - changes[x].errorsA), dy = sign * (changes[y].errorsB - changes[y].errorsA)
            return dx != dy ? dx > dy : x < y
        }
        return order.prefix(count).map { changes[$0] }.filter { sign * ($0.errorsB - $0.errorsA) > 0 }
    }
}
