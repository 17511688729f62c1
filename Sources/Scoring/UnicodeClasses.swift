// Character classes the tokenisers need, written out so they match Python (and therefore
// jiwer) exactly rather than whatever the platform's Unicode tables say.

extension Unicode.Scalar {
    /// Whether Python's `str.isspace()` (and so jiwer's `\s` and `str.strip()`) treats the
    /// scalar as white space: bidirectional class WS, B or S, or general category Zs.
    ///
    /// U+200B ZERO WIDTH SPACE is *not* white space for Python, so it is not here either.
    @inline(__always)
    var isPythonWhitespace: Bool { value.isPythonWhitespace }

    /// Whether the scalar is written without spaces between words (Han, kana, Hangul, CJK
    /// punctuation and full-width forms), so mixed tokenisation makes it a token of its own.
    var isCJK: Bool { value.isCJK }
}

extension UInt32 {
    @inline(__always)
    var isPythonWhitespace: Bool {
        if self < 0x80 { return (0x09...0x0D).contains(self) || (0x1C...0x20).contains(self) }
        switch self {
        case 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    @inline(__always)
    var isCJK: Bool {
        switch self {
        case 0x2E80...0x2FDF,  // CJK and Kangxi radicals
            0x3001...0x30FF,  // CJK symbols and punctuation (not U+3000, a space), kana
            0x3100...0x312F, 0x31A0...0x31FF,  // Bopomofo, katakana extensions
            0x3400...0x4DBF, 0x4E00...0x9FFF,  // Han
            0xAC00...0xD7AF,  // Hangul syllables
            0xF900...0xFAFF, 0xFE30...0xFE4F,  // compatibility ideographs and forms
            0xFF00...0xFFEF,  // half-width and full-width forms
            0x20000...0x3134F:  // Han extensions B–G
            return true
        default:
            return false
        }
    }
}

/// Decodes the scalar that starts at byte `index` of valid UTF-8 (a Swift string's storage,
/// which is always valid and never ends inside a scalar, so no byte past the end is read).
/// - Returns: The scalar value and its length in bytes.
@inline(__always)
func decodeUTF8(_ buffer: UnsafeBufferPointer<UInt8>, at index: Int) -> (value: UInt32, length: Int) {
    let bytes = buffer.baseAddress.unsafelyUnwrapped
    let b0 = UInt32(bytes[index])
    if b0 < 0x80 { return (b0, 1) }
    if b0 < 0xE0 { return ((b0 & 0x1F) << 6 | UInt32(bytes[index + 1] & 0x3F), 2) }
    if b0 < 0xF0 {
        return ((b0 & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6 | UInt32(bytes[index + 2] & 0x3F), 3)
    }
    return (
        (b0 & 0x07) << 18 | UInt32(bytes[index + 1] & 0x3F) << 12 | UInt32(bytes[index + 2] & 0x3F) << 6
            | UInt32(bytes[index + 3] & 0x3F), 4
    )
}

extension Unicode.Scalar {
    /// Python `re`'s `\w` on `str` patterns: `str.isalnum()` (letters L*, and every code point
    /// with a numeric value) or `_`. Combining marks are *not* word characters, unlike PCRE.
    @inline(__always)
    var isPythonWord: Bool {
        if value < 0x80 {
            return (0x61...0x7A).contains(value) || (0x41...0x5A).contains(value) || (0x30...0x39).contains(value)
                || value == 0x5F
        }
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return properties.numericType != nil
        }
    }

    /// Python `re`'s `\d` on `str` patterns (`str.isdecimal()`): general category Nd.
    @inline(__always)
    var isPythonDecimal: Bool {
        value < 0x80 ? (0x30...0x39).contains(value) : properties.numericType == .decimal
    }

    /// The value of a decimal digit (`isPythonDecimal`), 0–9.
    var decimalDigitValue: UInt8 {
        value < 0x80 ? UInt8(value - 0x30) : UInt8(properties.numericValue ?? 0)
    }

    /// ASCII `[0-9]`.
    @inline(__always)
    var isASCIIDigit: Bool { (0x30...0x39).contains(value) }

    /// ASCII `[a-z]`.
    @inline(__always)
    var isASCIILowercase: Bool { (0x61...0x7A).contains(value) }
}
