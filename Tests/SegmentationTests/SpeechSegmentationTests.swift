import Foundation
import PCM
import Segmentation
import Testing
import TestSupport

/// Silence splitting on real speech: espeak-ng sentences joined by pauses of known length, and
/// recordings from Debian's pocketsphinx-testdata package.
@Suite("Silence-aware segmentation of real speech")
struct SpeechSegmentationTests {
    static let texts = [
        "The quick brown fox jumps over the lazy dog",
        "Speech datasets need clean segment boundaries",
        "Every pause between two sentences should become a split",
        "Please call Stella and ask her to bring these things with her from the store",
        "The rainbow is a division of white light into many beautiful colors",
        "Nobody knows how long the meeting will last",
    ]
    static let pauses = [0.3, 0.45, 0.7, 1.2, 0.35]
    static let tolerance = 0.050

    /// The sentences, made once and shared by the tests of this suite.
    static let speech: Result<SpokenSentences, any Error> = Result {
        let directory = try TemporaryDirectory(prefix: "segment-speech")
        return try SpokenSentences(texts, pauses: pauses, in: directory)
    }

    @Test("Finds every pause ≥ 300 ms within 50 ms and never cuts a sentence", arguments: [nil, 20] as [Float?])
    func pausesFound(snrDB: Float?) throws {
        let speech = try Self.speech.get()
        let samples = snrDB.map { speech.withNoise(snrDB: $0, seed: 42) } ?? speech.samples
        var segmenter = try SilenceSegmenter(sampleRate: 16_000, parameters: .init(paddingSeconds: 0))
        let segments = try segmenter.segments(of: monoBuffer(samples))
        let rate = Double(SpokenSentences.rate)
        let truth = speech.sentences.map { (Double($0.lowerBound) / rate, Double($0.upperBound) / rate) }
        let found = segments.map { ($0.startSeconds, $0.endSeconds) }
        #expect(segments.count == truth.count, "found \(found), truth \(truth)")
        for (segment, sentence) in zip(found, truth) {
            #expect(abs(segment.0 - sentence.0) <= Self.tolerance, "start \(segment.0) vs truth \(sentence.0)")
            #expect(abs(segment.1 - sentence.1) <= Self.tolerance, "end \(segment.1) vs truth \(sentence.1)")
        }
        // No cut inside a sentence: every sentence (less the tolerance at its edges) lies
        // within one segment.
        for sentence in truth {
            let inner = (sentence.0 + Self.tolerance)...(sentence.1 - Self.tolerance)
            #expect(found.contains { $0.0 <= inner.lowerBound && inner.upperBound <= $0.1 }, "sentence \(sentence) was cut: \(found)")
        }
    }

    @Test("With the default padding every sentence lies wholly inside one segment")
    func defaultPaddingContainsSentences() throws {
        let speech = try Self.speech.get()
        var segmenter = try SilenceSegmenter(sampleRate: 16_000)
        let segments = try segmenter.segments(of: monoBuffer(speech.withNoise(snrDB: 20, seed: 9)))
        for sentence in speech.sentences {
            #expect(segments.contains { $0.startFrame <= sentence.lowerBound && sentence.upperBound <= $0.endFrame })
        }
    }

    @Test("Forced splits of long speech fall in quiet gaps, not inside loud sounds")
    func forcedSplitsAreQuiet() throws {
        let directory = try TemporaryDirectory(prefix: "segment-long")
        let speech = try SpokenSentences(
            ["the rainbow is a division of white light into many beautiful colors these take the shape of a long round arch with its path high above and its two ends apparently beyond the horizon"],
            pauses: [], in: directory)
        let parameters = SilenceSegmenter.Parameters(maximumSegmentSeconds: 4, splitSearchSeconds: 2)
        var segmenter = try SilenceSegmenter(sampleRate: 16_000, parameters: parameters)
        let segments = try segmenter.segments(of: monoBuffer(speech.samples))
        let forced = zip(segments, segments.dropFirst()).filter { $0.endFrame == $1.startFrame }.map(\.0.endFrame)
        #expect(forced.count >= 2, "a \(speech.samples.count / 16_000) s sentence with a 4 s maximum must be split")
        #expect(segments.allSatisfy { $0.durationSeconds <= 4 })

        // Loudness of 50 ms windows across the sentence; a split must sit in the quietest fifth.
        func level(around frame: Int) -> Float {
            let window = speech.samples[max(0, frame - 400)..<min(speech.samples.count, frame + 400)]
            return window.reduce(0) { $0 + $1 * $1 } / Float(window.count)
        }
        let sentence = speech.sentences[0]
        let levels = stride(from: sentence.lowerBound, to: sentence.upperBound, by: 160).map(level(around:)).sorted()
        let quietFifth = levels[levels.count / 5]
        for split in forced {
            #expect(level(around: split) <= quietFifth, "split at \(Double(split) / 16_000) s is in a loud stretch")
        }
    }

    static let pocketsphinxData = "/usr/share/pocketsphinx/test/data"

    @Test("Segments of pocketsphinx test recordings contain all the speech", arguments: [
        ["-t", "raw", "-r", "16000", "-e", "signed", "-b", "16", "-c", "1", "\(pocketsphinxData)/goforward.raw"],
        ["\(pocketsphinxData)/librivox/sense_and_sensibility_01_austen_64kb-0870.wav"],
        ["\(pocketsphinxData)/librivox/sense_and_sensibility_01_austen_64kb-0930.wav"],
    ])
    func recordingsKeepAllSpeech(soxInput: [String]) throws {
        let samples = try readWithSox(soxInput)
        var segmenter = try SilenceSegmenter(sampleRate: 16_000)
        let segments = try segmenter.segments(of: monoBuffer(samples))
        #expect(!segments.isEmpty)
        // Speech, by a generous reference rule: every 10 ms frame within 30 dB of the loudest.
        let frame = 160
        let levels = stride(from: 0, to: samples.count - frame, by: frame).map { start in
            samples[start..<(start + frame)].reduce(0) { $0 + $1 * $1 } / Float(frame)
        }
        let loudest = levels.max() ?? 0
        let speechFrames = levels.indices.filter { levels[$0] > loudest / 1_000 }
        let missed = speechFrames.filter { index in
            !segments.contains { $0.startFrame <= index * frame && (index + 1) * frame <= $0.endFrame }
        }
        #expect(missed.isEmpty, "speech frames outside every segment: \(missed.map { Double($0 * frame) / 16_000 }) segments: \(segments.map { ($0.startSeconds, $0.endSeconds) })")
    }
}
