import Foundation
import Scoring
import TestSupport
import Testing

/// Scores produced by real jiwer 4.0 (written by `Scripts/check-jiwer.sh`): every metric of
/// every pair, the corpus, the op sequence and `visualize_alignment`'s output.
///
/// The committed fixture (`Tests/Fixtures/scoring/jiwer-vectors.json`, 400 pairs) is checked on
/// every test run; `SPEECHPREP_JIWER_VECTORS=<file>` checks a freshly generated, larger set.
struct JiwerVectors: Decodable {
    struct Unit: Decodable {
        /// Per pair: hits, substitutions, deletions, insertions, then the measures (words:
        /// wer, mer, wil, wip; characters: cer).
        var perPair: [[Double]]
        /// Per pair: the chunks as `t<refStart>.<refEnd>.<hypStart>.<hypEnd>` separated by spaces.
        var ops: [String]
        var corpus: [Double]
    }

    struct Counts: Decodable {
        var perPair: [[Double]]
        var corpus: [Double]
    }

    struct Visualization: Decodable {
        var references: [String]
        var hypotheses: [String]
        var word: String
        var wordNoMeasures: String
        var wordWidth40: String
        var character: String
    }

    var jiwer: String
    var pairs: [[String]]
    var word: Unit
    var character: Unit
    var characterIgnoringWhitespace: Unit
    var mixed: Unit
    /// Words after lower-casing and punctuation removal (jiwer's `ToLowerCase`,
    /// `RemovePunctuation`, then its defaults).
    var normalizedWord: Unit
    /// Characters after Python's `unicodedata.normalize("NFKC", …)` (counts and CER only).
    var nfkcCharacter: Counts
    var visualize: [Visualization]

    subscript(unit: ScoringUnit) -> Unit {
        switch unit {
        case .word: word
        case .character: character
        case .characterIgnoringWhitespace: characterIgnoringWhitespace
        case .mixed: mixed
        }
    }

    static let path = ProcessInfo.processInfo.environment["SPEECHPREP_JIWER_VECTORS"]
        ?? Fixtures.path("scoring/jiwer-vectors.json")

    /// Reads the vectors once per process (the file can hold 10,000+ pairs).
    static func load() throws -> JiwerVectors {
        try cache.get()
    }

    private static let cache = Result {
        try JSONDecoder().decode(JiwerVectors.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }
}

/// The measures of counts in the order the vector file lists them.
private func measures(_ counts: ErrorCounts, unit: ScoringUnit) -> [Double] {
    let head = [counts.hits, counts.substitutions, counts.deletions, counts.insertions].map(Double.init)
    switch unit {
    case .word, .mixed: return head + [counts.wer, counts.mer, counts.wil, counts.wip]
    case .character, .characterIgnoringWhitespace: return head + [counts.cer]
    }
}

private func encode(_ chunks: [AlignmentChunk]) -> String {
    chunks.map { chunk in
        "\(chunk.kind.rawValue.first!)\(chunk.referenceRange.lowerBound).\(chunk.referenceRange.upperBound)."
            + "\(chunk.hypothesisRange.lowerBound).\(chunk.hypothesisRange.upperBound)"
    }.joined(separator: " ")
}

private func close(_ a: [Double], _ b: [Double]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= 1e-12 }
}

@Suite("jiwer conformance")
struct JiwerConformance {
    let vectors: JiwerVectors

    init() throws { vectors = try JiwerVectors.load() }

    @Test func vectorsComeFromJiwer4() {
        #expect(vectors.jiwer.hasPrefix("4."))
        #expect(vectors.pairs.count >= 100)
    }

