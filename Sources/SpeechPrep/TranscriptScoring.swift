import Foundation

/// Scores a run's results: corpus WER and CER (errors summed over all utterances, as jiwer),
/// the rate in each language's usual unit, and the utterances with the most errors.
///
/// Both texts are normalised first with the normaliser given (its `TextNormalizer.name` is in
/// the report), then scored as `jiwer.wer` and `jiwer.cer` score by default — which is how the
/// Open ASR Leaderboard scores with whisper's normalisers. `wordErrorRate(reference:hypothesis:normalizer:)`
/// alone, without a normaliser, is plain `jiwer.wer`.
public enum TranscriptScoring {
    /// Lower-case, punctuation removed (as jiwer's `ToLowerCase` + `RemovePunctuation`),
    /// white space collapsed: Common Voice's "He was not an ill disposed young man." then
    /// matches a recogniser's "he was not an ill disposed young man". Its name is
    /// `lowercase-punctuation` (`StandardNormalizer.lowercasePunctuation`).
    public static let defaultNormalizer: any TextNormalizer = StandardNormalizer.lowercasePunctuation

    /// One utterance's score.
    public struct Utterance: Codable, Sendable, Hashable {
        /// The item id.
        public var id: String
        /// The normalised reference.
        public var reference: String
        /// The normalised hypothesis.
        public var hypothesis: String
        /// Its word error rate.
        public var wer: Double
        /// The unit of ``errorRate``: its language's usual one.
        public var unit: ScoringUnit
        /// Its error rate in ``unit`` (its WER, or its CER without spaces for zh/yue/ja).
        public var errorRate: Double
    }

    /// The rate over the utterances scored in one unit.
    public struct UnitScore: Codable, Sendable, Hashable {
        /// `ScoringUnit.word`, or `ScoringUnit.characterIgnoringWhitespace`
        /// for Chinese, Cantonese and Japanese.
        public var unit: ScoringUnit
        /// Utterances scored in this unit.
        public var utteranceCount: Int
        /// Reference tokens (words or characters) in them.
        public var referenceTokens: Int
        /// Errors over reference tokens, summed over them.
        public var errorRate: Double
    }

    /// A corpus score.
    public struct Report: Codable, Sendable, Hashable {
        /// The normalisation both texts went through (`TextNormalizer.name`).
        public var normalizer: String
        /// Utterances scored (those with a reference).
        public var utteranceCount: Int
        /// Words in all references.
        public var referenceWords: Int
        /// Corpus word error rate over every utterance.
        public var wer: Double
        /// Corpus character error rate over every utterance (spaces count, as `jiwer.cer`).
        public var cer: Double
        /// The rate in each unit the utterances' languages call for (see
        /// `ScoringUnit.usual(forLanguage:)`), the most used unit first.
        public var byUnit: [UnitScore]
        /// The worst utterances, highest error rate first.
        public var worst: [Utterance]
    }

    /// Scores a legacy results file (`{idx: {ID, truth, asr}}`) or a folder of the old
    /// workflow's `asr_<n>.json` chunks.
    /// - Parameters:
    ///   - resultsFile: The file or folder.
    ///   - normalizer: Applied to references and hypotheses first.
    ///   - language: The utterances' language, which picks the unit (`nil`: words).
    ///   - worstCount: How many of the worst utterances to list.
    /// - Returns: The report.
    /// - Throws: `PipelineError.Code.invalidInput` when the results cannot be read.
    public static func score(
        resultsFile: String, normalizer: any TextNormalizer = defaultNormalizer, language: String? = nil,
        worstCount: Int = 10
    ) throws(PipelineError) -> Report {
        let records = try readResults(resultsFile)
        return score(
            ids: records.map(\.id), references: records.map { $0.truth ?? "" },
            hypotheses: records.map { $0.asr ?? "" }, languages: [language], normalizer: normalizer,
            worstCount: worstCount)
    }

    /// Scores aligned lists of references and hypotheses.
    /// - Parameters:
    ///   - ids: The utterance ids (for the worst list).
    ///   - references: The reference transcripts; empty ones (after normalisation) are skipped.
    ///   - hypotheses: The recogniser's transcripts, one per reference.
    ///   - languages: Each utterance's language, which picks its unit; a single element applies
    ///     to all, an empty list means words throughout.
    ///   - normalizer: Applied to both first.
    ///   - worstCount: How many of the worst utterances to list.
    /// - Returns: The report.
    public static func score(
        ids: [String], references: [String], hypotheses: [String], languages: [String?] = [],
        normalizer: any TextNormalizer = defaultNormalizer, worstCount: Int = 10
    ) -> Report {
        var tally = Tally(normalizer: normalizer, worstCount: worstCount)
        for (offset, reference) in references.enumerated() {
            tally.add(
                id: offset < ids.count ? ids[offset] : String(offset), reference: reference,
                hypothesis: offset < hypotheses.count ? hypotheses[offset] : "",
                language: languages.count == 1 ? languages[0] : offset < languages.count ? languages[offset] : nil)
        }
        return tally.report
    }

