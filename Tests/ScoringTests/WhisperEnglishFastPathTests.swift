import Foundation
@testable import Scoring
import TestSupport
import Testing

/// whisper-english's ASCII byte path (`WhisperEnglishASCII`) against openai-whisper on ASCII
/// sentences rich in what it special-cases (numbers, currencies, contractions, titles, fillers,
/// British spellings; `Tests/Fixtures/scoring/whisper-english-ascii-vectors.jsonl`, written by
/// `Scripts/make-normalizer-vectors.py --ascii`), and against the Unicode path on random ASCII.
@Suite struct WhisperEnglishFastPathTests {
    static let vectors: [WhisperNormalizerTests.Vector] = {
        let data = FileManager.default.contents(atPath: Fixtures.path("scoring/whisper-english-ascii-vectors.jsonl")) ?? Data()
        return data.split(separator: UInt8(ascii: "\n")).map { try! JSONDecoder().decode(WhisperNormalizerTests.Vector.self, from: $0) }
    }()

    /// The byte path gives up only when the number step's result holds `£`, `€` or `¢`: after a
    /// currency word (pound, euro, cent) or for `$0` and a digit or two (`$0.07`, "oh fifty dollars").
    static func mayGiveUp(_ text: String) -> Bool {
        let lowered = text.lowercased()
        return ["pound", "euro", "cent", "dollar", "$"].contains { lowered.contains($0) }
    }

    @Test func asciiPathMatchesWhisper() {
        #expect(Self.vectors.count >= 2_000)
        var fast = 0
        for vector in Self.vectors {
            #expect(vector.text.utf8.allSatisfy { $0 < 0x80 })
            let expected = Array(vector.english.unicodeScalars)
            #expect(Array(WhisperEnglishNormalizer().normalize(vector.text).unicodeScalars) == expected, "\(vector.text.debugDescription)")
            guard let ascii = WhisperEnglishASCII.normalize(vector.text) else {
                #expect(Self.mayGiveUp(vector.text), "gave up on \(vector.text.debugDescription)")
                continue
            }
            fast += 1
            #expect(Array(ascii.unicodeScalars) == expected, "\(vector.text.debugDescription)")
        }
        #expect(fast >= Self.vectors.count * 8 / 10, "the byte path took only \(fast) of \(Self.vectors.count)")
    }

    @Test func asciiPathMatchesUnicodePathOnRandomText() {
        var random = SeededRandom(seed: 12)
        let pieces = [
            "one", "two", "twenty", "hundred", "and", "a", "half", "point", "five", "o", "oh", "double", "minus", "per", "cent",
            "percent", "dollars", "pounds", "cents", "first", "1st", "s", "th", "$", "%", ".", ",", "'", "'s", "n't", "won't",
            "mr", "st", "dr", "um", "hmm", "uh", "colour", "aeroplane", "mhm", "[x]", "(y)", "<", ">", "(", ")", "-", "_",
            "1", "0", "7", "42", "3.5", "1,000", "$0.07", "$5", "x1", "1x", "\t", "\n", "\u{1C}", "  ", " ", "A", "Q", "&",
        ]
        for _ in 0..<5_000 {
            let text = (0..<Int.random(in: 0..<14, using: &random)).map { _ in pieces.randomElement(using: &random)! }
                .joined(separator: Bool.random(using: &random) ? " " : "")
            let unicode = WhisperEnglishNormalizer.unicodeNormalize(text)
            if let ascii = WhisperEnglishASCII.normalize(text) {
                #expect(Array(ascii.unicodeScalars) == Array(unicode.unicodeScalars), "\(text.debugDescription)")
            } else {
                #expect(Self.mayGiveUp(text), "gave up on \(text.debugDescription)")
            }
        }
        #expect(WhisperEnglishASCII.normalize("Ça va") == nil, "non-ASCII text takes the Unicode path")
    }

    @Test(arguments: [
        ("It's twenty-five past ten, Mr. Smith's colour TV.", "it is 25 past 10 mister smith is color tv"),
        ("He's been paid $1,250.50 and 20% more.", "he has been paid $1250.50 and 20% more"),
        ("One hundred and one Dalmatians, um, in 1990s", "101 dalmatians in 1990s"),
        ("I'd done it; she'd been there; they'll go.", "i had done it she had been there they will go"),
        ("Five pounds and seven cents", "£5.07"),
        ("$0.07", "¢7"),
    ])
    func specialCases(input: String, expected: String) {
        #expect(WhisperEnglishNormalizer().normalize(input) == expected)
    }
}
