import Foundation
import Reporting
import Testing
import TestSupport

/// The report's numbers against the Python reference (`Scripts/report-reference.py`: pandas +
/// jiwer + NumPy with the same SplitMix64 resampling), on real runs kept as fixtures by
/// `Scripts/make-report-fixture.sh`: the demo run and a 200-clip Common Voice-style run, and
/// for the paired comparison a noisier run of its first 60 clips.
@Suite struct ReferenceTests {
    static func options(minimumSliceSize: Int) -> ReportOptions {
        var options = ReportOptions()
        options.slicing = ["gender", "age", "accents", "duration", "speaker"]
        options.minimumSliceSize = minimumSliceSize
        options.resamples = 1000
        options.seed = 7
        return options
    }

    static func expected(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("report/\(name).expected.json")))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Encodes a value the way `--json` does and reads it back as plain objects.
    static func plain(_ value: some Encodable) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(value)) as? [String: Any])
    }

    @Test(arguments: [("cv200", 10), ("demo", 3)])
    func reportMatchesThePythonReference(fixture: String, minimumSliceSize: Int) throws {
        let run = try RunResults(directory: Fixtures.path("report/\(fixture)"))
        let report = try Report(run: run, options: Self.options(minimumSliceSize: minimumSliceSize))
        let expected = try Self.expected(fixture), ours = try Self.plain(report)
        #expect(report.utteranceCount == expected["utteranceCount"] as? Int)
        #expect(report.referenceWords == expected["referenceWords"] as? Int)
        for key in ["wer", "cer", "mer"] { expectEstimate(ours[key], expected[key], key) }
        let slicings = try #require(expected["slicings"] as? [[String: Any]])
        #expect(report.slicings.map(\.column) == slicings.map { $0["column"] as? String ?? "" })
        for (mine, theirs) in zip(ours["slicings"] as? [[String: Any]] ?? [], slicings) {
            let a = mine["slices"] as? [[String: Any]] ?? [], b = theirs["slices"] as? [[String: Any]] ?? []
            #expect(a.count == b.count, "\(theirs["column"]!)")
            for (x, y) in zip(a, b) {
                let label = "\(theirs["column"]!)/\(y["name"]!)"
                for field in ["name", "utterances", "words", "errors", "small"] {
                    #expect("\(x[field]!)" == "\(y[field]!)", "\(label) \(field)")
                }
                expectEstimate(x["wer"], y["wer"], label)
            }
        }
        // Words compared as lists of plain objects: order and counts must be the same.
        for key in ["substitutions", "deletions", "insertions"] {
            #expect(
                (ours[key] as? NSArray)?.isEqual(to: expected[key] as? [Any] ?? []) == true, "\(key)")
        }
        #expect(report.worst.map(\.score.id) == (expected["worst"] as? [String]))
        if fixture == "cv200" {
            // The fixture is what it claims: 200 clips, every Common Voice column sliced.
            #expect(report.utteranceCount == 200)
            #expect(report.slicings.count == 5)
            #expect(report.slicings.first { $0.column == "speaker" }?.slices.count == 10)
        }
    }

    @Test func pairedComparisonMatchesThePythonReference() throws {
        let a = try RunResults(directory: Fixtures.path("report/cv200"))
        let b = try RunResults(directory: Fixtures.path("report/cv200-noisy"))
        let comparison = try Comparison(a, b, options: Self.options(minimumSliceSize: 10))
        let expected = try Self.expected("compare"), ours = try Self.plain(comparison)
        #expect(comparison.sharedCount == expected["sharedCount"] as? Int)
        #expect(comparison.referenceWords == expected["referenceWords"] as? Int)
        expectRow(ours["corpus"], expected["corpus"], "corpus")
        let slicings = try #require(expected["slicings"] as? [[String: Any]])
        #expect(comparison.slicings.map(\.column) == slicings.map { $0["column"] as? String ?? "" })
        for (mine, theirs) in zip(ours["slicings"] as? [[String: Any]] ?? [], slicings) {
            let a = mine["rows"] as? [[String: Any]] ?? [], b = theirs["rows"] as? [[String: Any]] ?? []
            #expect(a.count == b.count)
            for (x, y) in zip(a, b) { expectRow(x, y, "\(theirs["column"]!)/\(y["name"]!)") }
        }
        // Noise makes B worse, and the paired bootstrap is sure of it.
        #expect(comparison.corpus.delta.value > 0)
        #expect((comparison.corpus.probabilityBBetter ?? 1) < 0.05)
        #expect(!comparison.worsened.isEmpty)
    }

    private func expectRow(_ mine: Any?, _ theirs: Any?, _ label: String) {
        let x = mine as? [String: Any] ?? [:], y = theirs as? [String: Any] ?? [:]
        for field in ["name", "utterances", "words", "small"] { #expect("\(x[field] ?? "nil")" == "\(y[field] ?? "nil")", "\(label) \(field)") }
        for field in ["werA", "werB", "probabilityBBetter"] { expectNumber(x[field], y[field], "\(label) \(field)") }
        expectEstimate(x["delta"], y["delta"], label)
    }

    private func expectEstimate(_ mine: Any?, _ theirs: Any?, _ label: String) {
        let x = mine as? [String: Any] ?? [:], y = theirs as? [String: Any] ?? [:]
        for field in ["value", "lower", "upper"] { expectNumber(x[field], y[field], "\(label) \(field)") }
    }

    /// Equal to 1e-12 (both sides compute the same sums; only the last bits of a percentile's
    /// interpolation may differ); absent and JSON null are the same.
    private func expectNumber(_ mine: Any?, _ theirs: Any?, _ label: String) {
        let x = (mine as? NSNumber)?.doubleValue, y = (theirs as? NSNumber)?.doubleValue
        if let x, let y {
            #expect(abs(x - y) <= 1e-12, "\(label): \(x) vs \(y)")
        } else {
            #expect(x == nil && y == nil, "\(label): \(String(describing: x)) vs \(String(describing: y))")
        }
    }
}