    @Test("every pair's counts, measures and op sequence match jiwer", arguments: ScoringUnit.allCases)
    func perPair(unit: ScoringUnit) {
        let expected = vectors[unit]
        var scorer = Scorer(unit: unit)
        var mismatches = 0
        for (index, pair) in vectors.pairs.enumerated() {
            let counts = scorer.counts(reference: pair[0], hypothesis: pair[1])
            let alignment = scorer.align(reference: pair[0], hypothesis: pair[1])
            let ok = close(measures(counts, unit: unit), expected.perPair[index])
                && alignment.counts == counts && encode(alignment.chunks) == expected.ops[index]
            if !ok, mismatches < 5 {
                Issue.record(
                    """
                    pair \(index) \(pair.debugDescription) [\(unit)]:
                      counts \(measures(counts, unit: unit)) / alignment \(measures(alignment.counts, unit: unit))
                      jiwer  \(expected.perPair[index])
                      ops    \(encode(alignment.chunks))
                      jiwer  \(expected.ops[index])
                    """)
            }
            if !ok { mismatches += 1 }
        }
        #expect(mismatches == 0, "\(mismatches) of \(vectors.pairs.count) pairs differ from jiwer")
    }

    @Test("lower-casing and punctuation removal match jiwer's transforms")
    func normalizedWords() {
        let normalizer = ComposedNormalizer([LowercaseNormalizer(), PunctuationRemover(), JiwerDefaultNormalizer()])
        var scorer = Scorer(unit: .word, normalizer: normalizer)
        var mismatches = 0
        for (index, pair) in vectors.pairs.enumerated() {
            let alignment = scorer.align(reference: pair[0], hypothesis: pair[1])
            if !close(measures(alignment.counts, unit: .word), vectors.normalizedWord.perPair[index])
                || encode(alignment.chunks) != vectors.normalizedWord.ops[index]
            {
                if mismatches < 5 { Issue.record("pair \(index) \(pair.debugDescription): \(alignment.reference) / \(alignment.hypothesis)") }
                mismatches += 1
            }
        }
        #expect(mismatches == 0, "\(mismatches) of \(vectors.pairs.count) pairs differ from jiwer")
    }

    @Test("NFKC matches Python's unicodedata")
    func nfkcCharacters() throws {
        let normalizer = ComposedNormalizer([NFKCNormalizer(), JiwerCharacterDefaultNormalizer()])
        var scorer = Scorer(unit: .character, normalizer: normalizer)
        for (index, pair) in vectors.pairs.enumerated() {
            let counts = scorer.counts(reference: pair[0], hypothesis: pair[1])
            #expect(close(measures(counts, unit: .character), vectors.nfkcCharacter.perPair[index]), "pair \(index) \(pair)")
        }
        let report = try score(
            references: vectors.pairs.map { $0[0] }, hypotheses: vectors.pairs.map { $0[1] }, unit: .character,
            normalizer: normalizer)
        #expect(close(measures(report.total, unit: .character), vectors.nfkcCharacter.corpus))
    }

    @Test("corpus measures match jiwer's list semantics", arguments: ScoringUnit.allCases)
    func corpus(unit: ScoringUnit) throws {
        let report = try score(references: vectors.pairs.map { $0[0] }, hypotheses: vectors.pairs.map { $0[1] }, unit: unit)
        #expect(close(measures(report.total, unit: unit), vectors[unit].corpus))
        #expect(report.utterances.count == vectors.pairs.count)
    }

    @Test("visualizeAlignment renders as jiwer's visualize_alignment")
    func visualization() throws {
        for case let sample in vectors.visualize {
            let words = try score(references: sample.references, hypotheses: sample.hypotheses, includeAlignments: true)
            let characters = try score(
                references: sample.references, hypotheses: sample.hypotheses, unit: .character, includeAlignments: true)
            #expect(visualizeAlignment(words.alignments) == sample.word)
            #expect(visualizeAlignment(words.alignments, showMeasures: false, skipCorrect: false) == sample.wordNoMeasures)
            #expect(visualizeAlignment(words.alignments, lineWidth: 40) == sample.wordWidth40)
            #expect(visualizeAlignment(characters.alignments) == sample.character)
        }
    }
}
