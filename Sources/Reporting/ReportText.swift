import Foundation

extension Report {
    /// A plain-terminal summary: corpus rates with intervals, each slicing, the top word
    /// errors and the worst utterances with their alignments.
    public var summary: String {
        var out = "\(run)  (\(utteranceCount) utterances, \(referenceWords) reference words, "
            + "normaliser \(normalizer), \(resamples) resamples, seed \(seed))\n"
        out += "WER \(percent(wer))   CER \(percent(cer))   MER \(percent(mer))\n"
        for slicing in slicings {
            out += "\nby \(slicing.column):\n"
            let shown = slicing.slices.prefix(Self.terminalRows)
            let width = min(32, shown.map { $0.name.count }.max() ?? 0)
            for slice in shown {
                out += "  " + slice.name.padded(to: width) + "  " + percent(slice.wer)
                    + "  \(slice.utterances) utt, \(slice.words) words" + (slice.small ? "  (small)" : "") + "\n"
            }
            if slicing.slices.count > shown.count {
                out += "  … \(slicing.slices.count - shown.count) more in the JSON\n"
            }
        }
        if !substitutions.isEmpty {
            out += "\nsubstitutions: " + substitutions.prefix(8).map { "\($0.reference)→\($0.hypothesis) ×\($0.count)" }
                .joined(separator: ", ") + "\n"
        }
        if !deletions.isEmpty {
            out += "deleted: " + deletions.prefix(8).map { "\($0.word) ×\($0.count)" }.joined(separator: ", ") + "\n"
        }
        if !insertions.isEmpty {
            out += "inserted: " + insertions.prefix(8).map { "\($0.word) ×\($0.count)" }.joined(separator: ", ") + "\n"
        }
        let worstShown = worst.prefix(5).filter { $0.score.errors > 0 }
        if !worstShown.isEmpty { out += "\nworst utterances:\n" }
        for detail in worstShown {
            out += String(format: "%6.1f%%  ", detail.score.wer * 100) + "\(detail.score.id)  \(detail.score.audio)\n"
            for line in detail.alignmentText.split(separator: "\n", omittingEmptySubsequences: false) {
                out += "        \(line)\n"
            }
        }
        for note in notes { out += "\nnote: \(note)" }
        return notes.isEmpty ? out : out + "\n"
    }

    static let terminalRows = 12
}

extension Comparison {
    /// A plain-terminal summary: corpus and per-slice WER of both runs, the paired delta with
    /// its interval and the probability that B is better, and the most changed utterances.
    public var summary: String {
        var out = "A: \(runA)\nB: \(runB)\n"
        out += "\(sharedCount) shared utterances (\(onlyInA) only in A, \(onlyInB) only in B), \(referenceWords) words, "
            + "\(resamples) paired resamples\n"
        out += "\n" + Self.line(corpus, width: 8)
        for slicing in slicings {
            out += "\nby \(slicing.column):\n"
            let shown = slicing.rows.prefix(Report.terminalRows)
            let width = min(32, shown.map { $0.name.count }.max() ?? 0)
            for row in shown { out += Self.line(row, width: width) }
        }
        for (title, list) in [("B better", improved), ("B worse", worsened)] where !list.isEmpty {
            out += "\n\(title):\n"
            for change in list.prefix(5) {
                out += "  \(change.id): errors \(change.errorsA) → \(change.errorsB) of \(change.words)\n"
                out += "        ref: \(change.reference)\n        A:   \(change.hypothesisA)\n        B:   \(change.hypothesisB)\n"
            }
        }
        for note in notes { out += "\nnote: \(note)" }
        return notes.isEmpty ? out : out + "\n"
    }

    static func line(_ row: Row, width: Int) -> String {
        var text = "  " + row.name.padded(to: width) + String(format: "  A %6.2f%%  B %6.2f%%  Δ %+6.2f", row.werA * 100, row.werB * 100, row.delta.value * 100)
        if let lower = row.delta.lower, let upper = row.delta.upper {
            text += String(format: " [%+.2f, %+.2f]", lower * 100, upper * 100)
        }
        if let p = row.probabilityBBetter { text += String(format: "  P(B better) %.3f", p) }
        return text + "  \(row.utterances) utt" + (row.small ? "  (small)" : "") + "\n"
    }
}

/// `12.34% [10.00, 15.00]`.
func percent(_ estimate: Estimate) -> String {
    var text = String(format: "%.2f%%", estimate.value * 100)
    if let lower = estimate.lower, let upper = estimate.upper {
        text += String(format: " [%.2f, %.2f]", lower * 100, upper * 100)
    }
    return text
}

extension String {
    func padded(to width: Int) -> String {
        let shown = count > width ? String(prefix(width - 1)) + "…" : self
        return shown + String(repeating: " ", count: Swift.max(0, width - shown.count))
    }
}
