import Foundation

extension TranscriptScoring {
    /// Scores two text files line by line (`speechprep score --ref --hyp`): line *n* of the
    /// hypotheses is the recogniser's transcript of line *n* of the references, and the
    /// utterance ids are the line numbers from 1. Lines end at `\n` (a `\r` before it is white
    /// space to the normalisers); empty lines at the end are not utterances.
    /// - Parameters:
    ///   - referencesFile: The references, one per line.
    ///   - hypothesesFile: The hypotheses, one per line.
    ///   - normalizer: Applied to both first.
    ///   - language: The utterances' language, which picks the unit (`nil`: words).
    ///   - worstCount: How many of the worst utterances to list.
    /// - Returns: The report.
    /// - Throws: `PipelineError.Code.invalidInput` when a file cannot be read or the two
    ///   have different numbers of lines.
    public static func score(
        referencesFile: String, hypothesesFile: String, normalizer: any TextNormalizer = defaultNormalizer,
        language: String? = nil, worstCount: Int = 10
    ) throws(PipelineError) -> Report {
        let references = try lines(referencesFile), hypotheses = try lines(hypothesesFile)
        guard references.count == hypotheses.count else {
            throw PipelineError(
                .invalidInput, "\(referencesFile) has \(references.count) lines but \(hypothesesFile) has \(hypotheses.count)")
        }
        return score(
            ids: references.indices.map { String($0 + 1) }, references: references, hypotheses: hypotheses,
            languages: [language], normalizer: normalizer, worstCount: worstCount)
    }

    /// A text file's lines, split on bytes (far cheaper than on Characters, and `"\r\n"`, one
    /// Character, still ends a line), without the empty lines at its end.
    private static func lines(_ path: String) throws(PipelineError) -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PipelineError(.invalidInput, subject: path, "cannot be read")
        }
        var lines = data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            var lines: [String] = []
            var start = 0
            for index in bytes.indices where bytes[index] == UInt8(ascii: "\n") {
                lines.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
                start = index + 1
            }
            lines.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self))
            return lines
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }
}