    /// A corpus score built one utterance at a time, holding only the sums and the worst few
    /// (so a merge can score its records as it writes them, in constant memory).
    struct Tally {
        private let normalizer: any TextNormalizer
        private let worstCount: Int
        private var words = Scorer(unit: .word), characters = Scorer(unit: .character)
        private var characterUnit = Scorer(unit: .characterIgnoringWhitespace)
        private var wordTotal = ErrorCounts(), characterTotal = ErrorCounts()
        /// Per unit (at most three, so a list: no hashing per utterance).
        private var unitTotals: [(unit: ScoringUnit, count: Int, counts: ErrorCounts)] = []
        private var worst: [Utterance] = []

        init(normalizer: any TextNormalizer, worstCount: Int) {
            self.normalizer = normalizer
            self.worstCount = worstCount
        }

        /// Scores the next utterance; one whose normalised reference is empty is skipped.
        mutating func add(id: @autoclosure () -> String, reference: String, hypothesis: String, language: String?) {
            let ref = normalizer.normalize(reference)
            guard TranscriptScoring.hasText(ref) else { return }
            let hyp = normalizer.normalize(hypothesis)
            let unit = ScoringUnit.usual(forLanguage: language)
            let wordCounts = words.counts(reference: ref, hypothesis: hyp)
            wordTotal += wordCounts
            characterTotal += characters.counts(reference: ref, hypothesis: hyp)
            let unitCounts = unit == .word ? wordCounts : characterUnit.counts(reference: ref, hypothesis: hyp)
            if let k = unitTotals.firstIndex(where: { $0.unit == unit }) {
                unitTotals[k].count += 1
                unitTotals[k].counts += unitCounts
            } else {
                unitTotals.append((unit, 1, unitCounts))
            }
            // Keep only the worst few, highest rate first, earlier utterance first among equals.
            guard worstCount > 0, worst.count < worstCount || unitCounts.errorRate > worst.last!.errorRate else { return }
            let utterance = Utterance(
                id: id(), reference: ref, hypothesis: hyp, wer: wordCounts.wer, unit: unit, errorRate: unitCounts.errorRate)
            worst.insert(utterance, at: worst.firstIndex { $0.errorRate < utterance.errorRate } ?? worst.endIndex)
            if worst.count > worstCount { worst.removeLast() }
        }

        /// The score of the utterances added so far.
        var report: Report {
            let byUnit = unitTotals.map { unit, count, counts in
                UnitScore(unit: unit, utteranceCount: count, referenceTokens: counts.referenceLength, errorRate: counts.errorRate)
            }.sorted { ($0.utteranceCount, $1.unit.rawValue) > ($1.utteranceCount, $0.unit.rawValue) }
            let scored = unitTotals.reduce(0) { $0 + $1.count }
            return Report(
                normalizer: normalizer.name, utteranceCount: scored, referenceWords: wordTotal.referenceLength,
                wer: scored > 0 ? wordTotal.wer : 0, cer: scored > 0 ? characterTotal.cer : 0, byUnit: byUnit,
                worst: worst)
        }
    }

    /// Whether a text holds anything but white space.
    fileprivate static func hasText(_ text: String) -> Bool {
        text.utf8.contains { $0 != 0x20 && !(0x09...0x0D).contains($0) }
            && (text.utf8.allSatisfy { $0 < 0x80 } || text.unicodeScalars.contains { !$0.properties.isWhitespace })
    }

    static func readResults(_ path: String) throws(PipelineError) -> [TranscriptRecord] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw PipelineError(.invalidInput, subject: path, "no such results file")
        }
        if isDirectory.boolValue {
            do { return try LegacyResults.readFolder(path) } catch {
                throw PipelineError.wrapping(.invalidInput, error, subject: path)
            }
        }
        struct Row: Decodable {
            var ID: String?
            var truth: String?
            var asr: String?
        }
        guard let data = FileManager.default.contents(atPath: path),
            let rows = try? JSONDecoder().decode([String: Row].self, from: data)
        else {
            throw PipelineError(.invalidInput, subject: path, "is not a results file of the form {idx: {ID, truth, asr}}")
        }
        return rows.keys.sorted { (Int($0) ?? .max, $0) < (Int($1) ?? .max, $1) }.map { key in
            let row = rows[key]!
            return TranscriptRecord(id: row.ID ?? key, truth: row.truth, asr: row.asr, duration: nil, engine: nil, error: nil)
        }
    }
}

extension PipelineInput {
    /// The locale of a Common Voice release folder (its name: `en`, `zh-HK`, `yue`, …), which
    /// every item in it shares; `nil` for other inputs.
    public var commonVoiceLocale: String? {
        guard case .commonVoice(let path, _) = self else { return nil }
        return path.split(separator: "/").last.map(String.init)
    }
}
