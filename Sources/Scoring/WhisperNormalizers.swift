/// openai-whisper's `BasicTextNormalizer` (the default, `remove_diacritics=False,
/// split_letters=False`), code point for code point: lower-case, drop words between brackets
/// and parentheses, NFKC, every mark, symbol and punctuation code point (general categories
/// M*, S*, P*) becomes a space, lower-case again, runs of white space become one space.
///
/// The result is *not* stripped, exactly as in whisper: `"Hello!"` becomes `"hello "`. The
/// Open ASR Leaderboard uses it for languages other than English.
public struct WhisperBasicNormalizer: TextNormalizer {
    /// Creates the normaliser.
    public init() {}

    /// `whisper-basic`.
    public var name: String { "whisper-basic" }

    /// - Parameter text: The text as given.
    /// - Returns: `BasicTextNormalizer()(text)`.
    public func normalize(_ text: String) -> String {
        if let ascii = Self.asciiNormalize(text) { return ascii }
        var scalars = PythonText.removeBracketed(PythonText.lower(Array(text.unicodeScalars)))
        scalars = PythonText.nfkc(scalars).map { $0.isMarkSymbolOrPunctuation ? " " : $0 }
        return String(PythonText.collapseWhitespace(PythonText.lower(scalars)))
    }

    /// The same steps on an all-ASCII text's bytes (`nil` for any other text), where NFKC and
    /// the second lower-casing change nothing.
    private static func asciiNormalize(_ text: String) -> String? {
        var text = text
        guard let lowered = text.withUTF8({ bytes -> [UInt8]? in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            return bytes.map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }
        }) else { return nil }
        let kept = PythonText.removeBracketed(lowered) { UInt32($0) }
        return String(unsafeUninitializedCapacity: kept.count) { output in
            var count = 0
            for byte in kept {
                let scalar = Unicode.Scalar(byte)
                if scalar.isPythonWhitespace || scalar.isMarkSymbolOrPunctuation {
                    if count == 0 || output[count - 1] != 0x20 { output[count] = 0x20; count += 1 }
                } else {
                    output[count] = byte
                    count += 1
                }
            }
            return count
        }
    }
}

/// openai-whisper's `EnglishTextNormalizer`, code point for code point, as the Open ASR
/// Leaderboard scores English: lower-case; words between brackets and parentheses and the
/// fillers hmm, mm, mhm, mmm, uh, um removed; contractions expanded (won't → will not, 's →
/// is, …) and titles spelled out (mr → mister, dr → doctor, …); diacritics removed (NFKD,
/// plus œ → oe, ß → ss, ł → l, …) and other symbols made spaces; spelled-out numbers turned
/// into digits with currencies, percentages, ordinals and decimals (`EnglishNumberNormalizer`);
/// British spellings made American (whisper's `english.json`, 1,739 words).
///
/// Like whisper's, the result may start or end with a space.
public struct WhisperEnglishNormalizer: TextNormalizer {
    /// Creates the normaliser.
    public init() {}

    /// `whisper-english`.
    public var name: String { "whisper-english" }

    /// - Parameter text: The text as given.
    /// - Returns: `EnglishTextNormalizer()(text)`.
    public func normalize(_ text: String) -> String {
        WhisperEnglishASCII.normalize(text) ?? Self.unicodeNormalize(text)
    }

