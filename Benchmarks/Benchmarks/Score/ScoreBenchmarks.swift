import Benchmark
import SpeechPrep

/// Deterministic sentence pairs like Scripts/compare-jiwer.sh's: words from a Zipf-like
/// vocabulary, hypotheses with about 15 % word errors.
struct PairCorpus {
    var references: [String] = []
    var hypotheses: [String] = []

    init(count: Int, chinese: Bool = false) {
        var state: UInt64 = 7
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let letters = Array("abcdefghijklmnopqrstuvwxyz".unicodeScalars)
        let hanzi = Array("我你佢係唔喺咗嘅冇好今日天氣香港人講廣東話中文學生老師朋友食飯返工".unicodeScalars)
        let vocabulary = (0..<5_000).map { _ -> String in
            var word = String.UnicodeScalarView()
            for _ in 0..<(chinese ? 1 + next(2) : 1 + next(9)) {
                word.append(chinese ? hanzi[next(hanzi.count)] : letters[next(letters.count)])
            }
            return String(word)
        }
        func word() -> String { vocabulary[min(next(600) * next(8) / 2, vocabulary.count - 1)] }
        let separator = chinese ? "" : " "
        for _ in 0..<count {
            let reference = (0..<(4 + next(17))).map { _ in word() }
            var hypothesis: [String] = []
            for token in reference {
                switch next(100) {
                case 0..<5: continue
                case 5..<12: hypothesis.append(word())
                case 12..<15: hypothesis += [token, word()]
                default: hypothesis.append(token)
                }
            }
            references.append(reference.joined(separator: separator))
            hypotheses.append(hypothesis.joined(separator: separator))
        }
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .instructions, .mallocCountTotal, .peakMemoryResident],
        maxDuration: .seconds(3), maxIterations: 20)

    let english = PairCorpus(count: 10_000)
    let chinese = PairCorpus(count: 10_000, chinese: true)

    Benchmark("WER, 10,000 sentence pairs") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try score(references: english.references, hypotheses: english.hypotheses, unit: .word).wer)
        }
    }
    Benchmark("CER, 10,000 sentence pairs") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try score(references: english.references, hypotheses: english.hypotheses, unit: .character).cer)
        }
    }
    Benchmark("CER ignoring white space, 10,000 Chinese pairs") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(
                try score(references: chinese.references, hypotheses: chinese.hypotheses, unit: .characterIgnoringWhitespace).cer)
        }
    }
    Benchmark("WER with alignments (op sequences), 10,000 sentence pairs") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(
                try score(references: english.references, hypotheses: english.hypotheses, includeAlignments: true).wer)
        }
    }
}
