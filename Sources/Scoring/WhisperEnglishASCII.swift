/// ``WhisperEnglishNormalizer`` on all-ASCII text, over bytes: the same steps, in the same
/// order, as its Unicode path, each written for ASCII, where lower-casing is a byte offset,
/// NFKD changes nothing, and `\w`, `\s` and `\d` are small byte classes. Most transcripts and
/// references of English data sets are ASCII, and this path does not build a code-point array
/// or a `String` per step, which is what made whisper-english the slowest normaliser.
///
/// It gives up (`nil`) whenever the result could hold something other than ASCII — a currency
/// word after a number (`five pounds` → `£5`, `seven cents` → `¢7`) or `$0.07` (→ `¢7`) — and
/// the Unicode path then normalises the text from the start. Tests compare it with that path on
/// random ASCII text and with openai-whisper on ASCII vectors.
enum WhisperEnglishASCII {
    typealias Bytes = [UInt8]

    /// `EnglishTextNormalizer()(text)` for an all-ASCII `text`.
    /// - Returns: The normalised text, or `nil` for a text with a non-ASCII code point or one
    ///   whose result would hold one.
    static func normalize(_ text: String) -> String? {
        var text = text
        guard var s = text.withUTF8({ bytes -> Bytes? in
            var lowered = Bytes(repeating: 0, count: bytes.count)
            for (index, byte) in bytes.enumerated() {
                guard byte < 0x80 else { return nil }
                lowered[index] = (0x41...0x5A).contains(byte) ? byte + 0x20 : byte
            }
            return lowered
        }) else { return nil }
        s = PythonText.removeBracketed(s) { UInt32($0) }
        s = removeFillers(s)
        s = substitute(s) { s, index in  // re.sub(r"\s+'", "'", s)
            guard isSpace(s[index]) else { return nil }
            var end = index + 1
            while end < s.count, isSpace(s[end]) { end += 1 }
            return end < s.count && s[end] == apostrophe ? ([apostrophe], end - index + 1) : nil
        }
        s = ASCIIReplacers.apply(s)
        s = substitute(s) { s, index in  // re.sub(r"(\d),(\d)", r"\1\2", s)
            guard index + 2 < s.count, s[index + 1] == comma, isDigit(s[index]), isDigit(s[index + 2]) else { return nil }
            return ([s[index], s[index + 2]], 3)
        }
        s = substitute(s) { s, index in  // re.sub(r"\.([^0-9]|$)", r" \1", s)
            guard s[index] == period else { return nil }
            if index + 1 == s.count { return ([space], 1) }
            return isDigit(s[index + 1]) ? nil : ([space, s[index + 1]], 2)
        }
        // remove_symbols_and_diacritics(s, keep=".%$¢€£"): NFKD leaves ASCII as it is.
        for index in s.indices where isSymbolOrPunctuation(s[index]) && !isNumericSymbol(s[index]) { s[index] = space }
        guard let numbers = standardizeNumbers(s) else { return nil }
        s = americanSpellings(numbers)
        s = substitute(s) { s, index in  // re.sub(r"[.$¢€£]([^0-9])", r" \1", s)
            guard index + 1 < s.count, s[index] == period || s[index] == dollar, !isDigit(s[index + 1]) else { return nil }
            return ([space, s[index + 1]], 2)
        }
        s = substitute(s) { s, index in  // re.sub(r"([^0-9])%", r"\1 ", s)
            guard index + 1 < s.count, s[index + 1] == percent, !isDigit(s[index]) else { return nil }
            return ([s[index], space], 2)
        }
        return collapsedString(s)
    }

    // MARK: - Steps

    /// `re.sub(r"\b(hmm|mm|mhm|mmm|uh|um)\b", "", s)`: a match is a whole run of word bytes.
    private static func removeFillers(_ s: Bytes) -> Bytes {
        substitute(s) { s, index in
            guard isWord(s[index]), isBoundary(s, at: index) else { return nil }
            var end = index + 1
            while end < s.count, end - index <= 3, isWord(s[end]) { end += 1 }
            let word = s[index..<end]
            return isBoundary(s, at: end) && fillers.contains { $0.elementsEqual(word) } ? ([], word.count) : nil
        }
    }

