// Harness for the scoring side: every normaliser and every tokeniser over arbitrary UTF-8
// (invalid sequences become U+FFFD, as they do when a transcript file is read).

import Scoring

let textHarnesses: [Harness] = [
    Harness(name: "scoring", run: fuzzScoring)
]

/// Every normaliser the CLI offers, plus the building blocks they are composed of.
let normalizers: [any TextNormalizer] =
    StandardNormalizer.allCases + [
        JiwerDefaultNormalizer(), JiwerCharacterDefaultNormalizer(), LowercaseNormalizer(), PunctuationRemover(),
        WhitespaceCollapser(), NFKCNormalizer(),
    ]

/// The input is a reference and a hypothesis separated by the first NUL byte. Each is
/// normalised every way; then, per unit, a text scored against itself has no errors, and the
/// hits, substitutions and deletions against the hypothesis add up to the reference's length.
func fuzzScoring(_ bytes: UnsafeBufferPointer<UInt8>) {
    let parts = bytes.split(separator: 0, maxSplits: 1, omittingEmptySubsequences: false)
    let reference = String(decoding: parts[0], as: UTF8.self)
    let hypothesis = parts.count > 1 ? String(decoding: parts[1], as: UTF8.self) : ""
    for normalizer in normalizers {
        _ = normalizer.normalize(reference)
        _ = normalizer.normalize(hypothesis)
    }
    // Every unit as it comes; words also through whisper-english (the CLI's default), whose
    // output feeds the tokeniser text no other normaliser produces. (Every unit with it as well
    // costs a third of the executions and reaches nothing new: the normaliser was run above.)
    for unit in ScoringUnit.allCases { check(Scorer(unit: unit), reference, hypothesis) }
    check(Scorer(unit: .word, normalizer: StandardNormalizer.whisperEnglish), reference, hypothesis)
}

/// Scores `reference` against itself and against `hypothesis`, and aligns them.
func check(_ scorer: Scorer, _ reference: String, _ hypothesis: String) {
    var scorer = scorer
    let unit = scorer.unit
    let same = scorer.counts(reference: reference, hypothesis: reference)
    precondition(
        same.substitutions == 0 && same.deletions == 0 && same.insertions == 0,
        "\(unit): a text against itself has errors: \(same)")
    let counts = scorer.counts(reference: reference, hypothesis: hypothesis)
    precondition(
        counts.hits + counts.substitutions + counts.deletions == same.hits,
        "\(unit): counts \(counts) do not add up to the reference length \(same.hits)")
    _ = scorer.align(reference: reference, hypothesis: hypothesis)
}
