import AudioCodec
import Foundation
import PCM
import TestSupport
import Testing
import Transcription

#if canImport(Glibc)
import Glibc
#endif

/// CommandTranscriber driving a real shell-script engine, executed directly as argv[0].
@Suite("CommandTranscriber") struct CommandTranscriberTests {
    static let engine = Fixtures.path("transcription/script-engine.sh")
    /// Half a second of a quiet 440 Hz tone at 16 kHz mono.
    static let clip = try! PCMBuffer(
        format: .speech16kMono, interleaved: (0..<8_000).map { 0.1 * sin(Float($0) * 2 * .pi * 440 / 16_000) })

    let folder: TemporaryDirectory
    init() throws { folder = try TemporaryDirectory(prefix: "command-transcriber") }

    func transcriber(_ arguments: [String], timeout: Double = 20, jsonField: String? = nil) throws -> CommandTranscriber {
        try CommandTranscriber(
            arguments: [Self.engine] + arguments, timeoutSeconds: timeout, jsonField: jsonField,
            temporaryDirectory: folder.path)
    }

    /// No clip file may be left behind, whatever happened.
    func expectNoClipLeft() throws {
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".wav") } == [])
    }

    @Test func argumentsSurviveWithoutAShell() throws {
        let tricky = ["two words", "it's \"quoted\"", "$HOME", "*", "; rm -rf /", "back\\slash", ""]
        let transcript = try transcriber(["echo"] + tricky + ["clip={wav}"]).transcribe(Self.clip)
        let lines = transcript.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(Array(lines.dropLast()) == tricky)
        #expect(lines.last?.hasPrefix("clip=\(folder.path)/") == true)
        #expect(transcript.engine == "command:script-engine.sh")
        try expectNoClipLeft()
    }

    @Test func jsonFieldIsTheTranscript() throws {
        let transcript = try transcriber(["json", "{wav}"], jsonField: "result.0.text").transcribe(Self.clip)
        #expect(transcript.text == "hello json")
        try expectNoClipLeft()
    }

    @Test func theProgramGetsA16kMono16BitCopyOfTheClip() throws {
        let copy = folder.file("seen.keep")
        let stereo = try PCMBuffer(
            format: AudioFormat(sampleRate: 48_000, channelCount: 2), interleaved: [Float](repeating: 0.25, count: 48_000 * 2))
        #expect(try transcriber(["copy", "{wav}", copy]).transcribe(stereo).text == "copied")
        let info = try AudioFile.info(copy)
        #expect(info.sampleRate == 16_000 && info.channelCount == 1 && info.bitDepth == 16)
        #expect(info.frameCount == 16_000)
        let samples = try AudioFile.read(copy).samples
        #expect(samples[4_000..<12_000].allSatisfy { abs($0 - 0.25) < 1e-3 })
        try expectNoClipLeft()
    }

    @Test func missingJSONFieldIsAnError() throws {
        #expect { try transcriber(["json", "{wav}"], jsonField: "nope").transcribe(Self.clip) } throws: {
            ($0 as? TranscriptionError)?.code == .invalidOutput
        }
        try expectNoClipLeft()
    }

    @Test func nonZeroExitCarriesTheStderrTail() throws {
        let error = #expect(throws: TranscriptionError.self) { try transcriber(["fail", "{wav}"]).transcribe(Self.clip) }
        #expect(error?.code == .commandFailed)
        #expect(error?.description.contains("status 3") == true)
        #expect(error?.description.contains("acoustic model exploded") == true)
        try expectNoClipLeft()
    }

    @Test(arguments: ["hang", "stubborn"])
    func timeoutKillsTheWholeProcessGroup(mode: String) throws {
        let pidFile = folder.file("pids")
        let started = Date()
        let error = #expect(throws: TranscriptionError.self) {
            try transcriber([mode, "{wav}", pidFile], timeout: 0.5).transcribe(Self.clip)
        }
        #expect(error?.code == .timedOut)
        #expect(Date().timeIntervalSince(started) < 5)
        try expectPidsGone(pidFile)
        try expectNoClipLeft()
    }

    @Test func aGrandchildHoldingTheOutputOpenDoesNotDelayTheResult() throws {
        let pidFile = folder.file("pids")
        let started = Date()
        #expect(try transcriber(["orphan", "{wav}", pidFile], timeout: 30).transcribe(Self.clip).text == "finished")
        #expect(Date().timeIntervalSince(started) < 10)
        try expectPidsGone(pidFile)
        try expectNoClipLeft()
    }

    @Test func cancellationKillsTheChildPromptly() async throws {
        let pidFile = folder.file("pids")
        let engine = try transcriber(["hang", "{wav}", pidFile], timeout: 60)
        // The task notes when it ended: starting it, and awaiting its result, may wait for a
        // free thread when other suites are busy; time only the stop.
        let task = Task { () -> (Result<Transcript, TranscriptionError>, Date) in
            (Result { () throws(TranscriptionError) -> Transcript in try engine.transcribe(Self.clip) }, Date())
        }
        while !FileManager.default.fileExists(atPath: pidFile) { try await Task.sleep(for: .milliseconds(20)) }
        let started = Date()
        task.cancel()
        let (result, ended) = await task.value
        #expect(ended.timeIntervalSince(started) < 5)
        let error = #expect(throws: TranscriptionError.self) { try result.get() }
        #expect(error?.code == .cancelled)
        try expectPidsGone(pidFile)
        try expectNoClipLeft()
    }

    @Test func missingProgramIsALaunchError() throws {
        let engine = try CommandTranscriber(arguments: ["/nonexistent/recogniser", "{wav}"], temporaryDirectory: folder.path)
        #expect { try engine.transcribe(Self.clip) } throws: { ($0 as? TranscriptionError)?.code == .launchFailed }
        try expectNoClipLeft()
    }

    @Test func templateWithoutPlaceholderIsRejected() {
        #expect { try CommandTranscriber(arguments: ["whisper-cli", "clip.wav"]) } throws: {
            ($0 as? TranscriptionError)?.code == .invalidConfiguration
        }
    }

    @Test func factoryConfigurationNamesTheCommandLine() throws {
        let factory = CommandTranscriberFactory(arguments: ["whisper-cli", "-m", "a b.bin", "{wav}"], jsonField: "text")
        #expect(factory.checkpointSettings["arguments"] == #"["whisper-cli","-m","a b.bin","{wav}"]"#)
        #expect(factory.checkpointSettings["engine"] == "command:whisper-cli")
        #expect(factory.checkpointSettings != CommandTranscriberFactory(arguments: ["whisper-cli", "{wav}"]).checkpointSettings)
        #expect(try factory.makeTranscriber().engineName == "command:whisper-cli")
    }

    /// Both the script and its grandchild must be gone (or zombies awaiting their reaper).
    func expectPidsGone(_ pidFile: String) throws {
        let pids = try String(contentsOfFile: pidFile, encoding: .utf8).split(separator: " ").compactMap {
            Int32($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        #expect(pids.count == 2)
        let deadline = Date().addingTimeInterval(2)
        for pid in pids {
            while isRunning(pid) && Date() < deadline { usleep(10_000) }
            #expect(!isRunning(pid), "process \(pid) survived")
        }
    }

    func isRunning(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        return !stat[stat.index(close, offsetBy: 2)...].hasPrefix("Z")
    }
}
