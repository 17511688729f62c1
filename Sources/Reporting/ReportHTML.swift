import Foundation

extension Report {
    /// How many slices of one column the HTML lists (all of them are in the JSON).
    static let htmlSliceRows = 40
    /// How many points the WER-against-duration chart draws at most (every k-th utterance).
    static let scatterPoints = 2000

    /// The report as one self-contained HTML page: inline CSS, inline SVG charts (WER by
    /// slice with interval bars, a histogram of utterance WER, WER against duration), sortable
    /// and filterable tables, and an `<audio>` player for each listed utterance. Every piece of
    /// run text is escaped. Only the worst utterances are listed, so the page stays small at
    /// any run size; every utterance's score is in the JSON.
    /// - Parameters:
    ///   - title: The page title.
    ///   - htmlDirectory: The folder the page will be saved in, so audio links are relative
    ///     to it; `nil` links audio by absolute path.
    /// - Returns: The page.
    public func html(title: String = "speechprep report", htmlDirectory: String? = nil) -> String {
        var body = "<h1>\(HTML.escape(title))</h1><p class=\"muted\">\(HTML.escape(run)) · normaliser \(HTML.escape(normalizer)) · "
            + "\(resamples) bootstrap resamples (seed \(seed)) · 95 % intervals</p>"
        body += "<div class=\"cards\">"
        for (name, estimate) in [("WER", wer), ("CER", cer), ("MER", mer)] {
            body += "<div class=\"card\"><span class=\"muted\">\(name)</span><b>\(HTML.percent(estimate.value))</b>"
                + "<span class=\"muted\">\(HTML.interval(estimate))</span></div>"
        }
        body += "<div class=\"card\"><span class=\"muted\">utterances</span><b>\(utteranceCount)</b>"
            + "<span class=\"muted\">\(referenceWords) reference words</span></div></div>"
        for note in notes { body += "<p class=\"note\">\(HTML.escape(note))</p>" }

        body += "<h2>WER by slice</h2><div class=\"grid\">"
        for slicing in slicings {
            let rows = slicing.slices.prefix(20).map {
                SVGChart.Bar(label: $0.name, value: $0.wer.value, lower: $0.wer.lower, upper: $0.wer.upper, muted: $0.small)
            }
            body += "<div>" + SVGChart.bars(Array(rows), title: "WER by \(slicing.column)") + "</div>"
        }
        let rates = utterances.map(\.wer)
        body += "<div>" + SVGChart.histogram(rates, title: "Utterance WER") + "</div>"
        let timed = utterances.filter { $0.duration != nil }
        let stride = max(1, (timed.count + Self.scatterPoints - 1) / Self.scatterPoints)
        let points = Swift.stride(from: 0, to: timed.count, by: stride).map { (x: timed[$0].duration!, y: timed[$0].wer) }
        if !points.isEmpty {
            let caption = stride > 1 ? " (every \(stride)th utterance)" : ""
            body += "<div>" + SVGChart.scatter(points, title: "WER against duration\(caption)") + "</div>"
        }
        body += "</div>"

        for slicing in slicings {
            let id = "slices-\(slicing.column.filter { $0.isLetter || $0.isNumber })"
            body += "<h2>By \(HTML.escape(slicing.column))</h2><div class=\"scroll\"><table id=\"\(id)\" data-table data-column=\"\(HTML.escape(slicing.column))\">"
            body += HTML.header([("slice", "t"), ("utterances", "n"), ("words", "n"), ("errors", "n"), ("WER", "n"), ("95 % interval", nil)])
            body += "<tbody>"
            for slice in slicing.slices.prefix(Self.htmlSliceRows) {
                body += "<tr\(slice.small ? " class=\"small\" title=\"fewer utterances than the minimum slice size\"" : "")>"
                    + HTML.cell(slice.name + (slice.small ? " (small)" : ""))
                    + HTML.cell(String(slice.utterances), numeric: Double(slice.utterances))
                    + HTML.cell(String(slice.words), numeric: Double(slice.words))
                    + HTML.cell(String(slice.errors), numeric: Double(slice.errors))
                    + HTML.cell(HTML.percent(slice.wer.value), numeric: slice.wer.value)
                    + HTML.cell(HTML.interval(slice.wer)) + "</tr>"
            }
            body += "</tbody></table></div>"
            if slicing.slices.count > Self.htmlSliceRows {
                body += "<p class=\"muted\">\(slicing.slices.count - Self.htmlSliceRows) more slices in the JSON report.</p>"
            }
        }

