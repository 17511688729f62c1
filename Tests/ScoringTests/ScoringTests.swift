import Scoring
import TestSupport
import Testing

/// Edge cases and options. Every expected number was measured with jiwer 4.0.0
/// (`.venv-jiwer/bin/python -c "import jiwer; print(jiwer.wer('', 'a b'))"` and so on).
@Suite("edge cases as jiwer 4.0")
struct EdgeCases {
    @Test("empty strings", arguments: [
        // reference, hypothesis, wer, mer, wip
        ("", "", 0.0, 0.0, 1.0),
        ("", "a b", 2.0, 1.0, 0.0),
        ("a b", "", 1.0, 1.0, 0.0),
        ("   ", "\t", 0.0, 0.0, 1.0),
    ])
    func emptyStrings(reference: String, hypothesis: String, wer: Double, mer: Double, wip: Double) {
        var scorer = Scorer()
        let counts = scorer.counts(reference: reference, hypothesis: hypothesis)
        #expect(counts.wer == wer)
        #expect(counts.mer == mer)
        #expect(counts.wip == wip)
        #expect(counts.wil == 1 - wip)
        #expect(wordErrorRate(reference: reference, hypothesis: hypothesis) == wer)
    }

    @Test("an empty reference in a list adds its insertions and no words")
    func emptyReferenceInList() throws {
        // jiwer.wer(['', 'a b'], ['x y', 'a b']) == 1.0; jiwer.wer(['', 'a b'], ['x y', 'a c']) == 1.5
        #expect(try score(references: ["", "a b"], hypotheses: ["x y", "a b"]).wer == 1.0)
        #expect(try score(references: ["", "a b"], hypotheses: ["x y", "a c"]).wer == 1.5)
        // jiwer.wer(['', ''], ['', 'z']) == 1: no reference words at all, so the rate is the insertions
        #expect(try score(references: ["", ""], hypotheses: ["", "z"]).wer == 1)
        #expect(try score(references: [], hypotheses: []).wer == 0)
    }

    @Test("corpus rate is total errors over total reference words, not a mean")
    func corpusIsNotAMean() throws {
        let report = try score(references: ["a b c d", "e"], hypotheses: ["a b c d", "x"])
        #expect(report.utterances.map(\.wer) == [0, 1])
        #expect(report.wer == 0.2)  // a mean would say 0.5
    }

    @Test("counts and chunks follow rapidfuzz's tie-breaking")
    func tieBreaking() {
        // jiwer.process_words('a b c', 'b c d'): delete a, equal b c, insert d
        var scorer = Scorer()
        let alignment = scorer.align(reference: "a b c", hypothesis: "b c d")
        #expect(alignment.counts == ErrorCounts(hits: 2, substitutions: 0, deletions: 1, insertions: 1))
        #expect(alignment.chunks == [
            AlignmentChunk(kind: .delete, referenceRange: 0..<1, hypothesisRange: 0..<0),
            AlignmentChunk(kind: .equal, referenceRange: 1..<3, hypothesisRange: 0..<2),
            AlignmentChunk(kind: .insert, referenceRange: 3..<3, hypothesisRange: 2..<3),
        ])
        // jiwer: wer 0.5, mer 0.5, wip 0.25 for 'a b c d e f' / 'a x c d f g'
        let counts = scorer.counts(reference: "a b c d e f", hypothesis: "a x c d f g")
        #expect([counts.wer, counts.mer, counts.wip] == [0.5, 0.5, 0.25])
    }

    @Test("lists of different lengths are an error naming both counts")
    func lengthMismatch() {
        let error = #expect(throws: ScoringError.self) { try score(references: ["a", "b"], hypotheses: ["a"]) }
        #expect(error?.code == .lengthMismatch)
        #expect(error?.description.contains("2 references but 1 hypotheses") == true)
    }
}

@Suite("characters and CJK")
struct CharacterScoring {
    @Test func cantoneseCharacterErrorRate() {
        // jiwer.cer('我係香港人', '我喺香港人') == 0.2
        #expect(characterErrorRate(reference: "我係香港人", hypothesis: "我喺香港人") == 0.2)
        // jiwer.cer(' ', 'ab') == 2 (the reference strips to nothing)
        #expect(characterErrorRate(reference: " ", hypothesis: "ab") == 2)
    }

    @Test("white space can be ignored for Chinese text")
    func ignoringWhitespace() {
        let reference = "我 係 香港人", hypothesis = "我係香港\u{3000}人"
        #expect(characterErrorRate(reference: reference, hypothesis: hypothesis) > 0)
        #expect(characterErrorRate(reference: reference, hypothesis: hypothesis, unit: .characterIgnoringWhitespace) == 0)
    }

