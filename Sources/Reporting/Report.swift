import Scoring

/// An error analysis of one run: corpus WER, CER and MER with 95 % bootstrap intervals,
/// WER by slice of the metadata and by duration, the words most often confused, deleted and
/// inserted, and the worst utterances with their alignments.
///
/// Build one from a run folder (or your own ``RunResults``), encode it as JSON, print
/// ``summary`` or render ``html(title:htmlDirectory:)``:
///
/// ```swift
/// let report = try Report(run: RunResults(directory: "out/demo"))
/// print(report.summary)
/// let data = try JSONEncoder().encode(report)   // numbers for your own dashboard
/// ```
///
/// Each utterance is scored once (errors and reference words per utterance); every interval
/// then comes from integer sums over resampled utterances (see ``SplitMix64`` for the exact
/// scheme, which `Scripts/report-reference.py` reproduces with pandas, jiwer and NumPy).
public struct Report: Codable, Sendable, Hashable {
    /// The run folder.
    public var run: String
    /// The normaliser applied before scoring.
    public var normalizer: String
    /// Bootstrap resamples behind every interval.
    public var resamples: Int
    /// The resampling seed.
    public var seed: UInt64
    /// Utterances scored (those with a non-empty normalised reference).
    public var utteranceCount: Int
    /// Utterances left out because their normalised reference is empty.
    public var skippedCount: Int
    /// Words in all references.
    public var referenceWords: Int
    /// Corpus word error rate.
    public var wer: Estimate
    /// Corpus character error rate.
    public var cer: Estimate
    /// Corpus match error rate.
    public var mer: Estimate
    /// WER by slice, one entry per slicing column asked for and present.
    public var slicings: [Slicing]
    /// The most frequent substitutions, reference word → hypothesis word.
    public var substitutions: [WordPairCount]
    /// The reference words most often deleted.
    public var deletions: [WordCount]
    /// The hypothesis words most often inserted.
    public var insertions: [WordCount]
    /// The worst utterances (highest WER, then most errors, then run order), with alignments.
    public var worst: [UtteranceDetail]
    /// Every scored utterance, in run order.
    public var utterances: [UtteranceScore]
    /// Things to know when reading the report (missing columns, skipped utterances, …).
    public var notes: [String]

    /// WER by the values of one metadata column (or the duration buckets).
    public struct Slicing: Codable, Sendable, Hashable {
        /// The column (`gender`, `age`, `accents`, `speaker`, `duration`, …).
        public var column: String
        /// Its slices, largest first (duration buckets in order of length).
        public var slices: [Slice]
    }

    /// The utterances sharing one value of a column.
    public struct Slice: Codable, Sendable, Hashable {
        /// The value (`(missing)` for utterances without the column).
        public var name: String
        /// Utterances in the slice.
        public var utterances: Int
        /// Reference words in the slice.
        public var words: Int
        /// Errors (substitutions + deletions + insertions) in the slice.
        public var errors: Int
        /// The slice's WER with its interval (none when the slice is small).
        public var wer: Estimate
        /// Fewer utterances than the minimum slice size: read its WER with care.
        public var small: Bool
    }

    /// A word and how often something happened to it.
    public struct WordCount: Codable, Sendable, Hashable {
        /// The word.
        public var word: String
        /// How often.
        public var count: Int
    }

    /// A substitution and how often it happened.
    public struct WordPairCount: Codable, Sendable, Hashable {
        /// The reference word.
        public var reference: String
        /// The word recognised instead.
        public var hypothesis: String
        /// How often.
        public var count: Int
    }

    /// One utterance's score.
    public struct UtteranceScore: Codable, Sendable, Hashable {
        /// The item id.
        public var id: String
        /// Its audio, as the run gives it.
        public var audio: String
        /// Its length in seconds.
        public var duration: Double?
        /// Reference words.
        public var words: Int
        /// Errors.
        public var errors: Int
        /// Its WER.
        public var wer: Double
    }

    /// An utterance in detail: texts, alignment and metadata.
    public struct UtteranceDetail: Codable, Sendable, Hashable {
        /// The score.
        public var score: UtteranceScore
        /// The normalised reference.
        public var reference: String
        /// The normalised hypothesis.
        public var hypothesis: String
        /// The word alignment, token by token.
        public var alignment: [AlignedWord]
        /// The alignment as jiwer's `visualize_alignment` prints it (REF / HYP / marks lines).
        public var alignmentText: String
        /// The item's metadata columns.
        public var metadata: [String: String]
    }