        body += "<h2>Word errors</h2><div class=\"grid\">"
        body += wordTable("Substitutions", substitutions.map { ("\($0.reference) → \($0.hypothesis)", $0.count) })
        body += wordTable("Deleted words", deletions.map { ($0.word, $0.count) })
        body += wordTable("Inserted words", insertions.map { ($0.word, $0.count) })
        body += "</div>"

        body += "<h2>Worst utterances</h2><input type=\"search\" id=\"worst-filter\" placeholder=\"filter: id, word, metadata…\" aria-label=\"filter the utterances\">"
        body += "<div class=\"scroll\"><table id=\"worst\" data-table>"
        body += HTML.header([("id", "t"), ("WER", "n"), ("errors", "n"), ("words", "n"), ("seconds", "n"), ("alignment", nil), ("metadata", nil), ("audio", nil)])
        body += "<tbody>"
        for detail in worst {
            let score = detail.score
            let metadata = detail.metadata.keys.sorted { $0.utf8Less($1) }
                .map { "\($0)=\(detail.metadata[$0]!)" }.joined(separator: " · ")
            body += "<tr>" + HTML.cell(score.id) + HTML.cell(HTML.percent(score.wer), numeric: score.wer)
                + HTML.cell(String(score.errors), numeric: Double(score.errors)) + HTML.cell(String(score.words), numeric: Double(score.words))
                + HTML.cell(score.duration.map { String(format: "%.2f", $0) } ?? "—", numeric: score.duration ?? -1)
                + "<td class=\"al\">" + Self.alignmentHTML(detail.alignment) + "</td>" + HTML.cell(metadata)
                + "<td><audio controls preload=\"none\" src=\"\(HTML.escape(HTML.audioHref(score.audio, run: run, htmlDirectory: htmlDirectory)))\"></audio></td></tr>"
        }
        body += "</tbody></table></div>"
        body += "<p class=\"muted\">\(utteranceCount) utterances scored; the \(worst.count) worst are listed. Every utterance's score is in the JSON report (<code>--json</code>).</p>"
        return HTML.page(title: title, body: body)
    }

    private func wordTable(_ title: String, _ rows: [(String, Int)]) -> String {
        var out = "<div class=\"scroll\"><table><caption>\(HTML.escape(title))</caption>" + HTML.header([("word", nil), ("count", nil)]) + "<tbody>"
        for (word, count) in rows { out += "<tr>" + HTML.cell(word) + HTML.cell(String(count), numeric: Double(count)) + "</tr>" }
        if rows.isEmpty { out += "<tr><td colspan=\"2\" class=\"muted\">none</td></tr>" }
        return out + "</tbody></table></div>"
    }

    /// Hits plain, substitutions with the recognised word beneath, deletions struck, insertions blue.
    static func alignmentHTML(_ words: [AlignedWord]) -> String {
        words.map { word in
            switch word.op {
            case "S": "<span class=\"S\">\(HTML.escape(word.reference ?? ""))<small>\(HTML.escape(word.hypothesis ?? ""))</small></span>"
            case "D": "<span class=\"D\">\(HTML.escape(word.reference ?? ""))</span>"
            case "I": "<span class=\"I\">+\(HTML.escape(word.hypothesis ?? ""))</span>"
            default: "<span>\(HTML.escape(word.reference ?? ""))</span>"
            }
        }.joined()
    }
}