    private static let fillers: [Bytes] = ["hmm", "mm", "mhm", "mmm", "uh", "um"].map { Array($0.utf8) }

    /// whisper's `EnglishNumberNormalizer`. A text without a digit, a number word or "half"
    /// is only re-spaced. Otherwise, without "half" (so without "and a half"), the steps run
    /// here, with only the runs of numbers and number words (and the word after each) going
    /// through ``EnglishNumberNormalizer/processWords(_:)``: after any other word its state is
    /// back to the start, so the runs are independent. A text with "half" goes through
    /// ``EnglishNumberNormalizer`` whole. `nil` when the result is not ASCII (`£5`, `¢7`).
    private static func standardizeNumbers(_ s: Bytes) -> Bytes? {
        let wordRanges = words(s)
        let hasHalf = s.indices.contains { hasLiteral(s, half, at: $0) }
        if !hasHalf, !s.contains(where: isDigit), !wordRanges.contains(where: { numberWords.contains(s[$0]) }) {
            return join(wordRanges, of: s)
        }
        if hasHalf { return ascii(EnglishNumberNormalizer.normalize(s.map { Unicode.Scalar($0) })) }
        // preprocess: one segment, kept as it is when it holds a word.
        var text = wordRanges.isEmpty ? [] : s
        text = substitute(text) { s, index in  // ([a-z])([0-9]) -> \1 \2
            index + 1 < s.count && isLowercase(s[index]) && isDigit(s[index + 1]) ? ([s[index], space, s[index + 1]], 2) : nil
        }
        text = substitute(text) { s, index in  // ([0-9])([a-z]) -> \1 \2
            index + 1 < s.count && isDigit(s[index]) && isLowercase(s[index + 1]) ? ([s[index], space, s[index + 1]], 2) : nil
        }
        text = substitute(text) { s, index in  // ([0-9])\s+(st|nd|rd|th|s)\b -> \1\2
            guard isDigit(s[index]), index + 1 < s.count, isSpace(s[index + 1]) else { return nil }
            var start = index + 1
            while start < s.count, isSpace(s[start]) { start += 1 }
            for suffix in ordinalSuffixes where hasLiteral(s, suffix, at: start) && isBoundary(s, at: start + suffix.count) {
                return ([s[index]] + suffix, start + suffix.count - index)
            }
            return nil
        }
        // process_words, run by run.
        let ranges = words(text)
        var out = Bytes()
        out.reserveCapacity(text.count + 8)
        var next = 0
        while next < ranges.count {
            guard isNumberToken(text[ranges[next]]) else {
                if !out.isEmpty { out.append(space) }
                out.append(contentsOf: text[ranges[next]])
                next += 1
                continue
            }
            var end = next + 1
            while end < ranges.count, isNumberToken(text[ranges[end]]) { end += 1 }
            end = min(end + 1, ranges.count)
            let run = ranges[next..<end].map { String(decoding: text[$0], as: UTF8.self) }
            for word in EnglishNumberNormalizer.processWords(run) {
                if !out.isEmpty { out.append(space) }
                out.append(contentsOf: word.utf8)
            }
            next = end
        }
        guard out.allSatisfy({ $0 < 0x80 }) else { return nil }
        // postprocess: "([€£$])([0-9]+) (?:and )?¢…" needs a ¢; "[€£$]0.([0-9]{1,2})\b" makes one.
        if out.indices.contains(where: { out[$0] == dollar && makesCents(out, at: $0) }) { return nil }
        return substitute(out) { s, index in  // \b1(s?)\b
            guard s[index] == UInt8(ascii: "1"), isBoundary(s, at: index) else { return nil }
            if index + 1 < s.count, s[index + 1] == UInt8(ascii: "s"), isBoundary(s, at: index + 2) { return (ones, 2) }
            return isBoundary(s, at: index + 1) ? (one, 1) : nil
        }
    }

    private static let half = Array("half".utf8), one = Array("one".utf8), ones = Array("ones".utf8)
    private static let ordinalSuffixes: [Bytes] = ["st", "nd", "rd", "th", "s"].map { Array($0.utf8) }
    private static let numberWords = WordSet(EnglishNumberNormalizer.words)

