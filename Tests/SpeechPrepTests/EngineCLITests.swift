import Foundation
import SpeechPrep
import TestSupport
import Testing

/// `speechprep transcribe --engine python|worker` as a user runs it, against real children.
/// Serialized: each test blocks a thread of the small cooperative pool for minutes while the
/// CLI runs, and other suites need the rest.
@Suite("Engine workers through the CLI", .serialized)
struct EngineCLITests {
    /// A Python engine that names its clip from the audio (so results depend only on the
    /// clip), fails one item with an exception, and sleeps `delay` seconds per clip.
    static func function(in tmp: TemporaryDirectory, delay: Double = 0) throws -> String {
        let path = tmp.file("gen_asr_\(UUID().uuidString.prefix(8).lowercased()).py")
        try """
            import os, time
            def asr(wav_path, language=None):
                time.sleep(\(delay))
                size = os.path.getsize(wav_path)
                if size % 7 == 3:
                    raise RuntimeError(f"unlucky size {size}")
                return f"{language} {size} bytes"
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Living engine interpreters (the adapter) serving `function`.
    static func processes(marked function: String) throws -> [ProcessRecord] {
        try ProcFS().snapshot().filter {
            $0.commandLine.contains(function) && $0.commandLine.contains(PythonEngineFactory.adapterName)
                && $0.state != .zombie && $0.state != .dead
        }
    }

    /// Waits up to `seconds` for `condition`.
    static func eventually(_ seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            usleep(50_000)
        }
        return try condition()
    }

    @Test func pythonEngineTranscribesRecordsFailuresAndGuardsResume() throws {
        let tmp = try TemporaryDirectory()
        let function = try Self.function(in: tmp)
        let out = tmp.file("out")
        let arguments = ["transcribe", CLI.sample, "--split", "dev", "--out", out, "--engine", "python",
                         "--function", "\(function):asr", "--workers", "2"]
        let run = try CLI.run(arguments)
        #expect(run.status == 0, "\(run.stderr)")
        let results = try #require(
            try JSONSerialization.jsonObject(with: CLI.read("\(out)/results.json")) as? [String: [String: String]])
        let failures = CLI.lines("\(out)/failures.jsonl")
        #expect(results.count + failures.count == 6)
        for record in results.values { #expect(record["asr"]?.hasPrefix("en ") == true, "\(record)") }
        for line in failures {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect((object["error"] as? String)?.contains("RuntimeError: unlucky size") == true, "\(line)")
        }
        #expect(FileManager.default.fileExists(atPath: "\(out)/engine.log"))
        #expect(try Self.processes(marked: function).isEmpty)

        // Another function (or interpreter) is refused on resume.
        let other = try Self.function(in: tmp)
        let changed = try CLI.run(arguments.dropLast(4) + ["--function", "\(other):asr", "--workers", "2"])
        #expect(changed.status == 1)
        #expect(changed.stderr.contains("--fresh"))

        let missing = try CLI.run(["transcribe", CLI.sample, "--split", "dev", "--out", tmp.file("missing"),
                                   "--engine", "worker", "--command", "speechprep-no-such-engine"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("speechprep-no-such-engine"))
        #expect(!FileManager.default.fileExists(atPath: "\(tmp.file("missing"))/results.json"))
    }

    /// A stop finishes the clips in hand and closes the workers' input; a SIGKILL of the
    /// parent leaves workers stuck in a clip that never ends, which only the parent-death
    /// signal can reach.
    @Test func noChildOutlivesAStopOrASIGKILLOfTheParent() throws {
        let tmp = try TemporaryDirectory()
        let folder = try SampleData.audioFolder(in: tmp, copies: 2)
        for (signal, name, delay) in [(SIGTERM, "stop", 0.5), (SIGKILL, "kill", 3_000)] {
            let function = try Self.function(in: tmp, delay: delay)
            let process = try CLI.start(["transcribe", folder, "--out", tmp.file(name), "--engine", "python",
                                         "--function", "\(function):asr", "--workers", "2"])
            #expect(try Self.eventually(30) { try Self.processes(marked: function).count == 2 }, "two workers started")
            kill(process.pid, signal)
            process.wait()
            #expect(try Self.eventually(5) { try Self.processes(marked: function).isEmpty }, "\(name): children left")
        }
    }

    @Test func pythonEngineResumesAfterSIGKILLToByteIdenticalOutputs() throws {
        let tmp = try TemporaryDirectory()
        let function = try Self.function(in: tmp, delay: 0.05)
        let folder = try SampleData.audioFolder(in: tmp, copies: 3)
        let reference = tmp.file("reference"), crashed = tmp.file("crashed")
        let arguments = ["transcribe", folder, "--engine", "python", "--function", "\(function):asr", "--workers", "2"]
        let start = Date()
        let clean = try CLI.run(arguments + ["--out", reference])
        #expect(clean.status == 0, "\(clean.stderr)")
        let cleanMicroseconds = Date().timeIntervalSince(start) * 1e6
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2 {
            let process = try CLI.start(arguments + ["--out", crashed])
            usleep(UInt32(Double.random(in: 0.3...0.8, using: &generator) * cleanMicroseconds))
            kill(process.pid, SIGKILL)
            process.wait()
        }
        #expect(try Self.eventually(5) { try Self.processes(marked: function).isEmpty })
        let finish = try CLI.run(arguments + ["--out", crashed])
        #expect(finish.status == 0, "\(finish.stderr)")
        for name in ["results.json", "manifest.jsonl", "failures.jsonl"] {
            #expect(CLI.read("\(crashed)/\(name)") == CLI.read("\(reference)/\(name)"), "\(name) differs")
        }
        #expect(CLI.lines("\(reference)/manifest.jsonl").count + CLI.lines("\(reference)/failures.jsonl").count == 37)
    }
}
