import Foundation
import Scoring

/// A run's items scored once each: word counts, character counts and (with errors) the word
/// operations that feed the substitution, deletion and insertion tables.
struct ScoredRun {
    /// The items kept (non-empty normalised reference), in run order.
    var items: [ReportItem] = []
    /// Their normalised references and hypotheses.
    var references: [String] = [], hypotheses: [String] = []
    var words: [ErrorCounts] = []
    var characters: [ErrorCounts] = []
    var total = ErrorCounts(), characterTotal = ErrorCounts()
    var substituted: [Pair: Int] = [:]
    var deleted: [String: Int] = [:], inserted: [String: Int] = [:]

    struct Pair: Hashable {
        var reference: String
        var hypothesis: String
    }

    var count: Int { items.count }
    var totalWords: Int { total.referenceLength }

    /// Scores `items`.
    /// - Parameter keepTopWords: Also align every utterance with errors and count its word operations.
    init(_ all: [ReportItem], normalizer: any TextNormalizer, keepTopWords: Bool) {
        var wordScorer = Scorer(unit: .word), characterScorer = Scorer(unit: .character)
        for item in all {
            let reference = normalizer.normalize(item.reference)
            guard !reference.isEmpty else { continue }
            let hypothesis = normalizer.normalize(item.hypothesis)
            // With word tables to fill, align straight away (the alignment carries the counts)
            // rather than counting first and aligning the pairs with errors again.
            let counts: ErrorCounts
            if keepTopWords {
                let alignment = wordScorer.align(reference: reference, hypothesis: hypothesis)
                counts = alignment.counts
                if counts.errors > 0 { countOperations(alignment) }
            } else {
                counts = wordScorer.counts(reference: reference, hypothesis: hypothesis)
            }
            guard counts.referenceLength > 0 else { continue }
            let characterCounts = characterScorer.counts(reference: reference, hypothesis: hypothesis)
            items.append(item)
            references.append(reference)
            hypotheses.append(hypothesis)
            words.append(counts)
            characters.append(characterCounts)
            total += counts
            characterTotal += characterCounts
        }
    }

    private mutating func countOperations(_ alignment: Alignment) {
        for chunk in alignment.chunks {
            switch chunk.kind {
            case .substitute:
                for (r, h) in zip(chunk.referenceRange, chunk.hypothesisRange) {
                    substituted[Pair(reference: alignment.reference[r], hypothesis: alignment.hypothesis[h]), default: 0] += 1
                }
            case .delete: for r in chunk.referenceRange { deleted[alignment.reference[r], default: 0] += 1 }
            case .insert: for h in chunk.hypothesisRange { inserted[alignment.hypothesis[h], default: 0] += 1 }
            case .equal: break
            }
        }
    }

    func substitutions(top limit: Int) -> [Report.WordPairCount] {
        substituted.map { Report.WordPairCount(reference: $0.key.reference, hypothesis: $0.key.hypothesis, count: $0.value) }
            .sorted { a, b in
                if a.count != b.count { return a.count > b.count }
                if a.reference != b.reference { return a.reference.utf8Less(b.reference) }
                return a.hypothesis.utf8Less(b.hypothesis)
            }
            .prefix(limit).map { $0 }
    }

    func utteranceScore(_ index: Int) -> Report.UtteranceScore {
        let item = items[index], counts = words[index]
        return Report.UtteranceScore(
            id: item.id, audio: item.audioPath, duration: item.duration, words: counts.referenceLength,
            errors: counts.errors, wer: counts.wer)
    }

    func detail(_ index: Int, aligner: inout Scorer) -> Report.UtteranceDetail {
        let alignment = aligner.align(reference: references[index], hypothesis: hypotheses[index])
        return Report.UtteranceDetail(
            score: utteranceScore(index), reference: references[index], hypothesis: hypotheses[index],
            alignment: Self.words(of: alignment), alignmentText: Self.text(of: alignment),
            metadata: items[index].metadata)
    }

    static func words(of alignment: Alignment) -> [Report.AlignedWord] {
        var out: [Report.AlignedWord] = []
        for chunk in alignment.chunks {
            let refs = chunk.referenceRange.map { alignment.reference[$0] }
            let hyps = chunk.hypothesisRange.map { alignment.hypothesis[$0] }
            switch chunk.kind {
            case .equal, .substitute:
                let op = chunk.kind == .equal ? "=" : "S"
                for (r, h) in zip(refs, hyps) { out.append(.init(op: op, reference: r, hypothesis: h)) }
            case .delete: for r in refs { out.append(.init(op: "D", reference: r, hypothesis: nil)) }
            case .insert: for h in hyps { out.append(.init(op: "I", reference: nil, hypothesis: h)) }
            }
        }
        return out
    }

    /// jiwer's REF / HYP / marks lines for one alignment, without the sentence header.
    static func text(of alignment: Alignment) -> String {
        let full = visualizeAlignment([alignment], showMeasures: false, skipCorrect: false)
        let lines = full.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("=== SENTENCE") }
        return lines.joined(separator: "\n").trimmingCharacters(in: .newlines)
    }
}
