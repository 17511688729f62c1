/// openai-whisper's `EnglishNumberNormalizer`, ported statement for statement (its quirks
/// included: "nineth", "$1" → "$one", a dropped "point" before a non-decimal number word).
///
/// Python keeps a number either as an `int` or as a `str` of digits; so does ``Value``. Python's
/// integers are unbounded and the multipliers reach 10³³, so integers here are decimal digit
/// strings (``DecimalNatural``), which is all the arithmetic needs: add a number below 100,
/// multiply by a power of ten, take the last three digits.
enum EnglishNumberNormalizer {
    /// `EnglishNumberNormalizer()(s)`.
    static func normalize(_ s: Scalars) -> Scalars {
        // Without a digit, a number word or "and a half", every step but the re-spacing leaves
        // the text as it is.
        if !s.contains(where: \.isPythonDecimal), !PythonText.split(s).contains(where: isVocabulary),
            splitAndAHalf(s).count == 1
        {
            return PythonText.join(PythonText.split(s))
        }
        let words = PythonText.split(preprocess(s)).map { String.ascii($0) ?? String(String.UnicodeScalarView($0)) }
        return postprocess(PythonText.join(processWords(words).map { Array($0.unicodeScalars) }))
    }

    enum Value {
        case integer(DecimalNatural)
        case text(String)

        /// `str(value)`.
        var string: String {
            switch self {
            case .integer(let number): number.description
            case .text(let text): text
            }
        }

        var isText: Bool {
            if case .text = self { return true }
            return false
        }

        /// `str(value or "")`: `0` is falsy in Python.
        static func orEmpty(_ value: Value?) -> String {
            if case .integer(let number) = value, number.isZero { return "" }
            return value?.string ?? ""
        }
    }

    // MARK: - Vocabulary (EnglishNumberNormalizer.__init__)

