import Foundation
public import PCM
import SystemSupport

/// A recogniser that runs in a long-lived child process speaking the engine worker protocol
/// v1: the model loads once, then clips go to the child one at a time.
///
/// Made by ``EngineWorkerFactory``. What happens when things go wrong:
/// - the child exits or crashes during a clip: it is restarted and the clip retried once;
///   a second failure fails the clip (`TranscriptionError.Code.commandFailed`, with the
///   child's last standard-error lines) and the next clip starts a new child;
/// - a clip takes longer than the timeout: the child's process group is killed, the clip
///   fails (`TranscriptionError.Code.timedOut`) and the next clip starts a new child;
/// - the child answers with something that is not a protocol line (garbage, a line without
///   the clip's id, a partial line): the clip fails
///   (`TranscriptionError.Code.invalidOutput`) and the child is replaced, because what it
///   says next cannot be trusted;
/// - the child answers with an `error`: the clip fails
///   (`TranscriptionError.Code.engineFailed`) with that line; the `detail` goes to the log.
///
/// The child's standard error goes to the factory's log, never into a transcript. Releasing
/// the transcriber closes the child's input, waits briefly for it to exit, ends its process
/// group, and removes the scratch folder. The child is started with a parent-death signal
/// bound to the thread that creates or restarts it: use the transcriber from one thread that
/// outlives it (as the pipeline's recogniser threads do).
public final class EngineWorkerTranscriber: Transcriber {
    /// The engine name recorded with every transcript.
    public let engineName: String
    /// How many times a child was started after the first (crashes, timeouts, bad output).
    public private(set) var restartCount = 0
    /// The worker's scratch folder (removed on release).
    public let scratchDirectory: String

    private let factory: EngineWorkerFactory
    private let log: EngineLog?
    private var child: ChildProcess?
    private var clipNumber = 0

    /// The longest answer line accepted (a transcript with word timings is far smaller).
    static let answerLimitBytes = 16 << 20
    /// How long a child gets to exit after its input is closed.
    static let exitGraceSeconds = 5.0
    /// How many standard-error lines go into a clip's error message.
    static let stderrLinesInErrors = 5

    /// Starts the factory's command in a new scratch folder and waits for its ready line.
    /// - Parameter factory: The settings.
    /// - Throws: See ``EngineWorkerFactory/makeTranscriber()``.
    init(factory: EngineWorkerFactory) throws(TranscriptionError) {
        guard let program = factory.command.first, !program.isEmpty else {
            throw TranscriptionError(.invalidConfiguration, "the engine command is empty")
        }
        for (name, seconds) in [("clip", factory.clipTimeoutSeconds), ("start-up", factory.startTimeoutSeconds)]
        where !(seconds > 0 && seconds.isFinite) {
            throw TranscriptionError(.invalidConfiguration, subject: program, "\(name) timeout \(seconds) s is not positive")
        }
        self.factory = factory
        engineName = factory.engineName
        scratchDirectory = try Scratch.make(in: factory.scratchParent, files: factory.scratchFiles)
        log = factory.logPath.flatMap(EngineLog.init(path:))
        do { child = try start() } catch {
            Scratch.remove(scratchDirectory)
            throw error
        }
    }

    deinit {
        if let child { stop(child) }
        Scratch.remove(scratchDirectory)
    }

    /// Transcribes one clip without an item id or language.
    /// - Parameter samples: The clip, in any format; it is converted to 16 kHz mono.
    /// - Returns: The child's transcript.
    /// - Throws: See ``transcribe(_:context:)``.
    public func transcribe(_ samples: PCMBuffer) throws(TranscriptionError) -> Transcript {
        try transcribe(samples, context: ClipContext())
    }

