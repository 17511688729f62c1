import Foundation

/// Scores a run's results: corpus WER and CER (errors summed over all utterances, as jiwer)
/// and the utterances with the most errors.
public enum TranscriptScoring {
    /// Lower-case, punctuation removed (as jiwer's `ToLowerCase` + `RemovePunctuation`),
    /// white space collapsed: Common Voice's "He was not an ill disposed young man." then
    /// matches a recogniser's "he was not an ill disposed young man". Its name is recorded in
    /// the checkpoint configuration as `lowercase-punctuation`.
    public static let defaultNormalizer: any TextNormalizer = ComposedNormalizer([
        LowercaseNormalizer(), PunctuationRemover(), WhitespaceCollapser(),
    ])

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
    }

    /// A corpus score.
    public struct Report: Codable, Sendable, Hashable {
        /// Utterances scored (those with a reference).
        public var utteranceCount: Int
        /// Words in all references.
        public var referenceWords: Int
        /// Corpus word error rate.
        public var wer: Double
        /// Corpus character error rate.
        public var cer: Double
        /// The worst utterances, highest WER first.
        public var worst: [Utterance]
    }

    /// Scores a legacy results file (`{idx: {ID, truth, asr}}`) or a folder of the old
    /// workflow's `asr_<n>.json` chunks.
    /// - Parameters:
    ///   - resultsFile: The file or folder.
    ///   - normalizer: Applied to references and hypotheses first.
    ///   - worstCount: How many of the worst utterances to list.
    /// - Returns: The report.
    /// - Throws: ``PipelineError/Code/invalidInput`` when the results cannot be read.
    public static func score(
        resultsFile: String, normalizer: any TextNormalizer = defaultNormalizer, worstCount: Int = 10
    ) throws(PipelineError) -> Report {
        let records = try readResults(resultsFile)
        return score(
            ids: records.map(\.id), references: records.map { $0.truth ?? "" },
            hypotheses: records.map { $0.asr ?? "" }, normalizer: normalizer, worstCount: worstCount)
    }

    /// Scores aligned lists of references and hypotheses.
    /// - Parameters:
    ///   - ids: The utterance ids (for the worst list).
    ///   - references: The reference transcripts; empty ones are skipped.
    ///   - hypotheses: The recogniser's transcripts, one per reference.
    ///   - normalizer: Applied to both first.
    ///   - worstCount: How many of the worst utterances to list.
    /// - Returns: The report.
    public static func score(
        ids: [String], references: [String], hypotheses: [String],
        normalizer: any TextNormalizer = defaultNormalizer, worstCount: Int = 10
    ) -> Report {
        var refs: [String] = [], hyps: [String] = [], kept: [String] = []
        for (offset, reference) in references.enumerated() {
            let ref = normalizer.normalize(reference)
            guard !ref.isEmpty else { continue }
            refs.append(ref)
            hyps.append(offset < hypotheses.count ? normalizer.normalize(hypotheses[offset]) : "")
            kept.append(offset < ids.count ? ids[offset] : String(offset))
        }
        // Both lists have the same length by construction, so scoring cannot fail.
        guard !refs.isEmpty,
            let words = try? Scoring.score(references: refs, hypotheses: hyps, unit: .word),
            let characters = try? Scoring.score(references: refs, hypotheses: hyps, unit: .character)
        else { return Report(utteranceCount: 0, referenceWords: 0, wer: 0, cer: 0, worst: []) }
        let utterances = words.utterances.enumerated().map { offset, counts in
            Utterance(id: kept[offset], reference: refs[offset], hypothesis: hyps[offset], wer: counts.wer)
        }
        let worst = utterances.enumerated()
            .sorted { ($0.element.wer, $1.offset) > ($1.element.wer, $0.offset) }
            .prefix(worstCount).map(\.element)
        return Report(
            utteranceCount: refs.count, referenceWords: words.total.referenceLength, wer: words.total.wer,
            cer: characters.total.cer, worst: Array(worst))
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