    /// The steps on code points, for any text (``WhisperEnglishASCII`` does them on bytes for
    /// most ASCII text).
    static func unicodeNormalize(_ text: String) -> String {
        var s = PythonText.removeBracketed(PythonText.lower(Array(text.unicodeScalars)))
        s = Self.removeFillers(s)
        s = PythonText.substitute(s) { s, index in  // re.sub(r"\s+'", "'", s)
            guard s[index].isPythonWhitespace else { return nil }
            var end = index + 1
            while end < s.count, s[end].isPythonWhitespace { end += 1 }
            return end < s.count && s[end] == "'" ? (["'"], end - index + 1) : nil
        }
        for replacer in Self.replacersThatMatch(s) { s = replacer.apply(s) }
        s = PythonText.substitute(s) { s, index in  // re.sub(r"(\d),(\d)", r"\1\2", s)
            guard index + 2 < s.count, s[index + 1] == ",", s[index].isPythonDecimal, s[index + 2].isPythonDecimal
            else { return nil }
            return ([s[index], s[index + 2]], 3)
        }
        s = PythonText.substitute(s) { s, index in  // re.sub(r"\.([^0-9]|$)", r" \1", s)
            guard s[index] == "." else { return nil }
            if index + 1 == s.count { return ([" "], 1) }
            return s[index + 1].isASCIIDigit ? nil : ([" ", s[index + 1]], 2)
        }
        s = Self.removeSymbolsAndDiacritics(s)
        s = EnglishNumberNormalizer.normalize(s)
        s = PythonText.join(PythonText.split(s).map { word in BritishSpellings.american(for: word) ?? Scalars(word) })
        s = PythonText.substitute(s) { s, index in  // re.sub(r"[.$¢€£]([^0-9])", r" \1", s)
            guard index + 1 < s.count, s[index].isNumericSymbol, s[index] != "%", !s[index + 1].isASCIIDigit else { return nil }
            return ([" ", s[index + 1]], 2)
        }
        s = PythonText.substitute(s) { s, index in  // re.sub(r"([^0-9])%", r"\1 ", s)
            guard index + 1 < s.count, s[index + 1] == "%", !s[index].isASCIIDigit else { return nil }
            return ([s[index], " "], 2)
        }
        return String(PythonText.collapseWhitespace(s))
    }

    /// `re.sub(r"\b(hmm|mm|mhm|mmm|uh|um)\b", "", s)`: a match is always a whole run of word
    /// characters.
    private static func removeFillers(_ s: Scalars) -> Scalars {
        PythonText.substitute(s) { s, index in
            guard s[index].isPythonWord, PythonText.isBoundary(s, at: index) else { return nil }
            var end = index + 1
            while end < s.count, s[end].isPythonWord { end += 1 }
            let word = s[index..<end]
            return fillers.contains { $0.elementsEqual(word) } ? ([], word.count) : nil
        }
    }

    private static let fillers: [Scalars] = ["hmm", "mm", "mhm", "mmm", "uh", "um"].map { Array($0.unicodeScalars) }

    /// `remove_symbols_and_diacritics(s, keep=".%$¢€£")`.
    private static func removeSymbolsAndDiacritics(_ s: Scalars) -> Scalars {
        var result = Scalars()
        result.reserveCapacity(s.count)
        for scalar in PythonText.nfkd(s) {
            if scalar.value < 0x80 {
                result.append(scalar.isMarkSymbolOrPunctuation && !scalar.isNumericSymbol ? " " : scalar)
            } else if scalar.isNumericSymbol {
                result.append(scalar)
            } else if let replacement = additionalDiacritics[scalar] {
                result.append(contentsOf: replacement.unicodeScalars)
            } else if scalar.properties.generalCategory == .nonspacingMark {
                continue
            } else {
                result.append(scalar.isMarkSymbolOrPunctuation ? " " : scalar)
            }
        }
        return result
    }

    /// Letters that NFKD does not take apart (whisper's `ADDITIONAL_DIACRITICS`).
    private static let additionalDiacritics: [Unicode.Scalar: String] = [
        "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "ß": "ss", "ẞ": "SS",
        "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "th", "ł": "l", "Ł": "L",
    ]

    /// The replacers that match somewhere in `s`, in whisper's order, found in one scan. Applying
    /// only these is exact: no replacement's output contains another replacer's pattern, and
    /// replacements keep the word boundaries around them, so a replacer that does not match the
    /// text before the replacements does not match it after them either.
    private static func replacersThatMatch(_ s: Scalars) -> [Replacer] {
        var matched: UInt64 = 0  // bit i: replacers[i] matches
        for index in s.indices where s[index].value < 0x80 {
            var candidates = replacersByFirst[Int(s[index].value)] & ~matched
            while candidates != 0 {
                let candidate = candidates.trailingZeroBitCount
                candidates &= candidates - 1
                if replacers[candidate].matches(s, at: index) { matched |= 1 << candidate }
            }
        }
        guard matched != 0 else { return [] }
        return replacers.indices.filter { matched & 1 << $0 != 0 }.map { replacers[$0] }
    }

    /// For each ASCII value, the replacers whose pattern starts with it (bit i: `replacers[i]`;
    /// there are fewer than 64).
    private static let replacersByFirst: [UInt64] = (0..<128).map { first in
        replacers.indices.reduce(0) { mask, index in
            replacers[index].pattern[0].value == first ? mask | 1 << index : mask
        }
    }