    /// Whether `$` at `index` starts `[€£$]0.([0-9]{1,2})\b`.
    private static func makesCents(_ s: Bytes, at index: Int) -> Bool {
        guard index + 3 < s.count, s[index + 1] == UInt8(ascii: "0"), s[index + 2] != UInt8(ascii: "\n"), isDigit(s[index + 3])
        else { return false }
        let end = index + 4 < s.count && isDigit(s[index + 4]) ? index + 5 : index + 4
        return isBoundary(s, at: end)
    }

    /// A word `process_words` does more than copy: a number (`\d+(\.\d+)?`, after a sign or `$`)
    /// or a number word.
    private static func isNumberToken(_ word: ArraySlice<UInt8>) -> Bool {
        let body = word.first == UInt8(ascii: "-") || word.first == UInt8(ascii: "+") || word.first == dollar ? word.dropFirst() : word
        let integer = body.prefix(while: isDigit)
        if !integer.isEmpty {
            let rest = body[integer.endIndex...]
            if rest.isEmpty || rest.first == period && rest.count > 1 && rest.dropFirst().allSatisfy(isDigit) { return true }
        }
        return numberWords.contains(word)
    }

    /// The bytes of an all-ASCII result, else `nil`.
    private static func ascii(_ scalars: Scalars) -> Bytes? {
        var bytes = Bytes()
        bytes.reserveCapacity(scalars.count)
        for scalar in scalars {
            guard scalar.value < 0x80 else { return nil }
            bytes.append(UInt8(scalar.value))
        }
        return bytes
    }

    /// whisper's `EnglishSpellingNormalizer`: `" ".join(mapping.get(word, word) for word in s.split())`.
    private static func americanSpellings(_ s: Bytes) -> Bytes {
        var out = Bytes()
        out.reserveCapacity(s.count + 8)
        for word in words(s) {
            if !out.isEmpty { out.append(space) }
            if britishWords.contains(s[word]), let american = BritishSpellings.mapping[String(decoding: s[word], as: UTF8.self)] {
                out.append(contentsOf: american.utf8)
            } else {
                out.append(contentsOf: s[word])
            }
        }
        return out
    }

    private static let britishWords = WordSet(BritishSpellings.mapping.keys)

    /// `re.sub(r"\s+", " ", s)` as a `String`.
    private static func collapsedString(_ s: Bytes) -> String {
        String(unsafeUninitializedCapacity: s.count) { output in
            var count = 0
            var inRun = false
            for byte in s {
                if isSpace(byte) {
                    if !inRun { output[count] = space; count += 1 }
                    inRun = true
                } else {
                    output[count] = byte
                    count += 1
                    inRun = false
                }
            }
            return count
        }
    }

    // MARK: - Bytes as Python's `re` sees ASCII

    static let space = UInt8(ascii: " "), period = UInt8(ascii: "."), comma = UInt8(ascii: ",")
    static let dollar = UInt8(ascii: "$"), percent = UInt8(ascii: "%"), apostrophe = UInt8(ascii: "'")

    /// `\w`: `[A-Za-z0-9_]`.
    @inline(__always)
    static func isWord(_ byte: UInt8) -> Bool {
        (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || byte == 0x5F
    }

    /// `\s` (and `str.split()`): `[\t\n\v\f\r\x1c-\x1f ]`.
    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool { UInt32(byte).isPythonWhitespace }

    /// `\d`, `[0-9]`.
    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }

    /// `[a-z]`.
    @inline(__always)
    static func isLowercase(_ byte: UInt8) -> Bool { (0x61...0x7A).contains(byte) }

    /// General category M*, S* or P*: every printable byte but letters and digits.
    @inline(__always)
    static func isSymbolOrPunctuation(_ byte: UInt8) -> Bool { Unicode.Scalar(byte).isMarkSymbolOrPunctuation }

    /// The symbols kept for numbers that are ASCII: `.`, `%`, `$`.
    @inline(__always)
    static func isNumericSymbol(_ byte: UInt8) -> Bool { byte == period || byte == percent || byte == dollar }

    /// Whether `\b` holds between `index - 1` and `index`.
    @inline(__always)
    static func isBoundary(_ s: Bytes, at index: Int) -> Bool {
        (index > 0 && isWord(s[index - 1])) != (index < s.count && isWord(s[index]))
    }

