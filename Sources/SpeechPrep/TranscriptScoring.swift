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
                language: languages.count == 1 ? languages[0] : offset < languages.count ? languages[offset] : nil,
                order: offset)
        }
        return tally.report
    }

    /// A corpus score built one utterance at a time, holding only the sums and the worst few
    /// (so a merge can score its records as it writes them, in constant memory). A shard keeps
    /// one for its part and stores its ``State`` in the done marker; the merge adds the states
    /// (``add(_:)``) instead of scoring every record again.
    struct Tally {
        /// The sums and the worst few: all a tally holds besides its tools, in the form a done
        /// marker stores it.
        struct State: Codable, Sendable, Hashable {
            /// The normaliser's `TextNormalizer.name`.
            var normalizer: String
            /// How many of the worst utterances are kept.
            var worstCount: Int
            /// Utterances offered (``add(id:reference:hypothesis:language:order:)`` calls),
            /// scored or skipped for an empty reference.
            var offered = 0
            /// Word and character counts summed over the scored utterances.
            var words = ErrorCounts(), characters = ErrorCounts()
            /// Per unit (at most three, so a list: no hashing per utterance).
            var units: [UnitCounts] = []
            /// The worst `worstCount`, highest rate first, lowest order key first among equals.
            var worst: [Ranked] = []
        }

        /// The counts of the utterances scored in one unit.
        struct UnitCounts: Codable, Sendable, Hashable {
            var unit: ScoringUnit
            var utteranceCount: Int
            var counts: ErrorCounts
        }

        /// A worst utterance with its order key: its input position (in a merge, or a shard of
        /// one), else its place in the utterances scored.
        struct Ranked: Codable, Sendable, Hashable {
            var order: Int
            var utterance: Utterance

            /// Whether `self` comes before `other` in the worst list.
            func precedes(_ other: Ranked) -> Bool {
                (utterance.errorRate, -order) > (other.utterance.errorRate, -other.order)
            }
        }

        private let normalizer: any TextNormalizer
        private var words = Scorer(unit: .word), characters = Scorer(unit: .character)
        private var characterUnit = Scorer(unit: .characterIgnoringWhitespace)
        private(set) var state: State

        init(normalizer: any TextNormalizer, worstCount: Int) {
            self.normalizer = normalizer
            state = State(normalizer: normalizer.name, worstCount: worstCount)
        }

        /// Scores the next utterance; one whose normalised reference is empty is skipped.
        /// - Parameter order: The utterance's order key (see ``Ranked``): increasing from one
        ///   call to the next.
        mutating func add(
            id: @autoclosure () -> String, reference: String, hypothesis: String, language: String?, order: Int
        ) {
            state.offered += 1
            let ref = normalizer.normalize(reference)
            guard TranscriptScoring.hasText(ref) else { return }
            let hyp = normalizer.normalize(hypothesis)
            let unit = ScoringUnit.usual(forLanguage: language)
            let wordCounts = words.counts(reference: ref, hypothesis: hyp)
            let unitCounts = unit == .word ? wordCounts : characterUnit.counts(reference: ref, hypothesis: hyp)
            add(UnitCounts(unit: unit, utteranceCount: 1, counts: unitCounts))
            state.words += wordCounts
            state.characters += characters.counts(reference: ref, hypothesis: hyp)
            // Keep only the worst few: a later utterance never precedes an equal one already kept.
            guard state.worstCount > 0,
                state.worst.count < state.worstCount || unitCounts.errorRate > state.worst.last!.utterance.errorRate
            else { return }
            insert(Ranked(
                order: order,
                utterance: Utterance(
                    id: id(), reference: ref, hypothesis: hyp, wer: wordCounts.wer, unit: unit,
                    errorRate: unitCounts.errorRate)))
        }

        /// Adds another tally's utterances (a shard's, from its done marker), which must come
        /// from the same normaliser and keep at least as many of the worst.
        ///
        /// The worst list stays what one pass over all the utterances keeps: order the
        /// utterances by (rate descending, order key ascending), a strict total order as the
        /// keys are distinct. If an utterance is among the first K of the union, fewer than K
        /// utterances precede it, so fewer than K of its own tally do: it is among that tally's
        /// first K (or more) it kept. So the union of the kept lists holds the union's first K,
        /// and sorting it and cutting it to K gives exactly them.
        /// - Parameter other: The other tally's state.
        mutating func add(_ other: State) {
            state.offered += other.offered
            state.words += other.words
            state.characters += other.characters
            other.units.forEach { add($0) }
            other.worst.prefix(state.worstCount).forEach { insert($0) }
        }

        private mutating func add(_ counts: UnitCounts) {
            if let k = state.units.firstIndex(where: { $0.unit == counts.unit }) {
                state.units[k].utteranceCount += counts.utteranceCount
                state.units[k].counts += counts.counts
            } else {
                state.units.append(counts)
            }
        }

        /// Puts an utterance in its place in the worst list, cut to `worstCount`.
        private mutating func insert(_ ranked: Ranked) {
            guard state.worstCount > 0 else { return }
            state.worst.insert(ranked, at: state.worst.firstIndex { ranked.precedes($0) } ?? state.worst.endIndex)
            if state.worst.count > state.worstCount { state.worst.removeLast() }
        }

        /// The score of the utterances added so far.
        var report: Report {
            let byUnit = state.units.map {
                UnitScore(
                    unit: $0.unit, utteranceCount: $0.utteranceCount, referenceTokens: $0.counts.referenceLength,
                    errorRate: $0.counts.errorRate)
            }.sorted { ($0.utteranceCount, $1.unit.rawValue) > ($1.utteranceCount, $0.unit.rawValue) }
            let scored = state.units.reduce(0) { $0 + $1.utteranceCount }
            return Report(
                normalizer: normalizer.name, utteranceCount: scored, referenceWords: state.words.referenceLength,
                wer: scored > 0 ? state.words.wer : 0, cer: scored > 0 ? state.characters.cer : 0, byUnit: byUnit,
                worst: state.worst.map(\.utterance))
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
