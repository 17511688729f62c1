public import Scoring

/// `lowercase-punctuation` (lower case as Python's `str.lower`, Unicode punctuation removed,
/// white space collapsed as `" ".join(text.split())`) with a byte-level path for ASCII text.
///
/// The general normalisers look up Unicode properties for every code point; a report
/// normalises every reference and hypothesis of the run, and that dominated its time. ASCII
/// text (the common case) takes one pass over its bytes and gives exactly what the composed
/// normalisers give (checked by `ReportTests`); any other text goes through them.
public struct LowercasePunctuationNormalizer: TextNormalizer {
    private static let general = ComposedNormalizer([LowercaseNormalizer(), PunctuationRemover(), WhitespaceCollapser()])

    /// The ASCII code points of Unicode category P*: ``!"#%&'()*,-./:;?@[\]_{}``.
    private static let punctuation: [Bool] = (0..<128).map { Array(##"!"#%&'()*,-./:;?@[\]_{}"##.utf8).contains(UInt8($0)) }

    /// Creates the normaliser.
    public init() {}

    /// - Parameter text: The text as given.
    /// - Returns: Lower case, no punctuation, single spaces, no spaces at the ends.
    public func normalize(_ text: String) -> String {
        var text = text
        let fast: String? = text.withUTF8 { bytes in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            var pendingSpace = false
            for byte in bytes {
                guard byte < 0x80 else { return nil }
                if (0x09...0x0D).contains(byte) || (0x1C...0x20).contains(byte) {
                    pendingSpace = !out.isEmpty
                } else if !Self.punctuation[Int(byte)] {
                    if pendingSpace {
                        out.append(0x20)
                        pendingSpace = false
                    }
                    out.append((0x41...0x5A).contains(byte) ? byte | 0x20 : byte)
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
        return fast ?? Self.general.normalize(text)
    }
}
