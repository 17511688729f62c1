/// The normalisations a run or a score can name (`--normalizer` on the command line), each a
/// ``TextNormalizer`` whose ``name`` is recorded with the results.
///
/// - `whisper-english`: ``WhisperEnglishNormalizer`` (what the Open ASR Leaderboard uses for English);
/// - `whisper-basic`: ``WhisperBasicNormalizer`` (its choice for other languages);
/// - `lowercase-punctuation`: lower-case (``LowercaseNormalizer``), punctuation removed
///   (``PunctuationRemover``), white space collapsed (``WhitespaceCollapser``) — the default;
/// - `jiwer-default`: only what `jiwer.wer` and `jiwer.cer` do by themselves — strip the ends
///   (``JiwerCharacterDefaultNormalizer``); scored with the scorer's default handling, the rates
///   are exactly `jiwer.wer(reference, hypothesis)` and `jiwer.cer(reference, hypothesis)`.
///
/// Scoring normalises both texts with one of these and then scores them as jiwer does by
/// default (``Scorer`` with no normaliser), which is how the leaderboard scores too.
public enum StandardNormalizer: String, CaseIterable, Sendable, TextNormalizer {
    /// openai-whisper's `EnglishTextNormalizer` (``WhisperEnglishNormalizer``).
    case whisperEnglish = "whisper-english"
    /// openai-whisper's `BasicTextNormalizer` (``WhisperBasicNormalizer``).
    case whisperBasic = "whisper-basic"
    /// Lower-case, punctuation removed, white space collapsed (the default).
    case lowercasePunctuation = "lowercase-punctuation"
    /// Only jiwer's own defaults: the ends stripped.
    case jiwerDefault = "jiwer-default"

    /// The command-line name, such as `whisper-english`.
    public var name: String { rawValue }

    /// - Parameter text: The text as given.
    /// - Returns: The text in the named normalisation.
    public func normalize(_ text: String) -> String {
        switch self {
        case .whisperEnglish: WhisperEnglishNormalizer().normalize(text)
        case .whisperBasic: WhisperBasicNormalizer().normalize(text)
        case .lowercasePunctuation: Self.asciiLowercasePunctuation(text) ?? Self.lowercasePunctuationSteps.normalize(text)
        case .jiwerDefault: JiwerCharacterDefaultNormalizer().normalize(text)
        }
    }

    private static let lowercasePunctuationSteps = ComposedNormalizer([
        LowercaseNormalizer(), PunctuationRemover(), WhitespaceCollapser(),
    ])

    /// The three steps of `lowercase-punctuation` in one pass over an all-ASCII text (`nil`
    /// for any other text): the same result without three intermediate strings.
    private static func asciiLowercasePunctuation(_ text: String) -> String? {
        var text = text
        return text.withUTF8 { bytes -> String? in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            return String(unsafeUninitializedCapacity: bytes.count) { output in
                var count = 0, pendingSpace = false
                for byte in bytes {
                    if Unicode.Scalar(byte).isPythonWhitespace {
                        pendingSpace = count > 0
                    } else if !Unicode.Scalar(byte).isPunctuation {
                        if pendingSpace { output[count] = 0x20; count += 1; pendingSpace = false }
                        output[count] = (0x41...0x5A).contains(byte) ? byte + 0x20 : byte
                        count += 1
                    }
                }
                return count
            }
        }
    }
}

extension ScoringUnit {
    /// The unit errors are usually counted in for a language: characters, white space
    /// ignored, for Chinese, Cantonese and Japanese (which are written without spaces between
    /// words), words for every other language.
    /// - Parameter language: A language code or Common Voice locale (`en`, `zh-CN`, `zh-HK`,
    ///   `yue`, `ja`, …), or `nil` when unknown.
    /// - Returns: ``characterIgnoringWhitespace`` for `zh`, `zh-*`, `yue`, `yue-*`, `ja`,
    ///   `ja-*`, `cmn`, `wuu`, `nan` (any case, `_` or `-`), otherwise ``word``.
    public static func usual(forLanguage language: String?) -> ScoringUnit {
        guard let language else { return .word }
        let primary = language.lowercased().split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map(String.init) ?? ""
        return ["zh", "yue", "ja", "cmn", "wuu", "nan"].contains(primary) ? .characterIgnoringWhitespace : .word
    }
}