    @Test("characters are code points, as Python's list(str)")
    func codePoints() {
        var scorer = Scorer(unit: .character)
        // "é" written as e + U+0301 is two code points; "𠮷" (outside the BMP) is one.
        let alignment = scorer.align(reference: "e\u{301}𠮷", hypothesis: "e𠮷")
        #expect(alignment.reference == ["e", "\u{301}", "𠮷"])
        #expect(alignment.counts == ErrorCounts(hits: 2, substitutions: 0, deletions: 1, insertions: 0))
    }

    @Test("mixed text: CJK characters and Latin words are tokens")
    func mixedTokens() {
        var scorer = Scorer(unit: .mixed)
        let alignment = scorer.align(reference: "我想 book 一張ticket，thanks", hypothesis: "我想 book 一張 ticket")
        #expect(alignment.reference == ["我", "想", "book", "一", "張", "ticket", "，", "thanks"])
        #expect(alignment.hypothesis == ["我", "想", "book", "一", "張", "ticket"])
        #expect(alignment.counts.deletions == 2)
    }
}

@Suite("normalisers")
struct Normalizers {
    @Test func lowercaseMatchesPython() {
        // Python: 'İSTANBUL ΣΑΣ Straße'.lower() == 'i̇stanbul σας straße'
        #expect(LowercaseNormalizer().normalize("İSTANBUL ΣΑΣ Straße") == "i\u{307}stanbul σας straße")
    }

    @Test func punctuationIsUnicodeAware() {
        // jiwer.RemovePunctuation()("你好，世界！Hello, world. «quote» don't") == '你好世界Hello world quote dont'
        #expect(PunctuationRemover().normalize("你好，世界！Hello, world. «quote» don't") == "你好世界Hello world quote dont")
    }

    @Test func whitespaceAndNFKC() {
        #expect(WhitespaceCollapser().normalize(" a \t\u{3000} b\n") == "a b")
        #expect(NFKCNormalizer().normalize("Ｆｕｌｌ ﬁne ①") == "Full fine 1")
        #expect(JiwerDefaultNormalizer().normalize("  a\tb  c \u{A0}") == "a\tb c")
        #expect(JiwerCharacterDefaultNormalizer().normalize(" \u{3000}a b\n") == "a b")
    }

    @Test("explicit jiwer defaults score exactly as the built-in fast path")
    func explicitDefaultsAgree() throws {
        let pairs = try JiwerVectors.load().pairs
        var fast = Scorer(unit: .word), explicit = Scorer(unit: .word, normalizer: JiwerDefaultNormalizer())
        var fastCharacters = Scorer(unit: .character)
        var explicitCharacters = Scorer(unit: .character, normalizer: JiwerCharacterDefaultNormalizer())
        for pair in pairs {
            #expect(fast.counts(reference: pair[0], hypothesis: pair[1]) == explicit.counts(reference: pair[0], hypothesis: pair[1]))
            #expect(
                fastCharacters.counts(reference: pair[0], hypothesis: pair[1])
                    == explicitCharacters.counts(reference: pair[0], hypothesis: pair[1]))
        }
    }

    @Test("a composed pipeline: lower-case, no punctuation, collapsed space")
    func composed() {
        let normalizer = ComposedNormalizer([LowercaseNormalizer(), PunctuationRemover(), WhitespaceCollapser()])
        #expect(wordErrorRate(reference: "Hello,  World!", hypothesis: "hello world", normalizer: normalizer) == 0)
        #expect(wordErrorRate(reference: "Hello,  World!", hypothesis: "hello world") == 1)
    }
}

@Suite("long texts")
struct LongTexts {
    /// A deterministic pseudo-random text over a small alphabet, so alignments have many ties.
    static func text(length: Int, seed: UInt64) -> String {
        var state = seed
        var scalars = String.UnicodeScalarView()
        for _ in 0..<length {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            scalars.append(["a", "b", "c", " ", "我", "係"][Int((state >> 33) % 6)])
        }
        return String(scalars)
    }

    @Test(
        "counts without the op sequence equal the counts of the full alignment",
        arguments: [(ScoringUnit.character, 3_000, 2_500), (.character, 130, 70), (.word, 9_000, 9_500)])
    func twoRowsAgreeWithTheMatrix(unit: ScoringUnit, referenceLength: Int, hypothesisLength: Int) {
        // 3,000 × 2,500 characters needs more bit matrix than the limit, so `counts` takes
        // the two-row path; 130 × 70 takes the multi-block bit-parallel path.
        let reference = Self.text(length: referenceLength, seed: 1)
        let hypothesis = Self.text(length: hypothesisLength, seed: 2)
        var scorer = Scorer(unit: unit)
        let counts = scorer.counts(reference: reference, hypothesis: hypothesis)
        let alignment = scorer.align(reference: reference, hypothesis: hypothesis)
        #expect(counts == alignment.counts)
        #expect(counts.errors > 0 && counts.hits > 0)
    }
}
