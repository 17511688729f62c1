/// Scores hypotheses against references exactly as jiwer 4.0 does, reusing its buffers from
/// one pair to the next.
///
/// Make one scorer per task (it is a value with its own scratch space) and call it for as
/// many pairs as you like:
///
/// ```swift
/// var scorer = Scorer(unit: .word)
/// let counts = scorer.counts(reference: "the cat sat", hypothesis: "the cat sat down")
/// counts.wer  // 0.333…
/// ```
///
/// Tokens get dense integer ids once per pair (code points through a table, words hashed
/// once), and the distance runs over those integers. Sentence-sized pairs go through
/// rapidfuzz's own bit-parallel algorithm (64 cells per instruction) as long as its bit matrix
/// stays within 512 bytes per token of the shorter text (and 512 KiB overall); longer or very
/// unbalanced pairs through two ordinary rows over the shorter side — identical results either
/// way, and memory per pair O(min(n, m)) unless ``align(reference:hypothesis:)`` asks for the
/// op sequence (then n·m/32 bytes). A scorer also keeps one 512 KiB table for code point ids,
/// reused for every pair, and allocates nothing per pair once its buffers have grown.
public struct Scorer: Sendable {
    /// What texts are cut into.
    public let unit: ScoringUnit
    /// The normaliser applied before tokenising; `nil` means jiwer's default for the unit.
    public let normalizer: (any TextNormalizer)?

    private var spans = SpanList()
    private var referenceIDs: [Int32] = []
    private var hypothesisIDs: [Int32] = []
    private var interner = TokenInterner()
    private var rows = DistanceRows()
    private var bitScratch = BitParallelScratch()
    private var vocabulary = 0  // distinct tokens of the last prepared pair

    /// Creates a scorer.
    /// - Parameters:
    ///   - unit: What to cut texts into.
    ///   - normalizer: Applied to both texts before they are cut. `nil` (the default) applies
    ///     jiwer's default for the unit — `wer_default` for words, `cer_default` for characters.
    ///     A normaliser you give *replaces* that default, as a custom transform does in jiwer;
    ///     words are then split on each space and characters taken as they are.
    public init(unit: ScoringUnit = .word, normalizer: (any TextNormalizer)? = nil) {
        self.unit = unit
        self.normalizer = normalizer
    }

    /// The counts of one pair.
    /// - Parameters:
    ///   - reference: The reference text.
    ///   - hypothesis: The recogniser's text.
    /// - Returns: Hits, substitutions, deletions and insertions, from which every measure follows.
    public mutating func counts(reference: String, hypothesis: String) -> ErrorCounts {
        prepare(reference: reference, hypothesis: hypothesis, keepTokens: false)
        let edits = referenceIDs.withUnsafeBufferPointer { r in
            hypothesisIDs.withUnsafeBufferPointer { h in
                countEdits(reference: r, hypothesis: h, vocabulary: vocabulary, scratch: &bitScratch, rows: &rows)
            }
        }
        return ErrorCounts(
            distance: edits.distance, hits: edits.hits, referenceLength: referenceIDs.count,
            hypothesisLength: hypothesisIDs.count)
    }

    /// The full alignment of one pair: tokens, op sequence and counts.
    /// - Parameters:
    ///   - reference: The reference text.
    ///   - hypothesis: The recogniser's text.
    /// - Returns: The alignment, with the same chunks jiwer 4.0 reports.
    public mutating func align(reference: String, hypothesis: String) -> Alignment {
        let (referenceTokens, hypothesisTokens) = prepare(reference: reference, hypothesis: hypothesis, keepTokens: true)
        _ = referenceIDs.withUnsafeBufferPointer { r in
            hypothesisIDs.withUnsafeBufferPointer { h in
                editOperations(reference: r, hypothesis: h, vocabulary: vocabulary, scratch: &bitScratch)
            }
        }
        let chunks = AlignmentChunk.chunks(
            from: bitScratch.operations, referenceLength: referenceIDs.count, hypothesisLength: hypothesisIDs.count)
        var counts = ErrorCounts()
        for chunk in chunks {
            switch chunk.kind {
            case .equal: counts.hits += chunk.referenceRange.count
            case .substitute: counts.substitutions += chunk.referenceRange.count
            case .delete: counts.deletions += chunk.referenceRange.count
            case .insert: counts.insertions += chunk.hypothesisRange.count
            }
        }
        return Alignment(unit: unit, reference: referenceTokens, hypothesis: hypothesisTokens, chunks: chunks, counts: counts)
    }

