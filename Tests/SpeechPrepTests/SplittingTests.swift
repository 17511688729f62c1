import Foundation
import SpeechPrep
import Testing
import TestSupport

@Suite("Splitting files into pieces")
struct SplittingTests {
    /// A sweep from sox, so every piece's samples are distinct and checkable.
    private func makeSweep(seconds: Double, rate: Int = 16_000, channels: Int = 1, in directory: TemporaryDirectory, name: String = "talk.wav") throws -> String {
        let path = directory.file(name)
        let result = try ExternalTool.run([
            "sox", "-n", "-r", String(rate), "-c", String(channels), "-b", "16", path,
            "synth", String(seconds), "sine", "100-4000", "vol", "0.5",
        ])
        try #require(result.status == 0)
        return path
    }

    @Test("A 37.5 s file in 5 s pieces: 8 files, exact samples, sortable ids")
    func fixedLengthPieces() throws {
        let directory = try TemporaryDirectory(prefix: "split")
        let source = try makeSweep(seconds: 37.5, channels: 2, in: directory)
        let segmenter = try FixedLengthSegmenter(sampleRate: 16_000, lengthSeconds: 5)
        let splitter = SegmentSplitter(outputDirectory: directory.file("pieces"), chunkFrames: 7_001)
        let records = try splitter.split(file: source, segmenter: segmenter)

        #expect(records.map(\.id) == (0..<8).map { "talk_000\($0)" })
        #expect(records.map(\.offset) == [0, 5, 10, 15, 20, 25, 30, 35])
        #expect(records.map(\.duration) == [5, 5, 5, 5, 5, 5, 5, 2.5])
        #expect(records.map(\.id) == records.map(\.id).sorted())

        let whole = try AudioFile.read(source)
        for record in records {
            let piece = try AudioFile.read(record.audioPath)
            #expect(piece.format == whole.format)
            #expect(piece == whole.frames(record.segment.frameRange), "\(record.id) differs from its slice of the source")
        }
        // Only the pieces are left in the folder: no temporary files.
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.file("pieces")).sorted()
        #expect(names == records.map { "\($0.id).wav" })
    }

    @Test("Overlapping pieces are each written whole")
    func overlappingPieces() throws {
        let directory = try TemporaryDirectory(prefix: "split")
        let source = try makeSweep(seconds: 12, rate: 8_000, in: directory)
        let segmenter = try FixedLengthSegmenter(sampleRate: 8_000, lengthSeconds: 4, hopSeconds: 1.5)
        let records = try SegmentSplitter.split(file: source, segmenter: segmenter, outputDirectory: directory.file("out"), fileType: .flac16)
        #expect(records.map(\.offset) == [0, 1.5, 3, 4.5, 6, 7.5, 9])
        let whole = try AudioFile.read(source)
        for record in records {
            #expect(try AudioFile.read(record.audioPath) == whole.frames(record.segment.frameRange))
        }
    }

    @Test("Silence-aware pieces of espeak-ng speech, with NeMo and Kaldi manifests")
    func silencePiecesAndManifests() throws {
        let directory = try TemporaryDirectory(prefix: "split")
        var parts: [String] = []
        for (index, text) in ["Good morning everyone", "Thank you for coming today", "Let us begin"].enumerated() {
            let spoken = directory.file("s\(index).wav")
            try ExternalTool.run(["espeak-ng", "-w", spoken, text])
            let resampled = directory.file("r\(index).wav")
            try #require(ExternalTool.run(["sox", spoken, "-r", "16000", "-b", "16", resampled, "pad", "0", "0.6"]).status == 0)
            parts.append(resampled)
        }
        let source = directory.file("morning talk.wav")
        try #require(ExternalTool.run(["sox"] + parts + [source]).status == 0)

        let segmenter = try SilenceSegmenter(sampleRate: 16_000)
        let records = try SegmentSplitter.split(file: source, segmenter: segmenter, outputDirectory: directory.file("pieces"))
        #expect(records.map(\.id) == ["morning_talk_0000", "morning_talk_0001", "morning_talk_0002"])

        let nemo = directory.file("manifest.jsonl")
        try SegmentSplitter.writeNeMoManifest(records, to: nemo)
        let lines = try String(contentsOfFile: nemo, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        for (line, record) in zip(lines, records) {
            let object = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["audio_filepath"] as? String == source)
            #expect(abs((object["offset"] as? Double ?? -1) - record.offset) < 1e-6)
            #expect(abs((object["duration"] as? Double ?? -1) - record.duration) < 1e-6)
        }

        let kaldi = directory.file("kaldi")
        try SegmentSplitter.writeKaldiDataDirectory(records, to: kaldi)
        let segments = try String(contentsOfFile: "\(kaldi)/segments", encoding: .utf8).split(separator: "\n")
        #expect(segments.count == 3)
        for (line, record) in zip(segments, records) {
            let fields = line.split(separator: " ")
            #expect(fields.count == 4)
            #expect(String(fields[0]) == record.id)
            #expect(String(fields[1]) == "morning_talk")
            #expect(abs((Double(fields[2]) ?? -1) - record.offset) < 1e-6)
            #expect(abs((Double(fields[3]) ?? -1) - (record.offset + record.duration)) < 1e-6)
        }
        let scp = try String(contentsOfFile: "\(kaldi)/wav.scp", encoding: .utf8)
        #expect(scp == "morning_talk \(source)\n")
    }

    @Test("Errors name the file and the cause")
    func errors() throws {
        let directory = try TemporaryDirectory(prefix: "split")
        let source = try makeSweep(seconds: 1, rate: 22_050, in: directory)
        let segmenter = try FixedLengthSegmenter(sampleRate: 16_000, lengthSeconds: 1)
        let mismatch = #expect(throws: SegmentationError.self) {
            _ = try SegmentSplitter.split(file: source, segmenter: segmenter, outputDirectory: directory.path)
        }
        #expect(mismatch?.code == .sampleRateMismatch)
        #expect(mismatch?.subject == source)

        let missing = directory.file("missing.wav")
        let notFound = #expect(throws: SegmentationError.self) {
            _ = try SegmentSplitter.split(file: missing, segmenter: segmenter, outputDirectory: directory.path)
        }
        #expect(notFound?.code == .ioFailure)
        #expect(notFound?.description.hasPrefix(missing) == true)
    }
}
