import Foundation

/// Text to HTML: every piece of run data (ids, transcripts, metadata, paths) passes through
/// ``escape(_:)`` before it reaches the page, so hostile text shows as text and never runs.
enum HTML {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// An audio link: the file relative to the HTML file's folder, each segment percent-encoded.
    static func audioHref(_ audio: String, run: String, htmlDirectory: String?) -> String {
        let absolute = audio.hasPrefix("/") ? audio : absolutePath("\(run)/\(audio)")
        let path = htmlDirectory.map { relativePath(absolute, from: absolutePath($0)) } ?? absolute
        return path.split(separator: "/", omittingEmptySubsequences: false)
            .map { String($0).addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/", "?", "#", ";"])) ?? "" }
            .joined(separator: "/")
    }

    static func absolutePath(_ path: String) -> String {
        let full = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var parts: [Substring] = []
        for part in full.split(separator: "/") where part != "." {
            if part == ".." { _ = parts.popLast() } else { parts.append(part) }
        }
        return "/" + parts.joined(separator: "/")
    }

    static func relativePath(_ target: String, from directory: String) -> String {
        let t = target.split(separator: "/"), d = directory.split(separator: "/")
        var common = 0
        while common < min(t.count, d.count - 0), common < d.count, t[common] == d[common] { common += 1 }
        return (Array(repeating: "..", count: d.count - common) + t[common...].map(String.init)).joined(separator: "/")
    }

    static let style = """
        :root{--fg:#1d2330;--muted:#667085;--line:#d0d5dd;--bar:#3b6fd8;--bad:#d04a3a;--good:#2f9e62;--bg:#fff}
        *{box-sizing:border-box}body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:var(--fg);background:var(--bg);margin:0}
        main{max-width:1200px;margin:0 auto;padding:16px 20px 48px}h1{font-size:1.5em;margin:.3em 0}h2{font-size:1.2em;margin:1.6em 0 .5em;border-bottom:1px solid var(--line)}
        .cards{display:flex;flex-wrap:wrap;gap:12px}.card{border:1px solid var(--line);border-radius:8px;padding:10px 14px;min-width:180px}.card b{font-size:1.4em;display:block}
        .note{background:#fff7e0;border-left:4px solid #e6a700;padding:6px 10px;margin:6px 0}.muted{color:var(--muted)}
        .grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(540px,100%),1fr));gap:16px}
        svg.chart{width:100%;height:auto;display:block;border:1px solid var(--line);border-radius:8px;background:#fcfcfd}
        svg .bar{fill:var(--bar)}svg .muted{fill:#a8b3c7}svg .bad{fill:var(--bad)}svg .good{fill:var(--good)}svg .dot{fill:var(--bar);fill-opacity:.55}
        svg .whisker,svg .axis{stroke:#222;stroke-width:1.2;fill:none}svg text{font-size:12px;fill:var(--fg)}svg .title{font-weight:600;font-size:13px}svg .tick{fill:var(--muted);font-size:11px}
        .scroll{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:.92em}th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
        th{background:#f2f4f7;position:sticky;top:0}th[data-sort]{cursor:pointer}td{overflow-wrap:anywhere}td:first-child{min-width:8em}td.n{overflow-wrap:normal;text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}tr.small td{color:var(--muted)}
        .al{min-width:260px;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em;line-height:1.9}.al span{display:inline-block;margin:0 3px 0 0;padding:0 3px;border-radius:3px}
        .al .S{background:#fde2c8}.al .D{background:#f9cfcf;text-decoration:line-through}.al .I{background:#d6ecff}.al small{display:block;color:var(--muted);font-size:.8em;line-height:1}
        audio{width:220px;max-width:100%;height:32px}input[type=search]{width:100%;max-width:420px;padding:6px 8px;margin:6px 0;font:inherit}
        @media (max-width:700px){main{padding:10px}body{font-size:14px}.card{min-width:140px;flex:1}audio{width:160px}th,td{padding:3px 4px}}
        """

    /// Sorting by a header click and filtering by a search box, for every table marked `data-table`.
    static let script = """
        document.querySelectorAll('table[data-table]').forEach(function(t){
        var b=t.tBodies[0],f=document.getElementById(t.id+'-filter');
        t.querySelectorAll('th[data-sort]').forEach(function(h,i){h.addEventListener('click',function(){var d=h.dataset.dir=h.dataset.dir==='a'?'d':'a',n=h.dataset.sort==='n',c=h.cellIndex;
        Array.from(b.rows).sort(function(x,y){var p=x.cells[c].dataset.v||x.cells[c].textContent,q=y.cells[c].dataset.v||y.cells[c].textContent,r=n?(+p)-(+q):p.localeCompare(q);return d==='a'?r:-r}).forEach(function(r){b.appendChild(r)})})});
        if(f)f.addEventListener('input',function(){var q=f.value.toLowerCase();Array.from(b.rows).forEach(function(r){r.hidden=q!==''&&r.textContent.toLowerCase().indexOf(q)<0})})});
        """

    static func page(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; media-src *; img-src data:">
        <title>\(escape(title))</title>
        <style>\(style)</style></head>
        <body><main>
        \(body)
        </main><script>\(script)</script></body></html>

        """
    }

    static func cell(_ text: String, numeric: Double? = nil) -> String {
        if let numeric { return "<td class=\"n\" data-v=\"\(numeric)\">\(escape(text))</td>" }
        return "<td>\(escape(text))</td>"
    }

    static func header(_ columns: [(String, String?)]) -> String {
        "<thead><tr>" + columns.map { name, sort in
            sort.map { "<th data-sort=\"\($0)\">\(escape(name))</th>" } ?? "<th>\(escape(name))</th>"
        }.joined() + "</tr></thead>"
    }

    static func percent(_ value: Double) -> String { String(format: "%.2f%%", value * 100) }

    static func interval(_ estimate: Estimate) -> String {
        guard let lower = estimate.lower, let upper = estimate.upper else { return "—" }
        return String(format: "%.2f – %.2f", lower * 100, upper * 100)
    }
}
