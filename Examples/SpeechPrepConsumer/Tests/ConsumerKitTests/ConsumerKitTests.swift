import ConsumerKit
import Foundation
import SpeechPrep
import SpeechPrepTesting
import Testing

@Suite struct ConsumerKitTests {
    @Test("The custom recogniser counts speech-like bursts, through SpeechInput at any rate")
    func countsBursts() throws {
        let stereo = try AudioFormat(sampleRate: 44_100, channelCount: 2)
        let (clip, bursts) = TestSignal.speechLikeBursts(seconds: 6, format: stereo, seed: 11)
        let transcript = try SoundCounter().transcribe(clip)
        #expect(transcript.text.split(separator: " ").count == bursts.count)
        #expect(try SoundCounter().transcribe(TestSignal.silence(seconds: 1)).text == "")
    }

    @Test("prepareDataset writes WAVs that Python's wave module opens")
    func preparesAFolder() async throws {
        let folder = try TemporaryDirectory(prefix: "consumer")
        try FileManager.default.createDirectory(atPath: folder.file("in"), withIntermediateDirectories: true)
        try AudioFixture.writeFLAC(TestSignal.sine(frequency: 200, seconds: 1), to: folder.file("in/tone.flac"))
        try AudioFixture.writeWAV(TestSignal.noise(seconds: 0.5, format: try AudioFormat(sampleRate: 48_000, channelCount: 2)), to: folder.file("in/noise.wav"))
        let summary = try await prepareDataset(from: folder.file("in"), to: folder.file("out"))
        #expect(summary.failed == 0)
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = ["python3", "-c", "import sys, wave\nfor p in sys.argv[1:]: print(wave.open(p).getnframes())",
                           folder.file("out/wavs/tone.wav"), folder.file("out/wavs/noise.wav")]
        let pipe = Pipe()
        check.standardOutput = pipe
        try check.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        check.waitUntilExit()
        #expect(check.terminationStatus == 0)
        #expect(output == "16000\n8000\n")
    }

    @Test("The pipeline runs the bundled sample with the custom and a scripted recogniser")
    func sampleRelease() async throws {
        let folder = try TemporaryDirectory(prefix: "consumer")
        var configuration = PipelineConfiguration(
            input: .commonVoice(path: SampleRelease.path, split: "dev"), outputDirectory: folder.file("counted"))
        configuration.transcriber = SoundCounterFactory()
        configuration.workerCount = 2
        let counted = try await Pipeline(configuration).run()
        #expect(counted.processed == 6 && counted.failed == 0)

        let scripted = ScriptedTranscriberFactory(steps: [.text("hello"), .failure(.engineFailed, "scripted failure")])
        configuration.outputDirectory = folder.file("scripted")
        configuration.transcriber = scripted
        configuration.workerCount = 1
        let summary = try await Pipeline(configuration).run()
        #expect(summary.failed == 3)
        #expect(scripted.callCount == 6)
    }
}
