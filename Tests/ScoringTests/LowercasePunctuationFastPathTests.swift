import Scoring
import Testing
import TestSupport

@Suite struct LowercasePunctuationFastPathTests {
    /// `lowercase-punctuation`'s ASCII fast path gives exactly what the general Unicode normalisers give.
    @Test func lowercasePunctuationFastPathMatchesTheGeneralNormalisers() {
        let general = ComposedNormalizer([LowercaseNormalizer(), PunctuationRemover(), WhitespaceCollapser()])
        let fast = StandardNormalizer.lowercasePunctuation
        var random = SeededRandom(seed: 5)
        let alphabet = Array((0..<128).map { Character(Unicode.Scalar(UInt8($0))) }) + ["é", "Σ", "。", " "]
        for _ in 0..<5_000 {
            let text = String((0..<Int.random(in: 0..<24, using: &random)).map { _ in alphabet.randomElement(using: &random)! })
            #expect(fast.normalize(text) == general.normalize(text), "\(Array(text.unicodeScalars))")
        }
        #expect(fast.normalize("  He said: \"Don't!\"  OK.\u{1F}x ") == "he said dont ok x")
    }
}