    /// Whether `literal` occurs at `index`.
    @inline(__always)
    static func hasLiteral(_ s: Bytes, _ literal: Bytes, at index: Int) -> Bool {
        index + literal.count <= s.count && s[index..<(index + literal.count)].elementsEqual(literal)
    }

    /// `s.split()`: the ranges of the runs of non-white-space.
    static func words(_ s: Bytes) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start: Int?
        for index in s.indices {
            if isSpace(s[index]) {
                if let first = start { ranges.append(first..<index) }
                start = nil
            } else if start == nil {
                start = index
            }
        }
        if let first = start { ranges.append(first..<s.count) }
        return ranges
    }

    /// `" ".join(words)` of ranges of `s`.
    static func join(_ words: some Sequence<Range<Int>>, of s: Bytes) -> Bytes {
        var joined = Bytes()
        joined.reserveCapacity(s.count)
        for word in words {
            if !joined.isEmpty { joined.append(space) }
            joined.append(contentsOf: s[word])
        }
        return joined
    }

    /// ``PythonText/substitute(_:_:)`` over bytes.
    @inline(__always)
    static func substitute(_ s: Bytes, _ match: (Bytes, Int) -> (Bytes, Int)?) -> Bytes {
        PythonText.substitute(s, match)
    }
}

/// A set of ASCII words that answers most "no" without hashing: a word is looked up only when
/// a word of the set has its length and last two bytes.
private struct WordSet {
    private let words: Set<String>
    private var endings = [Bool](repeating: false, count: 32 << 14)

    init(_ words: some Sequence<String>) {
        self.words = Set(words)
        for word in self.words { endings[Self.key(word.utf8)] = true }
    }

    private static func key(_ word: some Collection<UInt8>) -> Int {
        var last = word.reversed().makeIterator()
        let a = Int(last.next() ?? 0) & 0x7F, b = Int(last.next() ?? 0) & 0x7F
        return min(word.count, 31) << 14 | a << 7 | b
    }

    func contains(_ word: ArraySlice<UInt8>) -> Bool {
        endings[Self.key(word)] && words.contains(String(decoding: word, as: UTF8.self))
    }
}

/// whisper's contraction and title `replacers` over bytes (every pattern is ASCII): one scan
/// finds the few that match, in whisper's order, and only they run (see
/// ``WhisperEnglishNormalizer``'s Unicode path for why that is exact).
private enum ASCIIReplacers {
    struct Replacer {
        var pattern: [UInt8]
        var replacement: [UInt8]
        var leadingBoundary: Bool

        @inline(__always)
        func matches(_ s: [UInt8], at index: Int) -> Bool {
            WhisperEnglishASCII.hasLiteral(s, pattern, at: index)
                && (!leadingBoundary || WhisperEnglishASCII.isBoundary(s, at: index))
                && WhisperEnglishASCII.isBoundary(s, at: index + pattern.count)
        }
    }

    static let replacers: [Replacer] = WhisperEnglishNormalizer.replacers.map { replacer in
        Replacer(
            pattern: replacer.pattern.map { UInt8($0.value) }, replacement: replacer.replacement.map { UInt8($0.value) },
            leadingBoundary: replacer.leadingBoundary)
    }

    /// For each byte, the replacers whose pattern starts with it (bit i: `replacers[i]`).
    static let byFirst: [UInt64] = (0..<128).map { first in
        replacers.indices.reduce(0) { mask, index in replacers[index].pattern[0] == first ? mask | 1 << index : mask }
    }

    static func apply(_ s: [UInt8]) -> [UInt8] {
        var matched: UInt64 = 0
        for index in s.indices {
            var candidates = byFirst[Int(s[index])] & ~matched
            while candidates != 0 {
                let candidate = candidates.trailingZeroBitCount
                candidates &= candidates - 1
                if replacers[candidate].matches(s, at: index) { matched |= 1 << candidate }
            }
        }
        var s = s
        while matched != 0 {
            let replacer = replacers[matched.trailingZeroBitCount]
            matched &= matched - 1
            s = WhisperEnglishASCII.substitute(s) { s, index in
                replacer.matches(s, at: index) ? (replacer.replacement, replacer.pattern.count) : nil
            }
        }
        return s
    }
}
