internal import Foundation

/// Turns a text into the form it is scored in.
///
/// Normalisers compose: ``ComposedNormalizer`` applies several in order. Give one to
/// ``Scorer/init(unit:normalizer:)``; it then replaces jiwer's default normalisation, so end a
/// word pipeline with ``JiwerDefaultNormalizer`` (or ``WhitespaceCollapser``) if you want
/// white space handled as jiwer's default does.
public protocol TextNormalizer: Sendable {
    /// Normalises one text.
    /// - Parameter text: The text as given.
    /// - Returns: The text to score.
    func normalize(_ text: String) -> String

    /// A stable name for the normalisation, recorded wherever a score is kept (a pipeline's
    /// journal, a score report) so results made under different normalisations are never
    /// mixed. The default is the type's name.
    var name: String { get }
}

extension TextNormalizer {
    /// The type's name.
    public var name: String { String(describing: Self.self) }
}

/// jiwer 4.0's `wer_default` before tokenising: `RemoveMultipleSpaces` (every run of two or
/// more white space characters becomes one space; a single tab stays a tab) then `Strip`.
///
/// White space is Python's (`str.isspace`), which includes NO-BREAK SPACE and IDEOGRAPHIC
/// SPACE but not ZERO WIDTH SPACE.
public struct JiwerDefaultNormalizer: TextNormalizer {
    /// Creates the normaliser.
    public init() {}

    /// - Parameter text: The text as given.
    /// - Returns: The text with runs of white space collapsed and the ends stripped.
    public func normalize(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        var pending: [Unicode.Scalar] = []
        for scalar in text.unicodeScalars {
            if scalar.isPythonWhitespace {
                pending.append(scalar)
                continue
            }
            flush(&pending, into: &scalars)
            scalars.append(scalar)
        }
        return String(scalars)  // trailing white space is dropped: that is the strip
    }

    private func flush(_ pending: inout [Unicode.Scalar], into scalars: inout String.UnicodeScalarView) {
        defer { pending.removeAll(keepingCapacity: true) }
        guard !scalars.isEmpty else { return }  // leading white space: stripped
        if pending.count >= 2 { scalars.append(" ") } else if let single = pending.first { scalars.append(single) }
    }
}

/// jiwer 4.0's `cer_default` before tokenising: `Strip` (white space removed from both ends).
public struct JiwerCharacterDefaultNormalizer: TextNormalizer {
    /// Creates the normaliser.
    public init() {}

    /// - Parameter text: The text as given.
    /// - Returns: The text without leading and trailing white space.
    public func normalize(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.isPythonWhitespace }),
            let last = scalars.lastIndex(where: { !$0.isPythonWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}

/// Lower-cases the text with full Unicode case mapping, as Python's `str.lower` (jiwer's
/// `ToLowerCase`) — including the final-sigma rule (`ΣΑΣ` → `σας`), which Swift's
/// `lowercased()` does not apply.
public struct LowercaseNormalizer: TextNormalizer {
    /// Creates the normaliser.
    public init() {}

    /// - Parameter text: The text as given.
    /// - Returns: The text in lower case.
    public func normalize(_ text: String) -> String { String(PythonText.lower(Array(text.unicodeScalars))) }
}

/// Removes every code point whose Unicode general category is punctuation (P*), as jiwer's
/// `RemovePunctuation` — ASCII and CJK punctuation alike (`，。！？「」…`).
///
/// Punctuation is deleted, not replaced by a space, again as jiwer does; put a
/// ``WhitespaceCollapser`` after it if the text may then hold double spaces.
public struct PunctuationRemover: TextNormalizer {
    /// Creates the normaliser.
    public init() {}

    /// - Parameter text: The text as given.
    /// - Returns: The text without punctuation.
    public func normalize(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars where !scalar.isPunctuation { scalars.append(scalar) }
        return String(scalars)
    }
}

/// Replaces every run of white space (any amount, any kind) with one space and strips the ends.
public struct WhitespaceCollapser: TextNormalizer {
    /// Creates the normaliser.
    public init() {}

    /// - Parameter text: The text as given.
    /// - Returns: Words separated by single spaces.
    public func normalize(_ text: String) -> String {
        text.unicodeScalars.split(whereSeparator: \.isPythonWhitespace).map { String($0) }.joined(separator: " ")
    }
}

/// Applies Unicode compatibility composition (NFKC), which folds full-width Latin letters and
/// digits, ligatures and compatibility ideographs into their plain forms.
public struct NFKCNormalizer: TextNormalizer {
    /// Creates the normaliser.
    public init() {}

    /// - Parameter text: The text as given.
    /// - Returns: The text in NFKC.
    public func normalize(_ text: String) -> String { text.precomposedStringWithCompatibilityMapping }
}

/// Applies several normalisers in order (jiwer's `Compose`).
public struct ComposedNormalizer: TextNormalizer {
    /// The normalisers, first applied first.
    public var normalizers: [any TextNormalizer]

    /// Creates the composition.
    /// - Parameter normalizers: The normalisers, first applied first.
    public init(_ normalizers: [any TextNormalizer]) { self.normalizers = normalizers }

    /// The names of the normalisers, joined by `+`.
    public var name: String { normalizers.map(\.name).joined(separator: "+") }

    /// - Parameter text: The text as given.
    /// - Returns: The text after every normaliser.
    public func normalize(_ text: String) -> String {
        normalizers.reduce(text) { $1.normalize($0) }
    }
}

extension Unicode.Scalar {
    /// The ASCII characters of general category P*, `!"#%&'()*,-./:;?@[\]_{}`, as bits
    /// 0..<64 and 64..<128 (the others, `$+<=>^`|~`, are symbols): a test without hashing,
    /// which ``StandardNormalizer/lowercasePunctuation`` makes for every byte it scores.
    private static let asciiPunctuation: (low: UInt64, high: UInt64) = (0x8c00_f7ee_0000_0000, 0x2800_0000_b800_0001)

    var isPunctuation: Bool {
        if value < 0x40 { return Self.asciiPunctuation.low >> UInt64(value) & 1 != 0 }
        if value < 0x80 { return Self.asciiPunctuation.high >> UInt64(value - 0x40) & 1 != 0 }
        switch properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
            .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }
}
