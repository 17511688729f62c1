import Foundation

/// Small inline SVG charts drawn from numbers, with no script and no external resource. Every
/// label goes through ``HTML/escape(_:)``. Charts scale to their container (`viewBox`, width 100 %).
enum SVGChart {
    struct Bar {
        var label: String
        var value: Double
        var lower: Double?
        var upper: Double?
        var muted = false
    }

    static let width = 800.0

    /// Horizontal bars with interval whiskers; `centered` draws around zero (for deltas).
    static func bars(_ rows: [Bar], title: String, centered: Bool = false) -> String {
        let labelWidth = 190.0, rowHeight = 22.0, top = 28.0
        let height = top + Double(rows.count) * rowHeight + 26
        let values = rows.flatMap { [$0.value, $0.lower ?? $0.value, $0.upper ?? $0.value] }
        let high = max(values.map { abs($0) }.max() ?? 0, 1e-9) * 1.05
        let plot = width - labelWidth - 60
        let zero = centered ? labelWidth + plot / 2 : labelWidth
        let scale = centered ? plot / 2 / high : plot / high
        var svg = open(height: height, title: title)
        svg += axisLine(x: zero, top: top - 4, bottom: height - 22)
        for (k, row) in rows.enumerated() {
            let y = top + Double(k) * rowHeight
            let x0 = min(zero, zero + row.value * scale), w = abs(row.value * scale)
            svg += "<text x=\"\(f(labelWidth - 6))\" y=\"\(f(y + 15))\" text-anchor=\"end\" class=\"label\">\(HTML.escape(row.label.count > 26 ? String(row.label.prefix(25)) + "…" : row.label))</text>"
            let fill = centered ? (row.value <= 0 ? "good" : "bad") : (row.muted ? "muted" : "bar")
            svg += "<rect class=\"\(fill)\" x=\"\(f(x0))\" y=\"\(f(y + 4))\" width=\"\(f(max(w, 1)))\" height=\"14\"><title>\(HTML.escape(row.label)): \(pct(row.value))</title></rect>"
            if let lower = row.lower, let upper = row.upper {
                let a = zero + lower * scale, b = zero + upper * scale
                svg += "<path class=\"whisker\" d=\"M\(f(a)) \(f(y + 11))H\(f(b))M\(f(a)) \(f(y + 6))V\(f(y + 16))M\(f(b)) \(f(y + 6))V\(f(y + 16))\"/>"
            }
            svg += "<text x=\"\(f(width - 4))\" y=\"\(f(y + 15))\" text-anchor=\"end\" class=\"value\">\(pct(row.value))</text>"
        }
        svg += "<text x=\"\(f(zero))\" y=\"\(f(height - 6))\" class=\"tick\" text-anchor=\"middle\">0</text>"
        svg += "<text x=\"\(f(zero + high * scale))\" y=\"\(f(height - 6))\" class=\"tick\" text-anchor=\"end\">\(pct(high))</text>"
        return svg + "</svg>"
    }

    /// A histogram of rates in 10 % bins, the last bin holding everything from 100 % up.
    static func histogram(_ values: [Double], title: String) -> String {
        var bins = [Int](repeating: 0, count: 11)
        for value in values { bins[min(10, max(0, Int((value * 10).rounded(.down))))] += 1 }
        let height = 240.0, left = 50.0, bottom = height - 30, top = 28.0
        let high = Double(max(bins.max() ?? 1, 1))
        let step = (width - left - 10) / Double(bins.count)
        var svg = open(height: height, title: title)
        svg += axisLine(x: left, top: top, bottom: bottom)
        for (k, count) in bins.enumerated() {
            let h = Double(count) / high * (bottom - top)
            let label = k == 10 ? "≥100" : "\(k * 10)"
            svg += "<rect class=\"bar\" x=\"\(f(left + Double(k) * step + 2))\" y=\"\(f(bottom - h))\" width=\"\(f(step - 4))\" height=\"\(f(max(h, 0.5)))\"><title>\(label)%: \(count)</title></rect>"
            svg += "<text x=\"\(f(left + (Double(k) + 0.5) * step))\" y=\"\(f(height - 12))\" class=\"tick\" text-anchor=\"middle\">\(label)</text>"
        }
        svg += "<text x=\"\(f(left - 4))\" y=\"\(f(top + 8))\" class=\"tick\" text-anchor=\"end\">\(Int(high))</text>"
        svg += "<text x=\"\(f(width - 4))\" y=\"\(f(height - 1))\" class=\"tick\" text-anchor=\"end\">utterance WER %</text>"
        return svg + "</svg>"
    }

    /// Points (x: seconds, y: rate), the y axis capped at 150 %.
    static func scatter(_ points: [(x: Double, y: Double)], title: String) -> String {
        let height = 280.0, left = 50.0, bottom = height - 30, top = 28.0
        let maxX = max(points.map(\.x).max() ?? 1, 1e-9), maxY = min(max(points.map(\.y).max() ?? 1, 1), 1.5)
        let sx = (width - left - 10) / maxX, sy = (bottom - top) / maxY
        var svg = open(height: height, title: title)
        svg += axisLine(x: left, top: top, bottom: bottom)
        svg += "<path class=\"axis\" d=\"M\(f(left)) \(f(bottom))H\(f(width - 10))\"/>"
        for point in points {
            svg += "<circle class=\"dot\" cx=\"\(f(left + point.x * sx))\" cy=\"\(f(bottom - min(point.y, maxY) * sy))\" r=\"2.5\"/>"
        }
        svg += "<text x=\"\(f(left - 4))\" y=\"\(f(top + 8))\" class=\"tick\" text-anchor=\"end\">\(pct(maxY))</text>"
        svg += "<text x=\"\(f(width - 10))\" y=\"\(f(height - 12))\" class=\"tick\" text-anchor=\"end\">\(String(format: "%.1f", maxX)) s</text>"
        svg += "<text x=\"\(f(left))\" y=\"\(f(height - 12))\" class=\"tick\">0 s</text>"
        return svg + "</svg>"
    }

    private static func open(height: Double, title: String) -> String {
        "<svg class=\"chart\" viewBox=\"0 0 \(f(width)) \(f(height))\" role=\"img\" aria-label=\"\(HTML.escape(title))\" xmlns=\"http://www.w3.org/2000/svg\">"
            + "<text x=\"4\" y=\"16\" class=\"title\">\(HTML.escape(title))</text>"
    }

    private static func axisLine(x: Double, top: Double, bottom: Double) -> String {
        "<path class=\"axis\" d=\"M\(f(x)) \(f(top))V\(f(bottom))\"/>"
    }

    static func f(_ value: Double) -> String { String(format: "%.1f", value) }
    static func pct(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }
}
