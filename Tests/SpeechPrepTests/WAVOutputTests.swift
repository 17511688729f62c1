import Foundation
import Testing
import TestSupport

/// Every WAV the project writes — `convert`, `prepare`, `transcribe --write-audio`, `split`,
/// and the clip files handed to command recognisers — opens in Python's `wave`, pocketsphinx,
/// soxi, ffprobe, libsndfile and a Kaldi-style strict header check.
@Suite("Every WAV SpeechPrep writes opens in every common reader")
struct WAVOutputTests {
    static let clip = "\(CLI.sample)/clips/common_voice_en_40000001.mp3"

    /// Checks every `.wav` in a folder; there must be at least `minimum`.
    func expectReadable(in folder: String, minimum: Int) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".wav") }
        #expect(names.count >= minimum, "\(folder) has \(names.count) WAV files")
        for name in names {
            #expect(WAVReaders.problems("\(folder)/\(name)") == [], "\(name)")
        }
    }

    @Test("convert, in each WAV sample format")
    func convert() throws {
        let tmp = try TemporaryDirectory()
        for format in ["wav16", "wav24", "wav32Float"] {
            let run = try CLI.run(["convert", Self.clip, tmp.file("\(format).wav"), "--format", format, "--rate", "16000", "--channels", "1"])
            #expect(run.status == 0, "\(run.stderr)")
        }
        try expectReadable(in: tmp.path, minimum: 3)
    }

    @Test("prepare and transcribe --write-audio (the pipeline's dataset WAVs)")
    func pipeline() throws {
        let tmp = try TemporaryDirectory()
        let prepared = try CLI.run(["prepare", CLI.sample, "--split", "dev", "--limit", "3", "--out", tmp.file("prepared"), "-q"])
        #expect(prepared.status == 0, "\(prepared.stderr)")
        try expectReadable(in: tmp.file("prepared/wavs"), minimum: 3)
        let transcribed = try CLI.run(
            ["transcribe", CLI.sample, "--split", "dev", "--limit", "2", "--out", tmp.file("transcribed"), "--write-audio", "-q"]
                + LimitAndChunkTests.echoEngine)
        #expect(transcribed.status == 0, "\(transcribed.stderr)")
        try expectReadable(in: tmp.file("transcribed/wavs"), minimum: 2)
    }

    @Test("split pieces, fixed-length and silence-bounded")
    func split() throws {
        let tmp = try TemporaryDirectory()
        let fixed = try CLI.run(["split", Self.clip, "--out", tmp.file("fixed"), "--length", "1"])
        #expect(fixed.status == 0, "\(fixed.stderr)")
        try expectReadable(in: tmp.file("fixed"), minimum: 2)
        let silence = try CLI.run(["split", Self.clip, "--out", tmp.file("silence"), "--silence"])
        #expect(silence.status == 0, "\(silence.stderr)")
        try expectReadable(in: tmp.file("silence"), minimum: 1)
    }

    @Test("The clip files a command recogniser is given")
    func commandClips() throws {
        let tmp = try TemporaryDirectory()
        let kept = tmp.file("kept")
        try FileManager.default.createDirectory(atPath: kept, withIntermediateDirectories: true)
        // The recogniser keeps a copy of each clip it is handed, under a name of its own.
        let engine = ["--engine", "command", "--command", "/bin/sh", "--command=-c",
                      "--command", "cp \"$1\" \"\(kept)/$$.wav\" && echo words", "--command", "sh", "--command", "{wav}"]
        let run = try CLI.run(["transcribe", CLI.sample, "--split", "dev", "--limit", "3", "--out", tmp.file("out"), "-q"] + engine)
        #expect(run.status == 0, "\(run.stderr)")
        try expectReadable(in: kept, minimum: 3)
    }
}
