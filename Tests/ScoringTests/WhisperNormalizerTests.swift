import Foundation
import Scoring
import TestSupport
import Testing

/// openai-whisper's own `EnglishTextNormalizer` and `BasicTextNormalizer` outputs (written by
/// `Scripts/make-normalizer-vectors.py`), compared code point for code point.
///
/// The committed fixture (`Tests/Fixtures/scoring/whisper-normalizer-vectors.jsonl`, 2,500
/// sentences) is checked on every run; `SPEECHPREP_NORMALIZER_VECTORS=<file>` checks a freshly
/// drawn set (`Scripts/check-normalizers.sh`).
@Suite("Whisper normalisers against openai-whisper")
struct WhisperNormalizerTests {
    struct Vector: Decodable {
        var text: String
        var english: String
        var basic: String
    }

    static let vectors: [Vector] = {
        let path = ProcessInfo.processInfo.environment["SPEECHPREP_NORMALIZER_VECTORS"]
            ?? Fixtures.path("scoring/whisper-normalizer-vectors.jsonl")
        let data = FileManager.default.contents(atPath: path) ?? Data()
        return data.split(separator: UInt8(ascii: "\n")).map { try! JSONDecoder().decode(Vector.self, from: $0) }
    }()

    /// The first few mismatches, shown as code points so invisible differences show.
    private static func mismatches(_ normalizer: some TextNormalizer, _ expected: KeyPath<Vector, String>) -> [String] {
        vectors.compactMap { vector in
            let actual = normalizer.normalize(vector.text)
            guard !actual.unicodeScalars.elementsEqual(vector[keyPath: expected].unicodeScalars) else { return nil }
            return "\(vector.text.debugDescription)\n  expected \(vector[keyPath: expected].debugDescription)\n  got      \(actual.debugDescription)"
        }
    }

    @Test func thereAreEnoughVectors() {
        #expect(Self.vectors.count >= 2_000)
    }

    @Test func englishMatchesWhisper() {
        let failures = Self.mismatches(WhisperEnglishNormalizer(), \.english)
        #expect(failures.isEmpty, "\(failures.count) of \(Self.vectors.count) differ:\n\(failures.prefix(8).joined(separator: "\n"))")
    }

    @Test func basicMatchesWhisper() {
        let failures = Self.mismatches(WhisperBasicNormalizer(), \.basic)
        #expect(failures.isEmpty, "\(failures.count) of \(Self.vectors.count) differ:\n\(failures.prefix(8).joined(separator: "\n"))")
    }

    /// `lowercase-punctuation` has a one-pass path for ASCII text; it must give what the three
    /// steps give.
    @Test func lowercasePunctuationIsItsThreeSteps() {
        let steps = ComposedNormalizer([LowercaseNormalizer(), PunctuationRemover(), WhitespaceCollapser()])
        let texts = Self.vectors.map(\.text) + ["  A\t,B  ", "x . y", "...", "", " \u{1C}Q\u{0B}", "It's  OK!"]
        #expect(texts.filter { $0.utf8.allSatisfy { $0 < 0x80 } }.count > 500)
        for text in texts {
            #expect(
                StandardNormalizer.lowercasePunctuation.normalize(text).unicodeScalars.elementsEqual(
                    steps.normalize(text).unicodeScalars), "\(text.debugDescription)")
        }
    }

    @Test(arguments: [
        ("Mr. Smith won't pay $20 million.", "mister smith will not pay $20000000"),
        ("The colour of the aeroplane", "the color of the airplane"),
        ("one hundred and twenty three", "123"),
        ("It's twenty per cent off, um, for 1st-time buyers", "it is 20% off for 1st time buyers"),
        ("He paid five dollars and seven cents", "he paid $5.07"),
    ])
    func englishExamples(input: String, expected: String) {
        #expect(WhisperEnglishNormalizer().normalize(input) == expected)
    }
}