    /// Writes the clip to the scratch folder, sends it to the child, and reads its answer.
    /// - Parameters:
    ///   - samples: The clip, in any format; it is converted to 16 kHz mono 16-bit PCM.
    ///   - context: The item's id (sent as the request's `id`) and language.
    /// - Returns: The child's transcript, with word timings and language when it sent them.
    /// - Throws: `TranscriptionError.Code.commandFailed` (the child crashed twice),
    ///   `TranscriptionError.Code.timedOut`, `TranscriptionError.Code.invalidOutput`,
    ///   `TranscriptionError.Code.engineFailed` (the child's `error` answer),
    ///   `TranscriptionError.Code.launchFailed` (a restart failed),
    ///   `TranscriptionError.Code.cancelled`, or
    ///   `TranscriptionError.Code.temporaryFileFailed`.
    public func transcribe(_ samples: PCMBuffer, context: ClipContext) throws(TranscriptionError) -> Transcript {
        if Task.isCancelled { throw TranscriptionError(.cancelled, "transcription was cancelled") }
        clipNumber += 1
        let id = context.id ?? "clip-\(clipNumber)"
        let clip = "\(scratchDirectory)/clip-\(clipNumber).wav"
        defer { unlink(clip) }
        try ClipFile.write(SpeechInput.mono16k(samples), to: clip)
        let request = Request(id: id, audio: clip, language: context.language ?? factory.defaultLanguage)
        var crashes: [String] = []
        while true {
            let reason: String
            do {
                return try exchange(request)
            } catch {
                switch error {
                case .failed(let failure): throw failure
                case .crashed(let crash): reason = crash
                }
            }
            crashes.append(reason)
            child = nil
            if Task.isCancelled {
                throw TranscriptionError(.cancelled, subject: id, "transcription was cancelled and the engine stopped")
            }
            if crashes.count == 2 {
                throw TranscriptionError(
                    .commandFailed, subject: id,
                    "the engine \(crashes.joined(separator: "; after a restart it ")) (the clip was tried twice)")
            }
        }
    }

    // MARK: - One clip

    /// How one exchange went wrong.
    private enum Failure: Error {
        /// The child died during the clip: restart it and retry the clip once.
        case crashed(String)
        /// The clip fails as it is (the child may have been replaced).
        case failed(TranscriptionError)
    }

    private func exchange(_ request: Request) throws(Failure) -> Transcript {
        let child: ChildProcess
        if let current = self.child {
            child = current
        } else {
            do { child = try start() } catch { throw .crashed("could not be restarted: \(error.message)") }
            restartCount += 1
            self.child = child
        }
        let line: String
        do {
            try child.write(request.line)
            line = try child.readLine(maxBytes: Self.answerLimitBytes, timeoutSeconds: factory.clipTimeoutSeconds)
        } catch {
            throw failure(error, child: child, id: request.id)
        }
        return try answer(line, to: request, child: child)
    }

    /// A failed write or read: a crash is retried; a timeout, cancellation or bad line
    /// fails the clip and replaces the child.
    private func failure(_ error: ChildProcessError, child: ChildProcess, id: String) -> Failure {
        // Cancelling ends the child's group, so the read may see the end of its output before
        // it sees the cancellation: that is not a crash to retry.
        if Task.isCancelled || error.code == .cancelled {
            replace(child)
            return .failed(TranscriptionError(.cancelled, subject: id, "transcription was cancelled and the engine stopped"))
        }
        if error.code == .endOfOutput && !error.message.contains("unfinished line") {
            let ending = child.wait(timeoutSeconds: 1) ?? child.terminate()
            return .crashed("\(ending) during the clip\(tail(of: child))")
        }
        replace(child)
        switch error.code {
        case .timedOut:
            return .failed(TranscriptionError(
                .timedOut, subject: id,
                "the engine took longer than \(factory.clipTimeoutSeconds) s; its process group was killed and it will be restarted\(tail(of: child))"))
        default:
            return .failed(TranscriptionError(.invalidOutput, subject: id, "the engine \(error.message); it will be restarted\(tail(of: child))"))
        }
    }

    private func answer(_ line: String, to request: Request, child: ChildProcess) throws(Failure) -> Transcript {
        guard let answer = Answer(line), answer.id == request.id else {
            replace(child)
            throw .failed(TranscriptionError(
                .invalidOutput, subject: request.id,
                "the engine answered with something that is not a protocol answer for this clip: \(Self.excerpt(line)); it will be restarted"))
        }
        if let error = answer.error {
            if let detail = answer.detail { log?.write(detail, from: child.pid) }
            throw .failed(TranscriptionError(.engineFailed, subject: request.id, error))
        }
        guard let text = answer.text else {
            throw .failed(TranscriptionError(
                .invalidOutput, subject: request.id, "the engine's answer has neither \"text\" nor \"error\""))
        }
        return Transcript(
            text: text.trimmingCharacters(in: .whitespacesAndNewlines),
            words: answer.words?.map { WordTiming(word: $0.word, startSeconds: $0.start, endSeconds: $0.end) } ?? [],
            engine: engineName, language: answer.language)
    }