    static let zeros: Set<String> = ["o", "oh", "zero"]
    static let onesNames = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen",
        "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    ]
    static let ones: [String: Int] = Dictionary(uniqueKeysWithValues: onesNames.enumerated().map { ($1, $0 + 1) })
    static let onesSuffixed: [String: (Int, String)] = {
        var suffixed: [String: (Int, String)] = [:]
        for (name, value) in ones { suffixed[name == "six" ? "sixes" : name + "s"] = (value, "s") }
        let ordinals: [String: (Int, String)] = [
            "zeroth": (0, "th"), "first": (1, "st"), "second": (2, "nd"), "third": (3, "rd"), "fifth": (5, "th"),
            "twelfth": (12, "th"),
        ]
        suffixed.merge(ordinals) { $1 }
        for (name, value) in ones where value > 3 && value != 5 && value != 12 {
            suffixed[name + (name.hasSuffix("t") ? "h" : "th")] = (value, "th")
        }
        return suffixed
    }()
    static let tens: [String: Int] = [
        "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    ]
    static let tensSuffixed: [String: (Int, String)] = {
        var suffixed: [String: (Int, String)] = [:]
        for (name, value) in tens {
            suffixed[name.replacing("y", with: "ies")] = (value, "s")
            suffixed[name.replacing("y", with: "ieth")] = (value, "th")
        }
        return suffixed
    }()
    /// The multipliers as powers of ten.
    static let multipliers: [String: Int] = [
        "hundred": 2, "thousand": 3, "million": 6, "billion": 9, "trillion": 12, "quadrillion": 15,
        "quintillion": 18, "sextillion": 21, "septillion": 24, "octillion": 27, "nonillion": 30, "decillion": 33,
    ]
    static let multipliersSuffixed: [String: (Int, String)] = {
        var suffixed: [String: (Int, String)] = [:]
        for (name, exponent) in multipliers {
            suffixed[name + "s"] = (exponent, "s")
            suffixed[name + "th"] = (exponent, "th")
        }
        return suffixed
    }()
    static let decimals: Set<String> = Set(ones.keys).union(tens.keys).union(zeros)
    static let precedingPrefixers: [String: String] = ["minus": "-", "negative": "-", "plus": "+", "positive": "+"]
    static let followingPrefixers: [String: String] = [
        "pound": "£", "pounds": "£", "euro": "€", "euros": "€", "dollar": "$", "dollars": "$", "cent": "¢",
        "cents": "¢",
    ]
    static let prefixes: Set<Unicode.Scalar> = ["-", "+", "£", "€", "$", "¢"]
    static let specials: Set<String> = ["and", "double", "triple", "point"]
    static let words: Set<String> = zeros.union(ones.keys).union(onesSuffixed.keys).union(tens.keys)
        .union(tensSuffixed.keys).union(multipliers.keys).union(multipliersSuffixed.keys)
        .union(precedingPrefixers.keys).union(followingPrefixers.keys).union(["per", "percent"]).union(specials)

    /// Whether a word is one of ``words``; only ASCII words can be.
    private static func isVocabulary(_ word: ArraySlice<Unicode.Scalar>) -> Bool {
        guard word.count <= 16, let word = String.ascii(word) else { return false }
        return words.contains(word)
    }

    /// `re.match(r"^\d+(\.\d+)?$", s)`, with Python's Unicode `\d`.
    static func isArabicNumber(_ word: String) -> Bool {
        var scalars = word.unicodeScalars[...]
        let integerDigits = scalars.prefix(while: \.isPythonDecimal).count
        guard integerDigits > 0 else { return false }
        scalars = scalars.dropFirst(integerDigits)
        if scalars.isEmpty { return true }
        guard scalars.first == "." else { return false }
        scalars = scalars.dropFirst()
        return !scalars.isEmpty && scalars.allSatisfy(\.isPythonDecimal)
    }

    // MARK: - preprocess and postprocess

    /// Replaces "<number> and a half" with "<number> point five", puts a space between letters
    /// and digits, and joins ordinal and plural suffixes back onto digits.
    static func preprocess(_ s: Scalars) -> Scalars {
        let segments = splitAndAHalf(s)
        var results: [Scalars] = []
        for (index, segment) in segments.enumerated() where !PythonText.split(segment).isEmpty {
            results.append(segment)
            guard index < segments.count - 1 else { continue }
            let lastWord = String(String.UnicodeScalarView(PythonText.split(segment).last!))
            results.append(Array((decimals.contains(lastWord) || multipliers[lastWord] != nil ? "point five" : "and a half").unicodeScalars))
        }
        var joined = PythonText.join(results)
        joined = PythonText.substitute(joined) { s, index in  // ([a-z])([0-9]) -> \1 \2
            guard index + 1 < s.count, s[index].isASCIILowercase, s[index + 1].isASCIIDigit else { return nil }
            return ([s[index], " ", s[index + 1]], 2)
        }
        joined = PythonText.substitute(joined) { s, index in  // ([0-9])([a-z]) -> \1 \2
            guard index + 1 < s.count, s[index].isASCIIDigit, s[index + 1].isASCIILowercase else { return nil }
            return ([s[index], " ", s[index + 1]], 2)
        }
        return PythonText.substitute(joined) { s, index in  // ([0-9])\s+(st|nd|rd|th|s)\b -> \1\2
            guard s[index].isASCIIDigit, index + 1 < s.count, s[index + 1].isPythonWhitespace else { return nil }
            var start = index + 1
            while start < s.count, s[start].isPythonWhitespace { start += 1 }
            for suffix in ordinalSuffixes where PythonText.hasLiteral(s, suffix, at: start) {
                if PythonText.isBoundary(s, at: start + suffix.count) {
                    return ([s[index]] + suffix, start + suffix.count - index)
                }
            }
            return nil
        }
    }

    private static let ordinalSuffixes: [Scalars] = ["st", "nd", "rd", "th", "s"].map { Array($0.unicodeScalars) }
    private static let andAHalf: [Scalars] = ["and", "a", "half"].map { Array($0.unicodeScalars) }

    /// `re.split(r"\band\s+a\s+half\b", s)`.
    private static func splitAndAHalf(_ s: Scalars) -> [Scalars] {
        var segments: [Scalars] = []
        var segmentStart = 0
        var index = 0
        while index < s.count {
            if let end = matchAndAHalf(s, at: index) {
                segments.append(Array(s[segmentStart..<index]))
                segmentStart = end
                index = end
            } else {
                index += 1
            }
        }
        segments.append(Array(s[segmentStart...]))
        return segments
    }

    private static func matchAndAHalf(_ s: Scalars, at start: Int) -> Int? {
        guard s[start] == "a", PythonText.isBoundary(s, at: start) else { return nil }
        var index = start
        for (offset, word) in andAHalf.enumerated() {
            if offset > 0 {
                let spaceStart = index
                while index < s.count, s[index].isPythonWhitespace { index += 1 }
                guard index > spaceStart else { return nil }
            }
            guard PythonText.hasLiteral(s, word, at: index) else { return nil }
            index += word.count
        }
        return PythonText.isBoundary(s, at: index) ? index : nil
    }

    /// Currency clean-up ("$2 and ¢7" → "$2.07", "$0.07" → "¢7") and "1(s)" → "one(s)".
    static func postprocess(_ s: Scalars) -> Scalars {
        var s = PythonText.substitute(s) { s, index in  // ([€£$])([0-9]+) (?:and )?¢([0-9]{1,2})\b
            guard s[index].isCurrency else { return nil }
            var position = index + 1
            while position < s.count, s[position].isASCIIDigit { position += 1 }
            guard position > index + 1, position < s.count, s[position] == " " else { return nil }
            let integer = s[(index + 1)..<position]
            position += 1
            if PythonText.hasLiteral(s, andSpace, at: position) { position += andSpace.count }
            guard position < s.count, s[position] == "¢", let cents = centDigits(s, at: position + 1) else { return nil }
            let padded = cents.count == 1 ? ["0"] + cents : Scalars(cents)
            return ([s[index]] + integer + ["."] + padded, cents.endIndex - index)
        }
        s = PythonText.substitute(s) { s, index in  // [€£$]0.([0-9]{1,2})\b
            guard s[index].isCurrency, index + 2 < s.count, s[index + 1] == "0", s[index + 2] != "\n",
                let cents = centDigits(s, at: index + 3)
            else { return nil }
            let value = cents.reduce(0) { $0 * 10 + Int($1.value - 0x30) }
            return (["¢"] + Array(String(value).unicodeScalars), cents.endIndex - index)
        }
        return PythonText.substitute(s) { s, index in  // \b1(s?)\b
            guard s[index] == "1", PythonText.isBoundary(s, at: index) else { return nil }
            if index + 1 < s.count, s[index + 1] == "s", PythonText.isBoundary(s, at: index + 2) {
                return (Array("ones".unicodeScalars), 2)
            }
            return PythonText.isBoundary(s, at: index + 1) ? (Array("one".unicodeScalars), 1) : nil
        }
    }

    private static let andSpace = Array("and ".unicodeScalars)

    /// `([0-9]{1,2})\b` at `start`.
    private static func centDigits(_ s: Scalars, at start: Int) -> ArraySlice<Unicode.Scalar>? {
        var end = start
        while end < s.count, end - start < 2, s[end].isASCIIDigit { end += 1 }
        guard end > start, PythonText.isBoundary(s, at: end) else { return nil }
        return s[start..<end]
    }
}

extension Unicode.Scalar {
    fileprivate var isCurrency: Bool { self == "€" || self == "£" || self == "$" }
}

/// A natural number as decimal digits, most significant first, without leading zeros (zero
/// has none) — Python's unbounded `int` for the few operations the number normaliser does.
struct DecimalNatural: Equatable {
    private(set) var digits: [UInt8]

