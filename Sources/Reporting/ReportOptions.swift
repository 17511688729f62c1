public import Scoring

/// What a report slices by and how it resamples.
public struct ReportOptions: Sendable {
    /// Metadata columns to slice by, in order; `duration` means the duration buckets.
    public var slicing: [String] = ["gender", "age", "accents", "duration", "speaker"]
    /// Applied to references and hypotheses before scoring (`speechprep report --normalizer`
    /// takes the names of `StandardNormalizer`); utterances whose normalised reference is
    /// empty are left out, as `speechprep score` does.
    public var normalizer: any TextNormalizer = StandardNormalizer.lowercasePunctuation
    /// The normaliser's name, recorded in the report.
    public var normalizerName: String { normalizer.name }
    /// How many of the worst utterances (or most changed, in a comparison) to list in detail.
    public var worstCount = 25
    /// Slices with fewer utterances are marked small and get no interval.
    public var minimumSliceSize = 20
    /// Bootstrap resamples (at least 1,000 for a report worth quoting).
    public var resamples = 1000
    /// The ``SplitMix64`` seed of the resampling.
    public var seed: UInt64 = 20_261_206
    /// How many substitution pairs, deleted and inserted words to list.
    public var topWordCount = 20

    /// Creates the default options.
    public init() {}

    /// Duration buckets in seconds: `[lower, upper)` with their labels; the last is open.
    static let durationBuckets: [(lower: Double, label: String)] = [
        (0, "< 2 s"), (2, "2–5 s"), (5, "5–10 s"), (10, "10–20 s"), (20, "≥ 20 s"),
    ]

    static func durationBucket(_ seconds: Double?) -> Int? {
        guard let seconds else { return nil }
        return durationBuckets.lastIndex { seconds >= $0.lower } ?? 0
    }

    func validate() throws(ReportingError) {
        guard resamples >= 1 else {
            throw ReportingError(.invalidOption, subject: "resamples", "must be at least 1")
        }
        guard worstCount >= 0, minimumSliceSize >= 1 else {
            throw ReportingError(.invalidOption, subject: "worst / min-slice", "must be positive")
        }
    }
}