    // MARK: - The child

    /// Starts the command and waits for its ready line.
    private func start() throws(TranscriptionError) -> ChildProcess {
        let program = factory.command[0]
        let argv = factory.command.map {
            $0.replacingOccurrences(of: EngineWorkerFactory.scratchPlaceholder, with: scratchDirectory)
        }
        let log = self.log
        var pid: Int32 = 0
        let child: ChildProcess
        do {
            child = try ChildProcess(
                arguments: argv, environment: factory.environment, standardInput: .pipe, killWithParent: true,
                stderrLine: { log?.write($0, from: pid) })
        } catch {
            throw TranscriptionError(.launchFailed, subject: program, "the engine cannot be started: \(error.message)")
        }
        pid = child.pid
        let line: String
        do {
            line = try child.readLine(maxBytes: Self.answerLimitBytes, timeoutSeconds: factory.startTimeoutSeconds)
        } catch {
            let ending = error.code == .endOfOutput ? (child.wait(timeoutSeconds: 1) ?? child.terminate()) : child.terminate()
            let what = error.code == .timedOut
                ? "was not ready after \(factory.startTimeoutSeconds) s" : "\(ending) before it was ready"
            throw TranscriptionError(.launchFailed, subject: program, "the engine \(what)\(tail(of: child))")
        }
        guard let ready = Answer(line), ready.ready == true else {
            child.terminate()
            throw TranscriptionError(
                .launchFailed, subject: program,
                "the engine's first line is not {\"ready\": true, ...}: \(Self.excerpt(line))\(tail(of: child))")
        }
        if let version = ready.protocol, version != EngineWorkerFactory.protocolVersion {
            child.terminate()
            throw TranscriptionError(
                .launchFailed, subject: program,
                "the engine speaks protocol \(version); this speechprep speaks \(EngineWorkerFactory.protocolVersion)")
        }
        return child
    }

    /// Ends a child that will not be asked again, and forgets it.
    private func replace(_ child: ChildProcess) {
        child.terminate()
        if self.child === child { self.child = nil }
    }

    /// Closes the child's input and gives it time to exit, then ends its group.
    private func stop(_ child: ChildProcess) {
        child.closeInput()
        let ending = child.wait(timeoutSeconds: Self.exitGraceSeconds) ?? child.terminate()
        if ending != .exited(0) { log?.write("engine \(ending) at the end of the run", from: child.pid) }
        self.child = nil
    }

    /// "; its last error output: a | b | c", or nothing.
    private func tail(of child: ChildProcess) -> String {
        let lines = child.stderrTail.suffix(Self.stderrLinesInErrors).filter { !$0.isEmpty }
        return lines.isEmpty ? "" : "; its last error output: " + lines.joined(separator: " | ")
    }

    private static func excerpt(_ line: String) -> String {
        line.count > 200 ? "\(line.prefix(200))…" : line
    }
}

// MARK: - Protocol lines

/// `{"id": …, "audio": …, "language": …}`.
struct Request: Encodable {
    var id: String
    var audio: String
    var language: String?

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(audio, forKey: .audio)
        try container.encode(language, forKey: .language)  // null when unknown, as documented
    }

    private enum CodingKeys: String, CodingKey { case id, audio, language }

    /// The request as one line of UTF-8 JSON.
    var line: [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return Array((try? encoder.encode(self)) ?? Data()) + [UInt8(ascii: "\n")]
    }
}

/// Any line the child sends: the ready line or an answer.
struct Answer: Decodable {
    struct Word: Decodable {
        var word: String
        var start: Double
        var end: Double
    }

    var ready: Bool?
    var `protocol`: Int?
    var id: String?
    var text: String?
    var language: String?
    var words: [Word]?
    var error: String?
    var detail: String?

    /// Parses a line; `nil` when it is not a JSON object of this shape.
    init?(_ line: String) {
        guard let decoded = try? JSONDecoder().decode(Answer.self, from: Data(line.utf8)) else { return nil }
        self = decoded
    }
}