    init<Digits: Collection<UInt8>>(digits: Digits) {
        self.digits = Array(digits.drop { $0 == 0 })
    }

    init(_ value: Int) {
        self.init(digits: String(value).utf8.map { $0 - 0x30 })
    }

    static func powerOfTen(_ exponent: Int) -> DecimalNatural {
        DecimalNatural(digits: [1] + [UInt8](repeating: 0, count: exponent))
    }

    var isZero: Bool { digits.isEmpty }

    /// `value % 10**k == 0`.
    func isMultiple(ofPowerOfTen exponent: Int) -> Bool {
        isZero || (digits.count > exponent && digits.suffix(exponent).allSatisfy { $0 == 0 })
    }

    static func + (lhs: DecimalNatural, rhs: DecimalNatural) -> DecimalNatural {
        var sum: [UInt8] = []
        var carry: UInt8 = 0
        var left = lhs.digits.reversed().makeIterator(), right = rhs.digits.reversed().makeIterator()
        while true {
            let a = left.next(), b = right.next()
            if a == nil && b == nil && carry == 0 { break }
            let total = (a ?? 0) + (b ?? 0) + carry
            sum.append(total % 10)
            carry = total / 10
        }
        return DecimalNatural(digits: sum.reversed())
    }

    /// `value // 1000 * 1000 + value % 1000 * 10**exponent`.
    func timesThousandResidual(_ exponent: Int) -> DecimalNatural {
        let split = Swift.max(digits.count - 3, 0)
        let before = DecimalNatural(digits: digits[..<split] + [UInt8](repeating: 0, count: digits.count - split))
        let residual = DecimalNatural(digits: digits[split...])
        guard !residual.isZero else { return before }
        return before + DecimalNatural(digits: residual.digits + [UInt8](repeating: 0, count: exponent))
    }

    /// `str(value)`.
    var description: String {
        isZero ? "0" : String(decoding: digits.map { $0 + 0x30 }, as: UTF8.self)
    }
}

/// What Python 3.11's `Fraction(s)` accepts among the strings the number normaliser builds:
/// `\d*(\.\d*)?` that starts with a digit or with `.` and a digit (so `"1."` is 1 and `"."` is
/// an error), with Unicode decimal digits.
struct DecimalFraction {
    var integerDigits: [UInt8]
    var fractionDigits: [UInt8]

    init?(_ text: String) {
        var scalars = text.unicodeScalars[...]
        integerDigits = scalars.prefix(while: \.isPythonDecimal).map(\.decimalDigitValue)
        scalars = scalars.dropFirst(integerDigits.count)
        fractionDigits = []
        if scalars.first == "." {
            scalars = scalars.dropFirst()
            fractionDigits = scalars.prefix(while: \.isPythonDecimal).map(\.decimalDigitValue)
            scalars = scalars.dropFirst(fractionDigits.count)
        }
        guard scalars.isEmpty, !integerDigits.isEmpty || !fractionDigits.isEmpty else { return nil }
    }

    /// The value when it is a whole number (`denominator == 1`).
    var integer: DecimalNatural? { timesPowerOfTen(0) }

    /// `self * 10**exponent` when that is a whole number.
    func timesPowerOfTen(_ exponent: Int) -> DecimalNatural? {
        var fraction = fractionDigits
        while fraction.last == 0 { fraction.removeLast() }
        guard fraction.count <= exponent else { return nil }
        return DecimalNatural(digits: integerDigits + fraction + [UInt8](repeating: 0, count: exponent - fraction.count))
    }
}
