import Foundation
import PCM
import ProcessProbe
import TestSupport
import Testing
import Transcription

/// Real children speaking the engine worker protocol: shell scripts and the bundled Python
/// adapter running real Python functions.
@Suite("Engine workers")
struct EngineWorkerTests {
    /// A quarter second of a 440 Hz tone at 48 kHz stereo (the engine converts it).
    static let clip: PCMBuffer = {
        let frames = 12_000
        let samples = (0..<frames).flatMap { index -> [Float] in
            let value = 0.25 * sin(2 * Float.pi * 440 * Float(index) / 48_000)
            return [value, value]
        }
        return try! PCMBuffer(format: AudioFormat(sampleRate: 48_000, channelCount: 2), interleaved: samples)
    }()

    /// Writes an executable shell worker that answers `clip <n> <id>` and runs `misbehave`
    /// (shell code that may use `$n` and `$id`) before each answer.
    static func shellWorker(in directory: TemporaryDirectory, misbehave: String = "") throws -> String {
        let path = directory.file("worker-\(UUID().uuidString).sh")
        let script = """
            #!/bin/sh
            echo "loading" >&2
            echo '{"ready": true, "engine": "shell", "protocol": 1}'
            n=0
            while IFS= read -r line; do
                n=$((n + 1))
                id=$(printf '%s' "$line" | sed -n 's/.*"id":"\\([^"]*\\)".*/\\1/p')
                \(misbehave)
                printf '{"id":"%s","text":" clip %s %s "}\\n' "$id" "$n" "$id"
            done
            """
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return path
    }

    /// Writes a Python module and returns `path:function`.
    static func pythonFunction(in directory: TemporaryDirectory, _ source: String, name: String = "asr") throws -> String {
        let path = directory.file("engine_\(UUID().uuidString.prefix(8).lowercased()).py")
        try source.write(toFile: path, atomically: true, encoding: .utf8)
        return "\(path):\(name)"
    }

    /// Processes of a group still alive.
    static func living(group: Int32) throws -> [ProcessRecord] {
        try ProcFS().snapshot().filter { $0.processGroup == group && $0.state != .zombie && $0.state != .dead }
    }

    /// Children of this test process whose command line mentions `marker`.
    static func children(marked marker: String) throws -> [ProcessRecord] {
        try ProcFS().snapshot().filter {
            $0.commandLine.contains(marker) && $0.state != .zombie && $0.state != .dead && $0.pid != getpid()
        }
    }

    static func code(_ body: () throws -> Void) -> TranscriptionError.Code? {
        do { try body() } catch let error as TranscriptionError { return error.code } catch { return nil }
        return nil
    }