    /// Scores a corpus the way jiwer scores two lists: per-pair counts, and corpus measures
    /// from the summed counts (total errors over total reference tokens).
    /// - Parameters:
    ///   - references: Reference texts.
    ///   - hypotheses: Recogniser texts, one per reference.
    ///   - includeAlignments: Also keep every pair's ``Alignment`` (costs O(n·m) per pair).
    /// - Returns: The report.
    /// - Throws: `ScoringError.Code.lengthMismatch` when the lists differ in length.
    public mutating func score(references: [String], hypotheses: [String], includeAlignments: Bool = false)
        throws(ScoringError) -> ScoreReport
    {
        guard references.count == hypotheses.count else {
            throw ScoringError(
                .lengthMismatch,
                "there are \(references.count) references but \(hypotheses.count) hypotheses; each reference needs exactly one hypothesis")
        }
        var report = ScoreReport(unit: unit)
        report.utterances.reserveCapacity(references.count)
        for index in references.indices {
            let counts: ErrorCounts
            if includeAlignments {
                let alignment = align(reference: references[index], hypothesis: hypotheses[index])
                report.alignments.append(alignment)
                counts = alignment.counts
            } else {
                counts = self.counts(reference: references[index], hypothesis: hypotheses[index])
            }
            report.utterances.append(counts)
            report.total += counts
        }
        return report
    }

    /// Tokenises both texts into ids (and into strings when `keepTokens`).
    @discardableResult
    private mutating func prepare(reference: String, hypothesis: String, keepTokens: Bool) -> ([String], [String]) {
        var reference = normalizer?.normalize(reference) ?? reference
        var hypothesis = normalizer?.normalize(hypothesis) ?? hypothesis
        let jiwerDefaults = normalizer == nil
        // Both texts stay alive together: the interner remembers tokens by address.
        return reference.withUTF8 { referenceBytes in
            hypothesis.withUTF8 { hypothesisBytes in
                let referenceTokens = Self.identify(
                    referenceBytes, unit: unit, jiwerDefaults: jiwerDefaults, spans: &spans,
                    ids: &referenceIDs, interner: &interner, keepTokens: keepTokens)
                let hypothesisTokens = Self.identify(
                    hypothesisBytes, unit: unit, jiwerDefaults: jiwerDefaults, spans: &spans,
                    ids: &hypothesisIDs, interner: &interner, keepTokens: keepTokens)
                vocabulary = Int(interner.count)
                interner.reset()  // no token address outlives its text
                return (referenceTokens, hypothesisTokens)
            }
        }
    }

    /// Cuts one text into tokens and gives each its id; returns the tokens as strings only when
    /// `keepTokens`.
    private static func identify(
        _ bytes: UnsafeBufferPointer<UInt8>, unit: ScoringUnit, jiwerDefaults: Bool, spans: inout SpanList,
        ids: inout [Int32], interner: inout TokenInterner, keepTokens: Bool
    ) -> [String] {
        interner.begin(bytes)
        Tokenizer.tokenize(bytes, unit: unit, jiwerDefaults: jiwerDefaults, into: &interner)
        swap(&ids, &interner.output)
        guard keepTokens else { return [] }
        spans.spans.removeAll(keepingCapacity: true)
        Tokenizer.tokenize(bytes, unit: unit, jiwerDefaults: jiwerDefaults, into: &spans)
        return spans.spans.map { span in
            String(decoding: UnsafeBufferPointer(rebasing: bytes[Int(span.start)..<Int(span.end)]), as: UTF8.self)
        }
    }
}

