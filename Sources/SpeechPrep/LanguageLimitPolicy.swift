/// How many clips to take per language, as the old workflow's "stop at 8,000 clips except
/// for Cantonese" rule — but configurable.
public struct LanguageLimitPolicy: Hashable, Sendable, Codable {
    /// The limit for languages without an override; `nil` means no limit.
    public var defaultLimit: Int?
    /// Per-language limits by language code; a `nil` value means no limit for that language.
    public var overrides: [String: Int?]

    /// Creates a policy.
    /// - Parameters:
    ///   - defaultLimit: The limit for languages without an override; `nil` for none.
    ///   - overrides: Limits for particular language codes; `nil` values lift the limit.
    public init(defaultLimit: Int?, overrides: [String: Int?] = [:]) {
        self.defaultLimit = defaultLimit
        self.overrides = overrides
    }

    /// The old workflow's rule: 8,000 clips per language, no limit for `yue` and `zh-HK`.
    public static let commonVoiceDefault = LanguageLimitPolicy(
        defaultLimit: 8_000, overrides: ["yue": nil, "zh-HK": nil])

    /// No limit for any language.
    public static let unlimited = LanguageLimitPolicy(defaultLimit: nil)

    /// The limit that applies to a language. Items without a language (a folder of files, a
    /// manifest without a language field) are not limited by the policy.
    /// - Parameter language: A language code, or `nil` when the item has none.
    /// - Returns: The number of clips to take, or `nil` for no limit.
    public func limit(for language: String?) -> Int? {
        guard let language else { return nil }
        if let override = overrides[language] { return override }
        return defaultLimit
    }

    /// One `--language-limit` value: a limit for one language, or the default for every language.
    public struct Rule: Hashable, Sendable {
        /// The language code, or `nil` for the default limit.
        public var language: String?
        /// The number of clips, or `nil` for no limit.
        public var limit: Int?

        /// Creates a rule.
        /// - Parameters:
        ///   - language: The language code, or `nil` for the default limit.
        ///   - limit: The number of clips, or `nil` for no limit.
        public init(language: String?, limit: Int?) {
            self.language = language
            self.limit = limit
        }

        /// Parses `N`, `none`, `LANG=N` or `LANG=none`, as given to `--language-limit`.
        /// - Parameter text: The rule.
        /// - Throws: `PipelineError.Code.invalidConfiguration` when the text is none of those.
        public init(parsing text: String) throws(PipelineError) {
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            guard let value = parts.last, value == "none" || Int(value) != nil else {
                throw PipelineError(
                    .invalidConfiguration, subject: text, "expected N, none, LANG=N or LANG=none")
            }
            self.init(language: parts.count == 2 ? parts[0] : nil, limit: Int(value))
        }
    }

    /// A policy with `rules` applied in order over `base`, as repeated `--language-limit`
    /// options build it.
    /// - Parameters:
    ///   - rules: The rules; a later one for the same language wins.
    ///   - base: The policy the rules change (default: ``commonVoiceDefault``).
    public init(_ rules: [Rule], base: LanguageLimitPolicy = .commonVoiceDefault) {
        self = base
        for rule in rules {
            if let language = rule.language { overrides[language] = .some(rule.limit) } else { defaultLimit = rule.limit }
        }
    }

    /// A stable one-line description, recorded in the checkpoint configuration.
    var summary: String {
        let parts = overrides.keys.sorted().map { "\($0)=\(overrides[$0]!.map(String.init) ?? "none")" }
        return ([defaultLimit.map(String.init) ?? "none"] + parts).joined(separator: ",")
    }
}