    @Test("a Python function is called once per clip in one interpreter, with id and language")
    func pythonFunction() throws {
        let tmp = try TemporaryDirectory()
        let function = try Self.pythonFunction(in: tmp, """
            import os, wave
            calls = 0
            def speechprep_init(options):
                global prefix
                prefix = options["prefix"]
            def asr(wav_path, language=None):
                global calls
                calls += 1
                print("user output goes to stderr")
                with open(wav_path, "rb") as f:
                    header = f.read(12)
                assert header[:4] == b"RIFF" and header[8:12] == b"WAVE", header
                frames = (os.path.getsize(wav_path) - 44) // 2
                return {"text": f"{prefix} {calls} {os.getpid()} {language}", "language": language or "xx",
                        "words": [{"word": "w", "start": 0, "end": 0.25}]}
            """)
        let factory = try PythonEngineFactory(
            function: function, initOptions: ["prefix": "hello"], logPath: tmp.file("engine.log"),
            scratchParent: tmp.path)
        #expect(factory.engineName == "python:asr")
        #expect(factory.checkpointSettings["function"] == function)
        #expect(factory.checkpointSettings["init"] == #"{"prefix":"hello"}"#)
        var pid = ""
        do {
            let engine = try factory.makeTranscriber()
            for index in 1...3 {
                let transcript = try engine.transcribe(Self.clip, context: ClipContext(id: "item\(index)", language: "en"))
                let fields = transcript.text.split(separator: " ")
                #expect(fields.count == 4)
                #expect(fields[0] == "hello" && fields[1] == "\(index)" && fields[3] == "en")
                if index > 1 { #expect(String(fields[2]) == pid, "one interpreter for every clip") }
                pid = String(fields[2])
                #expect(transcript.language == "en")
                #expect(transcript.words == [WordTiming(word: "w", startSeconds: 0, endSeconds: 0.25)])
                #expect(transcript.engine == "python:asr")
            }
            #expect(try engine.transcribe(Self.clip).text.hasSuffix(" None"))
            let scratch = try FileManager.default.contentsOfDirectory(atPath: tmp.path).filter { $0.hasPrefix("speechprep-engine-") }
            #expect(scratch.count == 1)
        }
        // Released: the interpreter exited and the scratch folder is gone.
        #expect(try Self.children(marked: function).isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp.path).filter { $0.hasPrefix("speechprep-engine-") }.isEmpty)
        let log = try String(contentsOfFile: tmp.file("engine.log"), encoding: .utf8)
        #expect(log.contains("] user output goes to stderr"))
    }

    @Test("None, a number and an exception fail their clip; the function goes on serving")
    func pythonFailures() throws {
        let tmp = try TemporaryDirectory()
        let function = try Self.pythonFunction(in: tmp, """
            def asr(wav_path):
                asr.n = getattr(asr, "n", 0) + 1
                if asr.n == 1: return None
                if asr.n == 2: return 42
                if asr.n == 3: raise ValueError(f"clip {asr.n} is bad")
                return "fine"
            """)
        let engine = try PythonEngineFactory(function: function, logPath: tmp.file("engine.log")).makeTranscriber()
        var messages: [String] = []
        for _ in 0..<3 {
            do { _ = try engine.transcribe(Self.clip); Issue.record("expected a failure") } catch {
                #expect(error.code == .engineFailed)
                messages.append(error.message)
            }
        }
        #expect(messages == [
            "asr() returned NoneType, expected str or dict with 'text'",
            "asr() returned int, expected str or dict with 'text'",
            "ValueError: clip 3 is bad",
        ])
        #expect(try engine.transcribe(Self.clip).text == "fine")
        let log = try String(contentsOfFile: tmp.file("engine.log"), encoding: .utf8)
        #expect(log.contains("Traceback (most recent call last):"))
    }

    @Test("a worker that crashes on its 3rd clip is restarted and the clip retried")
    func crashIsRetried() throws {
        let tmp = try TemporaryDirectory()
        let script = try Self.shellWorker(in: tmp, misbehave: #"[ "$n" = 3 ] && { echo "dying on clip $n" >&2; exit 3; }"#)
        let engine = try EngineWorkerFactory(command: [script]).makeTranscriber() as! EngineWorkerTranscriber
        let texts = try (1...5).map { try engine.transcribe(Self.clip, context: ClipContext(id: "id\($0)")).text }
        // Each child crashes on its own 3rd clip; the clip is retried as the next child's 1st.
        #expect(texts == ["clip 1 id1", "clip 2 id2", "clip 1 id3", "clip 2 id4", "clip 1 id5"])
        #expect(engine.restartCount == 2)
    }

    @Test("a clip that crashes the worker twice fails with its last error lines; the run goes on")
    func crashTwiceFails() throws {
        let tmp = try TemporaryDirectory()
        let script = try Self.shellWorker(in: tmp, misbehave: #"[ "$id" = poison ] && { echo "cannot digest $id" >&2; kill -9 $$; }"#)
        let engine = try EngineWorkerFactory(command: [script]).makeTranscriber()
        #expect(try engine.transcribe(Self.clip, context: ClipContext(id: "a")).text == "clip 1 a")
        do {
            _ = try engine.transcribe(Self.clip, context: ClipContext(id: "poison"))
            Issue.record("expected a failure")
        } catch {
            #expect(error.code == .commandFailed)
            #expect(error.subject == "poison")
            #expect(error.message.contains("was killed by signal 9"))
            #expect(error.message.contains("cannot digest poison"))
            #expect(error.message.contains("tried twice"))
        }
        #expect(try engine.transcribe(Self.clip, context: ClipContext(id: "b")).text == "clip 1 b")
    }

    @Test("a hanging clip hits the timeout, its whole group is killed, and the next clip gets a new worker")
    func hangTimesOut() throws {
        let tmp = try TemporaryDirectory()
        let script = try Self.shellWorker(in: tmp, misbehave: #"[ "$id" = hang ] && { sleep 300 & sleep 300; }"#)
        let engine = try EngineWorkerFactory(command: [script], clipTimeoutSeconds: 1).makeTranscriber()
        #expect(try engine.transcribe(Self.clip, context: ClipContext(id: "a")).text == "clip 1 a")
        let first = try #require(try Self.children(marked: script).first)
        let started = Date()
        #expect(Self.code { _ = try engine.transcribe(Self.clip, context: ClipContext(id: "hang")) } == .timedOut)
        #expect(Date().timeIntervalSince(started) < 5)
        // SIGKILLed; on a loaded machine the kernel may take a moment to finish them off.
        var left = try Self.living(group: first.processGroup)
        for _ in 0..<100 where !left.isEmpty {
            usleep(50_000)
            left = try Self.living(group: first.processGroup)
        }
        #expect(left.isEmpty, "the sleeps of the hung worker are gone too: \(left.map(\.commandLine))")
        #expect(try engine.transcribe(Self.clip, context: ClipContext(id: "b")).text == "clip 1 b")
    }

    @Test("garbage, a wrong id and a huge line fail the clip and replace the worker, without a crash")
    func garbage() throws {
        let tmp = try TemporaryDirectory()
        let script = try Self.shellWorker(in: tmp, misbehave: """
            [ "$id" = garbage ] && echo 'hello, I am not JSON'
            [ "$id" = other ] && echo '{"id": "someone else", "text": "x"}'
            [ "$id" = binary ] && head -c 3000 /dev/urandom
            [ "$id" = huge ] && head -c 20000000 /dev/zero | tr '\\0' a
            [ "$id" = partial ] && { printf '{"id": "partial", "te'; exit 0; }
            """)
        let engine = try EngineWorkerFactory(command: [script]).makeTranscriber()
        for id in ["garbage", "other", "binary", "huge", "partial"] {
            #expect(Self.code { _ = try engine.transcribe(Self.clip, context: ClipContext(id: id)) } == .invalidOutput, "\(id)")
            #expect(try engine.transcribe(Self.clip, context: ClipContext(id: "ok")).text == "clip 1 ok")
        }
    }

    @Test("a command that does not exist, exits at start, or does not say ready fails before any clip")
    func failsFast() throws {
        let tmp = try TemporaryDirectory()
        let missing = #expect(throws: TranscriptionError.self) {
            try EngineWorkerFactory(command: ["speechprep-no-such-engine"]).makeTranscriber()
        }
        #expect(missing?.code == .launchFailed)
        let exits = #expect(throws: TranscriptionError.self) {
            try EngineWorkerFactory(command: ["sh", "-c", "echo 'model.bin is truncated' >&2; exit 4"]).makeTranscriber()
        }
        #expect(exits?.code == .launchFailed)
        #expect(exits?.message.contains("exited with status 4") == true)
        #expect(exits?.message.contains("model.bin is truncated") == true)
        let chatty = #expect(throws: TranscriptionError.self) {
            try EngineWorkerFactory(command: ["sh", "-c", "echo Loading model...; sleep 300"]).makeTranscriber()
        }
        #expect(chatty?.message.contains("Loading model...") == true)
        let silent = #expect(throws: TranscriptionError.self) {
            try EngineWorkerFactory(command: ["sleep", "301"], startTimeoutSeconds: 0.5).makeTranscriber()
        }
        #expect(silent?.message.contains("was not ready") == true)
        let broken = try Self.pythonFunction(in: tmp, "import no_such_module_here\ndef asr(p): return ''\n")
        let python = #expect(throws: TranscriptionError.self) { try PythonEngineFactory(function: broken).makeTranscriber() }
        #expect(python?.message.contains("ModuleNotFoundError: No module named 'no_such_module_here'") == true)
        #expect(throws: TranscriptionError.self) { try PythonEngineFactory(function: "gen_asr.py") }
        #expect(throws: TranscriptionError.self) { try PythonEngineFactory(function: "\(tmp.path)/missing.py:asr") }
        #expect(try Self.children(marked: "sleep 301").isEmpty)
    }

    @Test("the bundled adapter is the file in Resources, and module:function works too")
    func moduleFunction() throws {
        let tmp = try TemporaryDirectory()
        try "def asr(path, **kwargs):\n    return 'from module ' + str(kwargs.get('language'))\n"
            .write(toFile: tmp.file("my_engine_module.py"), atomically: true, encoding: .utf8)
        let previous = FileManager.default.currentDirectoryPath
        let factory = try PythonEngineFactory(
            function: "my_engine_module:asr", environment: ["PYTHONPATH": tmp.path, "PATH": "/usr/bin:/bin"],
            defaultLanguage: "fr")
        #expect(FileManager.default.currentDirectoryPath == previous)
        #expect(try factory.makeTranscriber().transcribe(Self.clip).text == "from module fr")
        #expect(PythonEngineFactory.adapterSource.contains("def main():"))

        // A function shipped inside a package, written to the scratch folder like the adapter.
        let bundled = try PythonEngineFactory(
            function: "{scratch}/bundled_asr.py:asr",
            scratchFiles: ["bundled_asr.py": Array("def asr(path):\n    return 'bundled'\n".utf8)])
        #expect(bundled.checkpointSettings["function"] == "{scratch}/bundled_asr.py:asr")
        #expect(try bundled.makeTranscriber().transcribe(Self.clip).text == "bundled")
        #expect(throws: TranscriptionError.self) { try PythonEngineFactory(function: "{scratch}/other.py:asr") }
    }

    /// The fenced code block that follows `heading` in Docs/ENGINES.md.
    static func documentedWorker(after heading: String) throws -> String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        let text = try String(contentsOf: url.appendingPathComponent("Docs/ENGINES.md"), encoding: .utf8)
        let section = try #require(text.range(of: heading))
        let open = try #require(text.range(of: "```", range: section.upperBound..<text.endIndex))
        let body = try #require(text.range(of: "\n", range: open.upperBound..<text.endIndex))
        let close = try #require(text.range(of: "```", range: body.upperBound..<text.endIndex))
        return String(text[body.upperBound..<close.lowerBound])
    }

    @Test("the two example workers in Docs/ENGINES.md work, and Python's wave opens the clip")
    func documentedWorkers() throws {
        let tmp = try TemporaryDirectory()
        let python = tmp.file("frames.py"), shell = tmp.file("size.sh")
        try Self.documentedWorker(after: "### A worker in Python").write(toFile: python, atomically: true, encoding: .utf8)
        try Self.documentedWorker(after: "### A worker in shell").write(toFile: shell, atomically: true, encoding: .utf8)
        // A quarter second at 16 kHz: 4,000 frames, 8,000 bytes after the 44-byte header.
        let frames = try EngineWorkerFactory(command: ["python3", python]).makeTranscriber()
        #expect(try frames.transcribe(Self.clip, context: ClipContext(id: "x")).text == "4000 frames")
        let size = try EngineWorkerFactory(command: ["sh", shell]).makeTranscriber()
        #expect(try size.transcribe(Self.clip, context: ClipContext(id: "y")).text == "8044 bytes")
    }

    @Test("cancelling the task ends a clip in progress and the worker's group")
    func cancellation() async throws {
        let tmp = try TemporaryDirectory()
        let script = try Self.shellWorker(in: tmp, misbehave: #"[ "$id" = hang ] && { echo started >&2; sleep 300 & sleep 300; }"#)
        let engine = try EngineWorkerFactory(command: [script], clipTimeoutSeconds: 120).makeTranscriber()
        let box = UncheckedBox(engine)
        // The task notes when it ended: awaiting its result may wait for a free thread of the
        // cooperative pool when other suites block theirs, which is not the engine's time.
        let task = Task { () -> (Result<Transcript, TranscriptionError>, Date) in
            let result = Result { () throws(TranscriptionError) -> Transcript in
                try box.value.transcribe(Self.clip, context: ClipContext(id: "hang"))
            }
            return (result, Date())
        }
        var group: Int32?
        for _ in 0..<600 where group == nil {
            group = try Self.children(marked: script).first { $0.commandLine.contains("sleep") == false }?.processGroup
            try await Task.sleep(for: .milliseconds(50))
        }
        let started = Date()
        task.cancel()
        let (result, ended) = await task.value
        #expect(ended.timeIntervalSince(started) < 10)
        #expect(Self.code { _ = try result.get() } == .cancelled)
        if let group {
            var left = try Self.living(group: group)
            for _ in 0..<100 where !left.isEmpty {
                try await Task.sleep(for: .milliseconds(50))
                left = try Self.living(group: group)
            }
            #expect(left.isEmpty)
        }
    }

    @Test("scratch folders of a process that no longer runs are removed by the next worker")
    func abandonedScratch() throws {
        let tmp = try TemporaryDirectory()
        let abandoned = tmp.file("speechprep-engine-4194300-AbCdEf")
        try FileManager.default.createDirectory(atPath: abandoned, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: "\(abandoned)/clip-1.wav"))
        let script = try Self.shellWorker(in: tmp)
        _ = try EngineWorkerFactory(command: [script], scratchParent: tmp.path).makeTranscriber()
        #expect(!FileManager.default.fileExists(atPath: abandoned))
    }
}

/// Hands a non-Sendable engine to a task in a test that uses it from that task only.
final class UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