extension Comparison {
    /// The comparison as one self-contained HTML page: a delta chart per slicing (B − A with
    /// paired intervals; green where B is better), tables with the probability that B is
    /// better, and the most changed utterances with audio players. Every piece of run text is
    /// escaped.
    /// - Parameters:
    ///   - title: The page title.
    ///   - htmlDirectory: The folder the page will be saved in, for relative audio links.
    /// - Returns: The page.
    public func html(title: String = "speechprep comparison", htmlDirectory: String? = nil) -> String {
        var body = "<h1>\(HTML.escape(title))</h1><p class=\"muted\">A: \(HTML.escape(runA))<br>B: \(HTML.escape(runB))<br>"
            + "\(sharedCount) shared utterances (\(onlyInA) only in A, \(onlyInB) only in B) · normaliser \(HTML.escape(normalizer)) · "
            + "\(resamples) paired resamples (seed \(seed))</p>"
        body += "<div class=\"cards\">"
        body += "<div class=\"card\"><span class=\"muted\">WER A</span><b>\(HTML.percent(corpus.werA))</b></div>"
        body += "<div class=\"card\"><span class=\"muted\">WER B</span><b>\(HTML.percent(corpus.werB))</b></div>"
        body += "<div class=\"card\"><span class=\"muted\">B − A</span><b>\(HTML.percent(corpus.delta.value))</b><span class=\"muted\">\(HTML.interval(corpus.delta))</span></div>"
        body += "<div class=\"card\"><span class=\"muted\">P(B better)</span><b>\(corpus.probabilityBBetter.map { String(format: "%.3f", $0) } ?? "—")</b></div></div>"
        for note in notes { body += "<p class=\"note\">\(HTML.escape(note))</p>" }
        body += "<h2>WER change by slice (B − A)</h2><div class=\"grid\">"
        let all = SVGChart.Bar(label: "all", value: corpus.delta.value, lower: corpus.delta.lower, upper: corpus.delta.upper)
        body += "<div>" + SVGChart.bars([all], title: "corpus", centered: true) + "</div>"
        for slicing in slicings {
            let rows = slicing.rows.prefix(20).map {
                SVGChart.Bar(label: $0.name, value: $0.delta.value, lower: $0.delta.lower, upper: $0.delta.upper, muted: $0.small)
            }
            body += "<div>" + SVGChart.bars(Array(rows), title: "by \(slicing.column)", centered: true) + "</div>"
        }
        body += "</div>"
        for slicing in slicings {
            let id = "delta-\(slicing.column.filter { $0.isLetter || $0.isNumber })"
            body += "<h2>By \(HTML.escape(slicing.column))</h2><div class=\"scroll\"><table id=\"\(id)\" data-table>"
            body += HTML.header([("slice", "t"), ("utterances", "n"), ("WER A", "n"), ("WER B", "n"), ("B − A", "n"), ("95 % interval", nil), ("P(B better)", "n")])
            body += "<tbody>"
            for row in slicing.rows.prefix(Report.htmlSliceRows) {
                body += "<tr\(row.small ? " class=\"small\"" : "")>" + HTML.cell(row.name + (row.small ? " (small)" : ""))
                    + HTML.cell(String(row.utterances), numeric: Double(row.utterances))
                    + HTML.cell(HTML.percent(row.werA), numeric: row.werA) + HTML.cell(HTML.percent(row.werB), numeric: row.werB)
                    + HTML.cell(HTML.percent(row.delta.value), numeric: row.delta.value) + HTML.cell(HTML.interval(row.delta))
                    + HTML.cell(row.probabilityBBetter.map { String(format: "%.3f", $0) } ?? "—", numeric: row.probabilityBBetter ?? -1)
                    + "</tr>"
            }
            body += "</tbody></table></div>"
        }
        for (title, id, list) in [("B better", "improved", improved), ("B worse", "worsened", worsened)] {
            body += "<h2>\(title): the utterances that changed most</h2><div class=\"scroll\"><table id=\"\(id)\" data-table>"
            body += HTML.header([("id", "t"), ("errors A", "n"), ("errors B", "n"), ("words", "n"), ("reference / A / B", nil), ("audio", nil)])
            body += "<tbody>"
            for change in list {
                body += "<tr>" + HTML.cell(change.id) + HTML.cell(String(change.errorsA), numeric: Double(change.errorsA))
                    + HTML.cell(String(change.errorsB), numeric: Double(change.errorsB)) + HTML.cell(String(change.words), numeric: Double(change.words))
                    + "<td>\(HTML.escape(change.reference))<br><span class=\"muted\">A:</span> \(HTML.escape(change.hypothesisA))"
                    + "<br><span class=\"muted\">B:</span> \(HTML.escape(change.hypothesisB))</td>"
                    + "<td><audio controls preload=\"none\" src=\"\(HTML.escape(HTML.audioHref(change.audio, run: runA, htmlDirectory: htmlDirectory)))\"></audio></td></tr>"
            }
            if list.isEmpty { body += "<tr><td colspan=\"6\" class=\"muted\">none</td></tr>" }
            body += "</tbody></table></div>"
        }
        return HTML.page(title: title, body: body)
    }
}
