/// What a reference and a hypothesis are cut into before they are aligned.
public enum ScoringUnit: String, Hashable, Sendable, Codable, CaseIterable {
    /// Words, as jiwer's `process_words`: with no normaliser given, runs of two or more white
    /// space characters become one space, the ends are stripped (jiwer's `wer_default`), and
    /// the text is split on the space character. A single tab between two letters therefore
    /// stays *inside* a word, exactly as in jiwer.
    case word
    /// Unicode code points, as jiwer's `process_characters` (Python's `list(str)`): with no
    /// normaliser given only the ends are stripped (jiwer's `cer_default`), so spaces inside
    /// the text count as characters.
    case character
    /// Unicode code points with every white space character dropped — the usual character
    /// error rate for Chinese, Cantonese and Japanese, where spaces carry no meaning.
    case characterIgnoringWhitespace
    /// Mixed CJK and Latin text: split on white space, then every CJK code point (Han, kana,
    /// Hangul, CJK punctuation, full-width forms) is a token of its own and every run of other
    /// characters is one word — the usual "mixed error rate" for code-switched speech.
    case mixed

    /// Whether the alignment view separates tokens with spaces (jiwer does for words, not for
    /// characters).
    var separatesTokens: Bool { self == .word || self == .mixed }
}

/// A token found by the tokeniser: a byte range of the text, plus the code point itself when
/// the token is exactly one code point compared by value (character units).
struct TokenSpan {
    var start: Int32
    var end: Int32
    /// The code point when the token is exactly one code point (looked up without hashing);
    /// -1 for a token whose bytes are hashed.
    var scalar: Int32
}

/// Receives the tokens the tokeniser finds, in order.
protocol TokenSink {
    /// A token: bytes `start..<end` of the text; `scalar` is its code point when the token is
    /// exactly one code point, or -1.
    mutating func token(start: Int, end: Int, scalar: Int32)
}

/// Keeps the tokens as spans.
struct SpanList: TokenSink {
    var spans: [TokenSpan] = []
    @inline(__always)
    mutating func token(start: Int, end: Int, scalar: Int32) {
        spans.append(TokenSpan(start: Int32(start), end: Int32(end), scalar: scalar))
    }
}

/// Cuts UTF-8 text into tokens without building any `String`.
enum Tokenizer {
    /// - Parameters:
    ///   - bytes: The text's UTF-8 storage.
    ///   - unit: What to cut into.
    ///   - jiwerDefaults: Apply jiwer's default normalisation for the unit (`wer_default` or
    ///     `cer_default`) while cutting; otherwise words are split on each space only and
    ///     characters are taken as they are.
    ///   - spans: Receives the tokens.
    @inline(__always)
    static func tokenize<Sink: TokenSink>(
        _ bytes: UnsafeBufferPointer<UInt8>, unit: ScoringUnit, jiwerDefaults: Bool, into spans: inout Sink
    ) {
        switch unit {
        case .word:
            if jiwerDefaults { defaultWords(bytes, into: &spans) } else { spaceSeparatedWords(bytes, into: &spans) }
        case .character:
            characters(bytes, stripEnds: jiwerDefaults, into: &spans)
        case .characterIgnoringWhitespace:
            nonWhitespaceCharacters(bytes, into: &spans)
        case .mixed:
            mixedWords(bytes, into: &spans)
        }
    }

    /// jiwer's `RemoveMultipleSpaces` (`\s\s+` → space), `Strip`, then split on `" "`: a white
    /// space run separates words when it is two or more characters long, is a single space, or
    /// touches either end; a single other white space character stays inside the word.
    private static func defaultWords<Sink: TokenSink>(_ bytes: UnsafeBufferPointer<UInt8>, into spans: inout Sink) {
        let count = bytes.count
        var index = 0
        var tokenStart = -1
        let base = bytes.baseAddress.unsafelyUnwrapped
        while index < count {
            // Fast path: printable ASCII (0x21–0x7E) is never white space.
            if base[index] &- 0x21 < 0x5E {
                if tokenStart < 0 { tokenStart = index }
                index += 1
                while index < count, base[index] &- 0x21 < 0x5E { index += 1 }
                continue
            }
            let (first, length) = decodeUTF8(bytes, at: index)
            guard first.isPythonWhitespace else {
                if tokenStart < 0 { tokenStart = index }
                index += length
                continue
            }
            let runStart = index
            var runLength = 1
            index += length
            while index < count {
                let (next, nextLength) = decodeUTF8(bytes, at: index)
                guard next.isPythonWhitespace else { break }
                runLength += 1
                index += nextLength
            }
            let separates = runLength >= 2 || first == 0x20 || tokenStart < 0 || index == count
            if separates, tokenStart >= 0 {
                spans.token(start: tokenStart, end: runStart, scalar: -1)
                tokenStart = -1
            }
        }
        if tokenStart >= 0 { spans.token(start: tokenStart, end: count, scalar: -1) }
    }

    /// Python's `s.split(" ")` with empty pieces dropped.
    private static func spaceSeparatedWords<Sink: TokenSink>(_ bytes: UnsafeBufferPointer<UInt8>, into spans: inout Sink) {
        var tokenStart = -1
        for index in 0..<bytes.count {
            if bytes[index] == 0x20 {
                if tokenStart >= 0 { spans.token(start: tokenStart, end: index, scalar: -1) }
                tokenStart = -1
            } else if tokenStart < 0 {
                tokenStart = index
            }
        }
        if tokenStart >= 0 { spans.token(start: tokenStart, end: bytes.count, scalar: -1) }
    }

    /// Python's `list(s)` (after `s.strip()` when `stripEnds`).
    private static func characters<Sink: TokenSink>(
        _ bytes: UnsafeBufferPointer<UInt8>, stripEnds: Bool, into spans: inout Sink
    ) {
        var index = 0, end = bytes.count
        if stripEnds {
            while index < end {
                let (value, length) = decodeUTF8(bytes, at: index)
                guard value.isPythonWhitespace else { break }
                index += length
            }
            while end > index {
                var start = end - 1
                while bytes[start] & 0xC0 == 0x80 { start -= 1 }  // back to the scalar's first byte
                guard decodeUTF8(bytes, at: start).value.isPythonWhitespace else { break }
                end = start
            }
        }
        while index < end {
            let (value, length) = decodeUTF8(bytes, at: index)
            spans.token(start: index, end: index + length, scalar: Int32(value))
            index += length
        }
    }

    private static func nonWhitespaceCharacters<Sink: TokenSink>(_ bytes: UnsafeBufferPointer<UInt8>, into spans: inout Sink) {
        var index = 0
        while index < bytes.count {
            let (value, length) = decodeUTF8(bytes, at: index)
            if !value.isPythonWhitespace {
                spans.token(start: index, end: index + length, scalar: Int32(value))
            }
            index += length
        }
    }

    private static func mixedWords<Sink: TokenSink>(_ bytes: UnsafeBufferPointer<UInt8>, into spans: inout Sink) {
        var index = 0
        var tokenStart = -1
        while index < bytes.count {
            let (value, length) = decodeUTF8(bytes, at: index)
            if value.isPythonWhitespace || value.isCJK {
                if tokenStart >= 0 { spans.token(start: tokenStart, end: index, scalar: -1) }
                tokenStart = -1
                if value.isCJK {
                    spans.token(start: index, end: index + length, scalar: Int32(value))
                }
            } else if tokenStart < 0 {
                tokenStart = index
            }
            index += length
        }
        if tokenStart >= 0 { spans.token(start: tokenStart, end: bytes.count, scalar: -1) }
    }
}
