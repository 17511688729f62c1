import Foundation
import SpeechDataset
import Testing

/// `JSONText.quoted` is the one string encoder behind every JSON file SpeechPrep writes; it
/// must give exactly the bytes `JSONEncoder` gives, so files stay the same whichever wrote them.
@Suite struct JSONTextTests {
    @Test(arguments: [
        String((0..<0x80).map { Character(Unicode.Scalar(UInt8($0))) }),
        "He was not an ill disposed young man.", "", "é 中文 \u{2028} \u{7f} / 𠮷", "say \"hi\"\\n",
    ])
    func quotedMatchesJSONEncoder(text: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        #expect(JSONText.quoted(text) == String(decoding: try encoder.encode(text), as: UTF8.self))
    }
}