/// The scores of a corpus: every pair's counts and the corpus total.
public struct ScoreReport: Hashable, Sendable, Codable {
    /// What the texts were cut into.
    public var unit: ScoringUnit
    /// Each pair's counts, in input order.
    public var utterances: [ErrorCounts] = []
    /// Each pair's alignment, in input order, when asked for; otherwise empty.
    public var alignments: [Alignment] = []
    /// The sum of every pair's counts; its measures are the corpus measures jiwer reports for lists.
    public var total = ErrorCounts()

    /// Creates an empty report.
    /// - Parameter unit: What the texts are cut into.
    public init(unit: ScoringUnit) { self.unit = unit }

    /// The corpus error rate (WER or CER): total errors over total reference tokens.
    public var errorRate: Double { total.errorRate }
    /// The corpus word error rate.
    public var wer: Double { total.wer }
    /// The corpus character error rate.
    public var cer: Double { total.cer }
    /// The corpus match error rate.
    public var mer: Double { total.mer }
    /// The corpus word information lost.
    public var wil: Double { total.wil }
    /// The corpus word information preserved.
    public var wip: Double { total.wip }
}

extension ScoringError.Code {
    /// Reference and hypothesis lists of different lengths.
    public static let lengthMismatch = Self("lengthMismatch")
}

// MARK: - One-call functions

/// The word error rate of one pair, as `jiwer.wer(reference, hypothesis)`.
/// - Parameters:
///   - reference: The reference text.
///   - hypothesis: The recogniser's text.
///   - normalizer: Replaces jiwer's default normalisation when given.
/// - Returns: (S + D + I) / N, or the number of inserted words when the reference is empty.
public func wordErrorRate(reference: String, hypothesis: String, normalizer: (any TextNormalizer)? = nil) -> Double {
    var scorer = Scorer(unit: .word, normalizer: normalizer)
    return scorer.counts(reference: reference, hypothesis: hypothesis).wer
}

/// The character error rate of one pair, as `jiwer.cer(reference, hypothesis)`.
/// - Parameters:
///   - reference: The reference text.
///   - hypothesis: The recogniser's text.
///   - unit: ``ScoringUnit/character`` (jiwer's, spaces count) or
///     ``ScoringUnit/characterIgnoringWhitespace`` (for Chinese and Cantonese).
///   - normalizer: Replaces jiwer's default normalisation when given.
/// - Returns: (S + D + I) / N over code points, or the number of inserted code points when the
///   reference is empty.
public func characterErrorRate(
    reference: String, hypothesis: String, unit: ScoringUnit = .character, normalizer: (any TextNormalizer)? = nil
) -> Double {
    var scorer = Scorer(unit: unit, normalizer: normalizer)
    return scorer.counts(reference: reference, hypothesis: hypothesis).cer
}

/// Scores a corpus as jiwer's `process_words` / `process_characters` do for two lists.
/// - Parameters:
///   - references: Reference texts.
///   - hypotheses: Recogniser texts, one per reference.
///   - unit: What to cut texts into.
///   - normalizer: Replaces jiwer's default normalisation when given.
///   - includeAlignments: Also keep every pair's alignment.
/// - Returns: Per-pair counts and the corpus total.
/// - Throws: ``ScoringError`` when the lists differ in length.
public func score(
    references: [String], hypotheses: [String], unit: ScoringUnit = .word, normalizer: (any TextNormalizer)? = nil,
    includeAlignments: Bool = false
) throws(ScoringError) -> ScoreReport {
    var scorer = Scorer(unit: unit, normalizer: normalizer)
    return try scorer.score(references: references, hypotheses: hypotheses, includeAlignments: includeAlignments)
}
