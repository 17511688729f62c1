import Foundation
@testable import Reporting
import Scoring
import Testing
import TestSupport

@Suite struct ReportTests {
    /// SplitMix64's published outputs for seed 0 (the reference Python draws the same).
    @Test func splitMix64MatchesItsPublishedSequence() {
        var generator = SplitMix64(seed: 0)
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
        #expect(generator.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(generator.next() == 0x06C4_5D18_8009_454F)
    }

    /// The bootstrap's division-free remainder equals `%` (edge values and random ones).
    @Test func fastModulusEqualsTheRemainder() {
        var random = SeededRandom(seed: 9)
        for divisor in [1, 2, 3, 7, 200, 99_999, 100_000, 1 << 31, UInt64.max / 3, UInt64.max] as [UInt64] {
            let modulus = FastModulus(divisor)
            for x in [0, 1, divisor &- 1, divisor, UInt64.max, UInt64.max - 1] + (0..<2_000).map({ _ in random.next() }) {
                #expect(modulus.remainder(x) == x % divisor, "\(x) mod \(divisor)")
            }
        }
    }

    static let hostile = [
        ReportItem(
            id: "<script>document.title='pwned'</script>", audioPath: "clips/a b#1.wav", duration: 1.5,
            reference: "say \"<img src=x onerror=alert(1)>\" now", hypothesis: "say <b>bold</b> now",
            metadata: ["gender": "\"><script>alert(2)</script>", "accents": "עברית مرحبا"]),
        ReportItem(
            id: "中文'quote", audioPath: "/abs/clip.wav", duration: 3, reference: "你好 世界 hello", hypothesis: "你好 hello",
            metadata: ["gender": "female", "accents": "日本語"]),
    ]

    @Test func hostileTextIsEscapedInTheHTML() throws {
        var options = ReportOptions()
        options.minimumSliceSize = 1
        options.resamples = 50
        let report = try Report(run: RunResults(directory: "/runs/x", items: Self.hostile), options: options)
        let html = report.html(title: "<script>title</script>", htmlDirectory: "/runs")
        #expect(!html.contains("<script>document.title"))
        #expect(!html.contains("<script>alert"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("<b>bold"))
        #expect(html.contains("&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;"))
        #expect(html.contains("&quot;&gt;&lt;script&gt;alert(2)"))
        #expect(html.contains("עברית مرحبا"))
        #expect(html.contains("中文&#39;quote"))
        // Exactly one script element: the page's own sorting and filtering.
        #expect(html.components(separatedBy: "<script").count == 2)
        // Audio links are relative to the page and percent-encoded.
        #expect(html.contains("src=\"x/clips/a%20b%231.wav\""))
        #expect(html.contains("src=\"../abs/clip.wav\""))
    }

    @Test func missingMetadataColumnsGiveNotesNotCrashes() throws {
        let items = (0..<30).map { k in
            ReportItem(id: "u\(k)", audioPath: "wavs/u\(k).wav", duration: nil, reference: "one two three", hypothesis: k % 3 == 0 ? "one two" : "one two three")
        }
        let report = try Report(run: RunResults(directory: "run", items: items))
        #expect(report.slicings.isEmpty)
        #expect(report.notes.contains { $0.contains("'gender'") })
        #expect(report.notes.contains { $0.contains("duration") })
        #expect(report.html().contains("No utterance has a &#39;gender&#39; column"))
        #expect(report.wer.value == 10.0 / 90.0)
        #expect(report.deletions.map(\.word) == ["three"] && report.deletions.map(\.count) == [10])
    }

    @Test func aRunWithoutTranscriptsIsRefusedByName() throws {
        let tmp = try TemporaryDirectory()
        try Data("{\"audio_filepath\": \"a.wav\", \"duration\": 1.000, \"text\": \"hi\"}\n".utf8)
            .write(to: URL(fileURLWithPath: tmp.file("manifest.jsonl")))
        #expect {
            try RunResults(directory: tmp.path)
        } throws: { error in
            (error as? ReportingError)?.code == .invalidRun && "\(error)".contains("pred_text")
        }
    }

    /// The page lists only the worst utterances, the largest slices and a sample of the
    /// scatter, so its size does not grow with the run (the JSON keeps every utterance). Ten
    /// times the utterances give a page of about the same size, far under 5 MB; the release
    /// benchmark (`Scripts/bench-report.sh`) measures the page of a 100,000-utterance run.
    @Test func htmlSizeDoesNotGrowWithTheRun() throws {
        func page(_ count: Int) throws -> (html: Int, utterances: Int) {
            var random = SeededRandom(seed: 17)
            let vocabulary = ["the", "cat", "sat", "on", "a", "mat", "with", "hat", "and", "bat", "ran", "far"]
            let items = (0..<count).map { k in
                let words = (0..<8).map { _ in vocabulary.randomElement(using: &random)! }
                var hypothesis = words
                hypothesis[Int.random(in: 0..<8, using: &random)] = vocabulary.randomElement(using: &random)!
                return ReportItem(
                    id: "utt\(k)", audioPath: "wavs/utt\(k).wav", duration: Double.random(in: 0.5...25, using: &random),
                    reference: words.joined(separator: " "), hypothesis: hypothesis.joined(separator: " "),
                    metadata: ["speaker": "s\(k % 3000)", "gender": k % 2 == 0 ? "male" : "female", "age": "a\(k % 7)"])
            }
            var options = ReportOptions()
            options.resamples = 10
            let report = try Report(run: RunResults(directory: "run", items: items), options: options)
            return (report.html().utf8.count, report.utterances.count)
        }
        let small = try page(2_000), large = try page(20_000)
        #expect(large.utterances == 20_000)
        #expect(Double(large.html) < Double(small.html) * 1.25, "\(small.html) → \(large.html) bytes")
        #expect(large.html < 1_000_000)
    }
}