    /// One column of a word alignment.
    public struct AlignedWord: Codable, Sendable, Hashable {
        /// `=` (hit), `S` (substitution), `D` (deletion) or `I` (insertion).
        public var op: String
        /// The reference word (`nil` for an insertion).
        public var reference: String?
        /// The hypothesis word (`nil` for a deletion).
        public var hypothesis: String?
    }

    /// Builds the report.
    /// - Parameters:
    ///   - run: The run's items.
    ///   - options: Slicing, normaliser, resampling.
    /// - Throws: `ReportingError.Code.invalidOption` for options out of range.
    public init(run: RunResults, options: ReportOptions = .init()) throws(ReportingError) {
        try options.validate()
        let scored = ScoredRun(run.items, normalizer: options.normalizer, keepTopWords: true)
        self.run = run.directory
        normalizer = options.normalizerName
        resamples = options.resamples
        seed = options.seed
        utteranceCount = scored.count
        skippedCount = run.items.count - scored.count
        referenceWords = scored.totalWords
        notes = run.notes
        if skippedCount > 0 {
            notes.append("\(skippedCount) utterance(s) have an empty reference after normalisation and are left out.")
        }
        let plan = SlicingPlan(items: scored.items, columns: options.slicing, minimumSize: options.minimumSliceSize)
        notes += plan.notes

        // Columns: word errors, words, character errors, characters, MER denominator.
        let columns: [[Int64]] = [
            scored.words.map { Int64($0.errors) }, scored.words.map { Int64($0.referenceLength) },
            scored.characters.map { Int64($0.errors) }, scored.characters.map { Int64($0.referenceLength) },
            scored.words.map { Int64($0.hits + $0.errors) },
        ]
        var corpusSamples = [[Double]](repeating: [], count: 3)
        var sliceSamples = plan.groupings.map { [[Double]](repeating: [], count: $0.count) }
        let groupings = [(codes: [Int32](repeating: 0, count: scored.count), count: 1, width: 5)]
            + plan.groupings.map { (codes: $0.codes, count: $0.count, width: 2) }
        Bootstrap(columns: columns, groupings: groupings, resamples: options.resamples, seed: options.seed).run { _, sums in
            let corpus = sums[0]
            corpusSamples[0].append(ratio(corpus[0], corpus[1]))
            corpusSamples[1].append(ratio(corpus[2], corpus[3]))
            corpusSamples[2].append(ratio(corpus[0], corpus[4]))
            for g in sliceSamples.indices {
                let s = sums[g + 1]
                for c in sliceSamples[g].indices { sliceSamples[g][c].append(ratio(s[2 * c], s[2 * c + 1])) }
            }
        }
        let total = scored.total, characters = scored.characterTotal
        wer = Estimate(value: total.wer, resampled: corpusSamples[0])
        cer = Estimate(value: characters.cer, resampled: corpusSamples[1])
        mer = Estimate(value: total.mer, resampled: corpusSamples[2])
        slicings = plan.slicings(errors: columns[0], words: columns[1]) { g, c in sliceSamples[g][c] }
        substitutions = scored.substitutions(top: options.topWordCount)
        deletions = Self.top(scored.deleted, options.topWordCount)
        insertions = Self.top(scored.inserted, options.topWordCount)
        let scores = scored.items.indices.map { scored.utteranceScore($0) }
        utterances = scores
        let order = scores.indices.sorted { a, b in
            let x = scores[a], y = scores[b]
            return (x.wer, x.errors, b) > (y.wer, y.errors, a)
        }
        var aligner = Scorer(unit: .word)
        worst = order.prefix(options.worstCount).map { scored.detail($0, aligner: &aligner) }
    }

    static func top(_ counts: [String: Int], _ limit: Int) -> [WordCount] {
        counts.map { WordCount(word: $0.key, count: $0.value) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.word.utf8Less($1.word) }
            .prefix(limit).map { $0 }
    }
}

/// A ratio of resampled sums; `nan` (no value) when the denominator is 0.
@inline(__always)
func ratio(_ numerator: Int64, _ denominator: Int64) -> Double {
    denominator == 0 ? .nan : Double(numerator) / Double(denominator)
}

extension String {
    /// Byte-order comparison (the order of code points, as Python sorts strings).
    func utf8Less(_ other: String) -> Bool { utf8.lexicographicallyPrecedes(other.utf8) }
}
