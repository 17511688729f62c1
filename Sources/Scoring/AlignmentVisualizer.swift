internal import Foundation

/// Renders alignments as jiwer 4.0's `visualize_alignment` does, character for character:
///
/// ```text
/// === SENTENCE 1 ===
///
/// REF: quite a bit of  *    *  longer sentence    *
/// HYP: quite * bit of an even longest sentence here
///            D         I    I       S             I
///
/// === SUMMARY ===
/// number of sentences: 1
/// substitutions=1 deletions=1 insertions=3 hits=4
///
/// mer=50.00%
/// …
/// ```
///
/// Word and mixed units put a space between tokens; character units do not and report only
/// the CER in the summary. Widths are counted in code points, as Python does.
/// - Parameters:
///   - alignments: One alignment per pair, all of the same unit.
///   - showMeasures: Append the summary with counts and measures.
///   - skipCorrect: Leave out pairs without errors.
///   - lineWidth: Wrap long pairs before a column would pass this many code points.
/// - Returns: The rendering.
public func visualizeAlignment(
    _ alignments: [Alignment], showMeasures: Bool = true, skipCorrect: Bool = true, lineWidth: Int? = nil
) -> String {
    let separated = alignments.first?.unit.separatesTokens ?? true
    var text = ""
    var total = ErrorCounts()
    for (index, alignment) in alignments.enumerated() {
        total += alignment.counts
        let chunks = alignment.chunks
        if skipCorrect, chunks.isEmpty || (chunks.count == 1 && chunks[0].kind == .equal) { continue }
        text += "=== SENTENCE \(index + 1) ===\n\n"
        text += comparison(alignment, separated: separated, lineWidth: lineWidth)
        text += "\n"
    }
    guard showMeasures else {
        if !text.isEmpty { text.removeLast() }
        return text
    }
    text += "=== SUMMARY ===\n"
    text += "number of sentences: \(alignments.count)\n"
    text += "substitutions=\(total.substitutions) deletions=\(total.deletions) "
    text += "insertions=\(total.insertions) hits=\(total.hits)\n"
    if separated {
        text += "\nmer=\(percent(total.mer))"
        text += "\nwil=\(percent(total.wil))"
        text += "\nwip=\(percent(total.wip))"
        text += "\nwer=\(percent(total.wer))\n"
    } else {
        text += "\ncer=\(percent(total.cer))\n"
    }
    return text
}

/// Python's `f"{x*100:.2f}%"`.
private func percent(_ value: Double) -> String { String(format: "%.2f%%", value * 100) }

/// The REF/HYP/op lines of one pair (jiwer's `_construct_comparison_string`).
private func comparison(_ alignment: Alignment, separated: Bool, lineWidth: Int?) -> String {
    var lines = ComparisonLines()
    var done = ""
    for chunk in alignment.chunks {
        let reference: [String], hypothesis: [String], op: String
        switch chunk.kind {
        case .equal, .substitute:
            reference = Array(alignment.reference[chunk.referenceRange])
            hypothesis = Array(alignment.hypothesis[chunk.hypothesisRange])
            op = chunk.kind == .equal ? " " : "S"
        case .delete:
            reference = Array(alignment.reference[chunk.referenceRange])
            hypothesis = Array(repeating: "*", count: reference.count)
            op = "D"
        case .insert:
            hypothesis = Array(alignment.hypothesis[chunk.hypothesisRange])
            reference = Array(repeating: "*", count: hypothesis.count)
            op = "I"
        }
        for (ref, hyp) in zip(reference, hypothesis) {
            let width = max(ref.unicodeScalars.count, hyp.unicodeScalars.count, 1)
            if let lineWidth, lines.referenceWidth + width > lineWidth {
                done += lines.rendered(separated: separated) + "\n"
                lines = ComparisonLines()
            }
            // As jiwer: a token that *is* "*" stands for the gap and is widened with stars.
            let star = String(repeating: "*", count: width)
            lines.append(
                reference: ref == "*" ? star : ref, hypothesis: ref != "*" && hyp == "*" ? star : hyp, op: op,
                width: width, separated: separated)
        }
    }
    return done + lines.rendered(separated: separated)
}

/// The three lines being built for one pair, with the reference line's width in code points.
private struct ComparisonLines {
    var reference = "REF: "
    var hypothesis = "HYP: "
    var operations = "     "
    var referenceWidth = 5

    mutating func append(reference ref: String, hypothesis hyp: String, op: String, width: Int, separated: Bool) {
        reference += padded(ref, to: width)
        hypothesis += padded(hyp, to: width)
        operations += padded(op, to: width)
        referenceWidth += width
        if separated {
            reference += " "
            hypothesis += " "
            operations += " "
            referenceWidth += 1
        }
    }

    /// The lines, each ending in a newline; with separators, the trailing space is dropped.
    func rendered(separated: Bool) -> String {
        let cut = { (line: String) in separated ? String(line.unicodeScalars.dropLast()) : line }
        return "\(cut(reference))\n\(cut(hypothesis))\n\(cut(operations))\n"
    }

    /// Python's `f"{s:>{width}}"`: right-aligned, padded with spaces to `width` code points.
    private func padded(_ token: String, to width: Int) -> String {
        String(repeating: " ", count: max(0, width - token.unicodeScalars.count)) + token
    }
}
