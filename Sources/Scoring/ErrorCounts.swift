/// Hits, substitutions, deletions and insertions of an alignment, and the measures jiwer 4.0
/// derives from them.
///
/// The measures follow jiwer's `process_words` to the letter, including its edge cases:
/// - With an empty reference (no reference tokens), the error rate is the number of
///   insertions (so `wer("", "a b") == 2`, `wer("", "") == 0`), the match error rate is 0 when
///   the hypothesis is empty too and 1 otherwise, and WIP is 1 or 0 likewise.
/// - With an empty hypothesis and a non-empty reference, WIP is 0 (and WIL 1).
///
/// Counts add up: the counts of a corpus are the sum of its utterances' counts, and the corpus
/// measures are computed from those sums — total errors over total reference tokens, not a
/// mean of per-utterance rates — exactly as jiwer does for lists.
public struct ErrorCounts: Hashable, Sendable, Codable {
    /// Tokens the hypothesis got right.
    public var hits: Int
    /// Reference tokens replaced by another token.
    public var substitutions: Int
    /// Reference tokens missing from the hypothesis.
    public var deletions: Int
    /// Hypothesis tokens not in the reference.
    public var insertions: Int

    /// Creates counts.
    /// - Parameters:
    ///   - hits: Correct tokens.
    ///   - substitutions: Substituted tokens.
    ///   - deletions: Deleted reference tokens.
    ///   - insertions: Inserted hypothesis tokens.
    public init(hits: Int = 0, substitutions: Int = 0, deletions: Int = 0, insertions: Int = 0) {
        self.hits = hits
        self.substitutions = substitutions
        self.deletions = deletions
        self.insertions = insertions
    }

    /// Counts from an edit distance and the path's hits (the two numbers the O(min(n, m))
    /// alignment carries): with N reference and M hypothesis tokens, H + S + D = N,
    /// H + S + I = M and S + D + I = distance fix the rest.
    init(distance: Int, hits: Int, referenceLength: Int, hypothesisLength: Int) {
        let deletions = distance - (hypothesisLength - hits)
        let insertions = distance - (referenceLength - hits)
        self.init(
            hits: hits, substitutions: distance - deletions - insertions, deletions: deletions,
            insertions: insertions)
    }

    /// The number of reference tokens (hits + substitutions + deletions).
    public var referenceLength: Int { hits + substitutions + deletions }
    /// The number of hypothesis tokens (hits + substitutions + insertions).
    public var hypothesisLength: Int { hits + substitutions + insertions }
    /// Substitutions + deletions + insertions: the edit distance.
    public var errors: Int { substitutions + deletions + insertions }

    /// The error rate: (S + D + I) / (H + S + D) — the WER for word units, the CER for
    /// character units; the number of insertions when the reference is empty.
    public var errorRate: Double {
        if referenceLength == 0 { return Double(insertions) }
        return Double(errors) / Double(referenceLength)
    }

    /// The word error rate (the same number as ``errorRate``).
    public var wer: Double { errorRate }
    /// The character error rate (the same number as ``errorRate``, named for character units).
    public var cer: Double { errorRate }

    /// The match error rate: (S + D + I) / (H + S + D + I).
    public var mer: Double {
        if referenceLength == 0 { return hypothesisLength == 0 ? 0 : 1 }
        return Double(errors) / Double(hits + substitutions + deletions + insertions)
    }

    /// Word information preserved: (H / N) · (H / M).
    public var wip: Double {
        if referenceLength == 0 { return hypothesisLength == 0 ? 1 : 0 }
        guard hypothesisLength >= 1 else { return 0 }
        return (Double(hits) / Double(referenceLength)) * (Double(hits) / Double(hypothesisLength))
    }

    /// Word information lost: 1 − WIP.
    public var wil: Double { 1 - wip }

    /// The sum of two sets of counts.
    /// - Parameters:
    ///   - lhs: Counts.
    ///   - rhs: More counts.
    /// - Returns: The element-wise sum.
    public static func + (lhs: ErrorCounts, rhs: ErrorCounts) -> ErrorCounts {
        ErrorCounts(
            hits: lhs.hits + rhs.hits, substitutions: lhs.substitutions + rhs.substitutions,
            deletions: lhs.deletions + rhs.deletions, insertions: lhs.insertions + rhs.insertions)
    }

    /// Adds counts in place.
    /// - Parameters:
    ///   - lhs: The running total.
    ///   - rhs: Counts to add.
    public static func += (lhs: inout ErrorCounts, rhs: ErrorCounts) { lhs = lhs + rhs }
}
