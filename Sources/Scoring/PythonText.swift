internal import Foundation

/// Text as Python sees it: a sequence of code points. Every operation here is one Python
/// string operation or one `re.sub` of openai-whisper's normalisers, written out by hand so
/// that the result is the same code points (Swift's `String` compares canonically equivalent
/// strings as equal and would hide differences).
typealias Scalars = [Unicode.Scalar]

enum PythonText {
    /// `s.lower()`: full Unicode lower-case mapping with the Final_Sigma rule.
    static func lower(_ scalars: Scalars) -> Scalars {
        var lowered = Scalars()
        lowered.reserveCapacity(scalars.count)
        for (index, scalar) in scalars.enumerated() {
            if scalar.value < 0x80 {
                lowered.append((0x41...0x5A).contains(scalar.value) ? Unicode.Scalar(scalar.value + 0x20)! : scalar)
            } else if scalar == "\u{03A3}" {
                lowered.append(isFinalSigma(at: index, in: scalars) ? "\u{03C2}" : "\u{03C3}")
            } else {
                lowered.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return lowered
    }

    /// Unicode's Final_Sigma condition: a cased letter before (skipping case-ignorable
    /// characters) and none after.
    private static func isFinalSigma(at index: Int, in scalars: Scalars) -> Bool {
        let before = scalars[..<index].reversed().first { !$0.properties.isCaseIgnorable }
        let after = scalars[(index + 1)...].first { !$0.properties.isCaseIgnorable }
        return before?.properties.isCased == true && after?.properties.isCased != true
    }

    /// `unicodedata.normalize("NFKC", s)`.
    static func nfkc(_ scalars: Scalars) -> Scalars {
        if scalars.allSatisfy({ $0.value < 0x80 }) { return scalars }
        return Array(String(scalars).precomposedStringWithCompatibilityMapping.unicodeScalars)
    }

    /// `unicodedata.normalize("NFKD", s)`.
    static func nfkd(_ scalars: Scalars) -> Scalars {
        if scalars.allSatisfy({ $0.value < 0x80 }) { return scalars }
        return Array(String(scalars).decomposedStringWithCompatibilityMapping.unicodeScalars)
    }

    /// `s.split()`: the runs of non-white-space.
    static func split(_ scalars: Scalars) -> [ArraySlice<Unicode.Scalar>] {
        scalars.split(whereSeparator: \.isPythonWhitespace)
    }

    /// `" ".join(words)`.
    static func join<Words: Sequence>(_ words: Words) -> Scalars where Words.Element: Collection<Unicode.Scalar> {
        var joined = Scalars()
        var first = true
        for word in words {
            if !first { joined.append(" ") }
            joined.append(contentsOf: word)
            first = false
        }
        return joined
    }

    /// `re.sub(r"\s+", " ", s)`.
    static func collapseWhitespace(_ scalars: Scalars) -> Scalars {
        var collapsed = Scalars()
        collapsed.reserveCapacity(scalars.count)
        var inRun = false
        for scalar in scalars {
            if scalar.isPythonWhitespace {
                if !inRun { collapsed.append(" ") }
                inRun = true
            } else {
                collapsed.append(scalar)
                inRun = false
            }
        }
        return collapsed
    }

    /// `re.sub(r"[<\[][^>\]]*[>\]]", "", s)` then `re.sub(r"\(([^)]+?)\)", "", s)`: words
    /// between brackets, then words between parentheses.
    static func removeBracketed(_ scalars: Scalars) -> Scalars {
        removeBracketed(scalars, ascii: \.value)
    }

    /// ``removeBracketed(_:)`` over code points or ASCII bytes; `ascii` gives an element's value.
    static func removeBracketed<Element>(_ text: [Element], ascii: (Element) -> UInt32) -> [Element] {
        let unbracketed = removeSpans(
            text, opening: { ascii($0) == 0x3C || ascii($0) == 0x5B }, closing: { ascii($0) == 0x3E || ascii($0) == 0x5D },
            minimumInside: 0)
        return removeSpans(unbracketed, opening: { ascii($0) == 0x28 }, closing: { ascii($0) == 0x29 }, minimumInside: 1)
    }

    /// Deletes every span from an opening code point to the next closing one with at least
    /// `minimumInside` code points between, scanning left to right as `re.sub` does.
    private static func removeSpans<Element>(
        _ scalars: [Element], opening: (Element) -> Bool, closing: (Element) -> Bool, minimumInside: Int
    ) -> [Element] {
        guard scalars.contains(where: opening) else { return scalars }
        var kept: [Element] = []
        var index = 0
        while index < scalars.count {
            if opening(scalars[index]),
                let close = scalars[(index + 1)...].firstIndex(where: closing), close - index - 1 >= minimumInside
            {
                index = close + 1
                continue
            }
            kept.append(scalars[index])
            index += 1
        }
        return kept
    }

    /// `re.sub(pattern, replacement, s)` for a pattern that matches a fixed number of code
    /// points at a position: `match(scalars, index)` returns the replacement and the length
    /// consumed, or `nil`.
    /// (Generic so that the ASCII byte paths share it.)
    static func substitute<Element>(_ scalars: [Element], _ match: ([Element], Int) -> ([Element], Int)?) -> [Element] {
        // Most passes match nothing: find the first match before copying anything.
        guard var index = scalars.indices.first(where: { match(scalars, $0) != nil }) else { return scalars }
        var result = [Element](scalars[..<index])
        result.reserveCapacity(scalars.count + 8)
        while index < scalars.count {
            if let (replacement, length) = match(scalars, index) {
                result.append(contentsOf: replacement)
                index += length
            } else {
                result.append(scalars[index])
                index += 1
            }
        }
        return result
    }

    /// Whether `\b` holds between positions `index - 1` and `index`.
    @inline(__always)
    static func isBoundary(_ scalars: Scalars, at index: Int) -> Bool {
        let before = index > 0 && scalars[index - 1].isPythonWord
        let after = index < scalars.count && scalars[index].isPythonWord
        return before != after
    }

    /// Whether `literal` occurs at `index`.
    @inline(__always)
    static func hasLiteral(_ scalars: Scalars, _ literal: Scalars, at index: Int) -> Bool {
        guard index + literal.count <= scalars.count else { return false }
        for offset in literal.indices where scalars[index + offset] != literal[offset] { return false }
        return true
    }
}

extension String {
    /// The text of an all-ASCII run of code points, or `nil` when one is not ASCII (built
    /// byte by byte, which is much cheaper than through `String.UnicodeScalarView`).
    static func ascii(_ scalars: ArraySlice<Unicode.Scalar>) -> String? {
        guard scalars.allSatisfy({ $0.value < 0x80 }) else { return nil }
        return String(unsafeUninitializedCapacity: scalars.count) { buffer in
            for (offset, scalar) in scalars.enumerated() { buffer[offset] = UInt8(scalar.value) }
            return scalars.count
        }
    }

    init(_ scalars: Scalars) {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        self = String(view)
    }
}
