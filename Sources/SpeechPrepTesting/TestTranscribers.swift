public import PCM
public import Transcription
import Foundation
import SystemSupport

/// A recogniser that hears the same text in every clip: for tests of what surrounds
/// recognition (pipelines, outputs, scoring) without a model.
public final class FixedTextTranscriber: Transcriber {
    /// The text every clip gets.
    public let text: String
    /// The engine name recorded with transcripts.
    public let engineName: String

    /// Creates the recogniser.
    /// - Parameters:
    ///   - text: The text every clip gets.
    ///   - engineName: The engine name recorded with transcripts.
    public init(text: String, engineName: String = "fixed-text") {
        self.text = text
        self.engineName = engineName
    }

    /// Returns ``text``.
    /// - Parameter samples: Ignored.
    /// - Returns: A transcript of ``text``.
    public func transcribe(_ samples: PCMBuffer) throws(TranscriptionError) -> Transcript {
        Transcript(text: text, engine: engineName)
    }
}

/// Makes ``FixedTextTranscriber``s for a pipeline.
public struct FixedTextTranscriberFactory: TranscriberFactory {
    /// The text every clip gets.
    public let text: String
    /// The engine name recorded with transcripts.
    public let engineName: String

    /// Creates the factory.
    /// - Parameters:
    ///   - text: The text every clip gets.
    ///   - engineName: The engine name recorded with transcripts.
    public init(text: String, engineName: String = "fixed-text") {
        self.text = text
        self.engineName = engineName
    }

    /// The engine name and the text.
    public var checkpointSettings: [String: String] { ["engine": engineName, "text": text] }

    /// A new ``FixedTextTranscriber``.
    /// - Returns: The recogniser.
    public func makeTranscriber() throws(TranscriptionError) -> any Transcriber {
        FixedTextTranscriber(text: text, engineName: engineName)
    }
}

/// One answer of a ``ScriptedTranscriber``.
public enum ScriptStep: Sendable, Hashable {
    /// Recognise this text.
    case text(String)
    /// Take this long (in seconds, giving up early with `cancelled` when the calling task is
    /// cancelled), then recognise the text.
    case delayed(seconds: Double, text: String)
    /// Fail the clip with this code and message.
    case failure(TranscriptionError.Code, String)
}

/// A recogniser that follows a script: call n gets step n (cycling when the script runs out).
/// Every recogniser a ``ScriptedTranscriberFactory`` makes shares one script, so the steps
/// are handed out in call order across workers.
public final class ScriptedTranscriber: Transcriber {
    /// The engine name recorded with transcripts.
    public let engineName: String
    private let script: Script

    /// Creates a recogniser with a script of its own.
    /// - Parameters:
    ///   - steps: The answers, in call order; must not be empty.
    ///   - engineName: The engine name recorded with transcripts.
    public convenience init(steps: [ScriptStep], engineName: String = "scripted") {
        self.init(script: Script(steps), engineName: engineName)
    }

    init(script: Script, engineName: String) {
        self.script = script
        self.engineName = engineName
    }

    /// How many clips all recognisers sharing this script have been given.
    public var callCount: Int { script.calls }

    /// Plays the next step.
    /// - Parameter samples: Ignored.
    /// - Returns: The step's text.
    /// - Throws: `TranscriptionError` for a failure step, or `cancelled` when
    ///   the task is cancelled during a delay.
    public func transcribe(_ samples: PCMBuffer) throws(TranscriptionError) -> Transcript {
        switch script.next() {
        case .text(let text):
            return Transcript(text: text, engine: engineName)
        case .delayed(let seconds, let text):
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if withUnsafeCurrentTask(body: { $0?.isCancelled ?? false }) {
                    throw TranscriptionError(.cancelled, subject: engineName, "cancelled while recognising")
                }
                Thread.sleep(forTimeInterval: min(0.005, max(0, deadline.timeIntervalSinceNow)))
            }
            return Transcript(text: text, engine: engineName)
        case .failure(let code, let message):
            throw TranscriptionError(code, subject: engineName, message)
        }
    }

    /// The shared, thread-safe position in the steps.
    final class Script: Sendable {
        let steps: [ScriptStep]
        private let position = Locked(0)

        init(_ steps: [ScriptStep]) {
            precondition(!steps.isEmpty, "a script needs at least one step")
            self.steps = steps
        }

        var calls: Int { position.withLock { $0 } }

        /// Recognisers made over this script.
        let made = Locked(0)

        func next() -> ScriptStep {
            let call = position.withLock { value in
                defer { value += 1 }
                return value
            }
            return steps[call % steps.count]
        }
    }
}

/// Makes ``ScriptedTranscriber``s that share one script, for pipeline tests with slow or
/// failing clips.
public struct ScriptedTranscriberFactory: TranscriberFactory {
    /// The engine name recorded with transcripts.
    public let engineName: String
    private let script: ScriptedTranscriber.Script

    /// Creates the factory.
    /// - Parameters:
    ///   - steps: The answers, in call order across every recogniser made; must not be empty.
    ///   - engineName: The engine name recorded with transcripts.
    public init(steps: [ScriptStep], engineName: String = "scripted") {
        self.engineName = engineName
        script = ScriptedTranscriber.Script(steps)
    }

    /// How many clips all recognisers made so far have been given.
    public var callCount: Int { script.calls }

    /// How many recognisers ``makeTranscriber()`` has made: a pipeline makes one per worker
    /// when it has clips to transcribe, and none when it has nothing left to do.
    public var transcribersMade: Int { script.made.withLock { $0 } }

    /// The engine name and the number of steps.
    public var checkpointSettings: [String: String] { ["engine": engineName, "steps": "\(script.steps.count)"] }

    /// A recogniser that plays the shared script.
    /// - Returns: The recogniser.
    public func makeTranscriber() throws(TranscriptionError) -> any Transcriber {
        script.made.withLock { $0 += 1 }
        return ScriptedTranscriber(script: script, engineName: engineName)
    }
}
