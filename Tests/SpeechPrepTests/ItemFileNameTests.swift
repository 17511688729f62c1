import Foundation
import SpeechPrep
import TestSupport
import Testing

/// Distinct items never share a file: ids that differ only in `/` versus `__`, in case, or in
/// Unicode normalisation each get their own WAV, holding their own audio.
@Suite struct ItemFileNameTests {
    /// NFC "é" (one scalar) and NFD "é" (e + combining acute): equal as Swift strings.
    static let nfc = "caf\u{E9}", nfd = "cafe\u{301}"
    /// Relative paths (without extension) that all used to be — or could be — confused.
    static let trickyIDs = ["x/y", "x__y", "Case", "case", nfc, nfd, "%41", "A", "x%2Fy"]

    @Test func theMappingIsInjectiveAndKeepsCommonIDs() {
        #expect(Self.nfc == Self.nfd, "Swift compares them as equal; the bytes differ")
        let paths = Self.trickyIDs.map(PipelineConfiguration.convertedAudioPath(forID:))
        #expect(Set(paths.map { Array($0.utf8) }).count == Self.trickyIDs.count)
        #expect(PipelineConfiguration.convertedAudioPath(forID: "x/y") == "wavs/x%2Fy.wav")
        #expect(PipelineConfiguration.convertedAudioPath(forID: "x%2Fy") == "wavs/x%252Fy.wav")
        #expect(PipelineConfiguration.convertedAudioPath(forID: ".hidden") == "wavs/%2Ehidden.wav")
        for id in ["common_voice_en_40000001", "1089-134686-0000", "x__y", "Case", Self.nfd] {
            #expect(PipelineConfiguration.convertedAudioPath(forID: id).utf8.elementsEqual("wavs/\(id).wav".utf8))
        }
        // Random ids over an alphabet of the bytes that matter never collide.
        var random = SeededRandom(seed: 7)
        let alphabet = ["a", "A", "/", "_", "%", ".", "2", "F", "\u{E9}", "e\u{301}", "\n"]
        var byPath: [[UInt8]: [UInt8]] = [:]
        for _ in 0..<20_000 {
            let id = (0..<Int.random(in: 1...6, using: &random)).map { _ in alphabet.randomElement(using: &random)! }.joined()
            let path = Array(PipelineConfiguration.convertedAudioPath(forID: id).utf8)
            if let other = byPath[path] { #expect(other == Array(id.utf8), "two ids share \(String(decoding: path, as: UTF8.self))") }
            byPath[path] = Array(id.utf8)
            #expect(!path.contains(UInt8(ascii: "\n")) && path.filter { $0 == UInt8(ascii: "/") }.count == 1)
        }
    }

    @Test func eachTrickyItemGetsItsOwnWAVAcrossWorkersAndShards() throws {
        let directory = try TemporaryDirectory(prefix: "names")
        let clips = try FileManager.default.contentsOfDirectory(atPath: "\(CLI.sample)/clips").sorted()
        // The same clips twice: under tricky names, and under plain ones as the reference.
        let tricky = directory.file("tricky"), plain = directory.file("plain")
        for (number, id) in Self.trickyIDs.enumerated() {
            let target = "\(tricky)/\(id).mp3"
            try FileManager.default.createDirectory(
                atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: "\(CLI.sample)/clips/\(clips[number])", toPath: target)
            try FileManager.default.createDirectory(atPath: plain, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: "\(CLI.sample)/clips/\(clips[number])", toPath: "\(plain)/f\(number).mp3")
        }
        let fast = ["--rate", "48000", "-q"]
        #expect(try CLI.run(["prepare", plain, "--out", directory.file("plain-out")] + fast).status == 0)
        let one = directory.file("one")
        let run = try CLI.run(["prepare", tricky, "--out", one, "--workers", "1"] + fast)
        #expect(run.status == 0, "\(run.stderr)")

        // One manifest line per item, each naming its own file, holding its own clip.
        let manifest = try CLI.lines("\(one)/manifest.jsonl").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])["audio_filepath"] as? String
        }
        #expect(manifest.count == Self.trickyIDs.count)
        #expect(Set(manifest.map { $0.map { Array($0.utf8) } }).count == Self.trickyIDs.count)
        for (number, id) in Self.trickyIDs.enumerated() {
            let wav = CLI.read("\(one)/\(PipelineConfiguration.convertedAudioPath(forID: id))")
            #expect(!wav.isEmpty && wav == CLI.read(directory.file("plain-out/wavs/f\(number).wav")), "\(id)")
        }

        // Byte-identical with two workers, and with two shards sharing a folder and merged.
        let two = directory.file("two")
        #expect(try CLI.run(["prepare", tricky, "--out", two, "--workers", "2"] + fast).status == 0)
        let shards = directory.file("shards")
        for shard in ["0/2", "1/2"] {
            #expect(try CLI.run(["prepare", tricky, "--out", shards, "--shard", shard] + fast).status == 0)
        }
        #expect(try CLI.run(["merge", shards, "--verify"]).status == 0)
        for folder in [two, shards] {
            #expect(CLI.read("\(folder)/manifest.jsonl") == CLI.read("\(one)/manifest.jsonl"))
            for id in Self.trickyIDs {
                let path = PipelineConfiguration.convertedAudioPath(forID: id)
                #expect(CLI.read("\(folder)/\(path)") == CLI.read("\(one)/\(path)"), "\(folder) \(id)")
            }
        }
    }
}