    /// One of whisper's `replacers`: a literal with `\b` after it, and before it when
    /// `leadingBoundary`.
    struct Replacer {
        var pattern: Scalars
        var replacement: Scalars
        var leadingBoundary: Bool

        init(_ pattern: String, _ replacement: String) {
            leadingBoundary = pattern.hasPrefix(#"\b"#)
            self.pattern = Array((leadingBoundary ? String(pattern.dropFirst(2)) : pattern).dropLast(2).unicodeScalars)
            self.replacement = Array(replacement.unicodeScalars)
        }

        func matches(_ s: Scalars, at index: Int) -> Bool {
            s[index] == pattern[0] && PythonText.hasLiteral(s, pattern, at: index)
                && (!leadingBoundary || PythonText.isBoundary(s, at: index))
                && PythonText.isBoundary(s, at: index + pattern.count)
        }

        func apply(_ s: Scalars) -> Scalars {
            PythonText.substitute(s) { s, index in matches(s, at: index) ? (replacement, pattern.count) : nil }
        }
    }

    static let replacers: [Replacer] = [
        // common contractions
        Replacer(#"\bwon't\b"#, "will not"), Replacer(#"\bcan't\b"#, "can not"), Replacer(#"\blet's\b"#, "let us"),
        Replacer(#"\bain't\b"#, "aint"), Replacer(#"\by'all\b"#, "you all"), Replacer(#"\bwanna\b"#, "want to"),
        Replacer(#"\bgotta\b"#, "got to"), Replacer(#"\bgonna\b"#, "going to"), Replacer(#"\bi'ma\b"#, "i am going to"),
        Replacer(#"\bimma\b"#, "i am going to"), Replacer(#"\bwoulda\b"#, "would have"),
        Replacer(#"\bcoulda\b"#, "could have"), Replacer(#"\bshoulda\b"#, "should have"), Replacer(#"\bma'am\b"#, "madam"),
        // contractions in titles/prefixes
        Replacer(#"\bmr\b"#, "mister "), Replacer(#"\bmrs\b"#, "missus "), Replacer(#"\bst\b"#, "saint "),
        Replacer(#"\bdr\b"#, "doctor "), Replacer(#"\bprof\b"#, "professor "), Replacer(#"\bcapt\b"#, "captain "),
        Replacer(#"\bgov\b"#, "governor "), Replacer(#"\bald\b"#, "alderman "), Replacer(#"\bgen\b"#, "general "),
        Replacer(#"\bsen\b"#, "senator "), Replacer(#"\brep\b"#, "representative "), Replacer(#"\bpres\b"#, "president "),
        Replacer(#"\brev\b"#, "reverend "), Replacer(#"\bhon\b"#, "honorable "), Replacer(#"\basst\b"#, "assistant "),
        Replacer(#"\bassoc\b"#, "associate "), Replacer(#"\blt\b"#, "lieutenant "), Replacer(#"\bcol\b"#, "colonel "),
        Replacer(#"\bjr\b"#, "junior "), Replacer(#"\bsr\b"#, "senior "), Replacer(#"\besq\b"#, "esquire "),
        // perfect tenses
        Replacer(#"'d been\b"#, " had been"), Replacer(#"'s been\b"#, " has been"), Replacer(#"'d gone\b"#, " had gone"),
        Replacer(#"'s gone\b"#, " has gone"), Replacer(#"'d done\b"#, " had done"), Replacer(#"'s got\b"#, " has got"),
        // general contractions
        Replacer(#"n't\b"#, " not"), Replacer(#"'re\b"#, " are"), Replacer(#"'s\b"#, " is"), Replacer(#"'d\b"#, " would"),
        Replacer(#"'ll\b"#, " will"), Replacer(#"'t\b"#, " not"), Replacer(#"'ve\b"#, " have"), Replacer(#"'m\b"#, " am"),
    ]
}

extension Unicode.Scalar {
    /// Whisper's `unicodedata.category(c)[0] in "MSP"`.
    var isMarkSymbolOrPunctuation: Bool {
        if value < 0x80 {  // ASCII: every printable character but letters and digits
            return value > 0x20 && value < 0x7F && !isASCIIDigit && !(0x41...0x5A).contains(value)
                && !isASCIILowercase
        }
        switch properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol,
            .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
            .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// The symbols whisper's English normaliser keeps for numbers: `.%$¢€£`.
    var isNumericSymbol: Bool {
        switch self {
        case ".", "%", "$", "¢", "€", "£": return true
        default: return false
        }
    }
}
