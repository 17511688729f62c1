import Foundation
public import PCM
import SystemSupport

/// Runs an external speech recogniser once per clip, from an argv template.
///
/// Each clip is written to a temporary 16 kHz mono 16-bit WAV file whose path replaces every
/// `{wav}` in the template; the program runs without a shell, in its own process group, and
/// its standard output (trimmed, or one field of its JSON output) is the transcript. The
/// temporary file is deleted whatever happens.
///
/// ```swift
/// let whisper = try CommandTranscriber(
///     arguments: ["whisper-cli", "-m", "ggml-base.en.bin", "-nt", "-f", "{wav}"],
///     timeoutSeconds: 120)
/// let transcript = try whisper.transcribe(clip)
/// ```
public final class CommandTranscriber: Transcriber {
    /// The placeholder replaced by the clip's path in the argv template.
    public static let clipPlaceholder = "{wav}"

    /// The argv template; the first element is the program (looked up on `PATH` unless it
    /// holds a `/`).
    public let arguments: [String]
    /// How long one clip may take before the program's process group is killed.
    public let timeoutSeconds: Double
    /// A dotted path into the program's JSON output holding the text (`"text"`,
    /// `"result.0.text"`), or `nil` to use the whole standard output.
    public let jsonField: String?
    /// Where the temporary clip files are written.
    public let temporaryDirectory: String
    /// `command:` followed by the program's file name, for example `command:whisper-cli`.
    public let engineName: String

    /// Creates an engine from an argv template.
    /// - Parameters:
    ///   - arguments: The program and its arguments; at least one must contain `{wav}`.
    ///   - timeoutSeconds: The most one clip may take (positive).
    ///   - jsonField: A dotted path to the text in the program's JSON output, or `nil` for
    ///     plain text output.
    ///   - temporaryDirectory: Where clip files go; the system's temporary folder by default.
    /// - Throws: `TranscriptionError.Code.invalidConfiguration` for an empty template, one
    ///   without `{wav}`, or a timeout that is not positive.
    public init(
        arguments: [String], timeoutSeconds: Double = 300, jsonField: String? = nil,
        temporaryDirectory: String? = nil
    ) throws(TranscriptionError) {
        guard let program = arguments.first, !program.isEmpty else {
            throw TranscriptionError(.invalidConfiguration, "the recogniser command is empty")
        }
        guard arguments.contains(where: { $0.contains(Self.clipPlaceholder) }) else {
            throw TranscriptionError(
                .invalidConfiguration, subject: program,
                "the command line has no \(Self.clipPlaceholder) placeholder for the clip's path")
        }
        guard timeoutSeconds > 0, timeoutSeconds.isFinite else {
            throw TranscriptionError(.invalidConfiguration, subject: program, "timeout \(timeoutSeconds) s is not positive")
        }
        self.arguments = arguments
        self.timeoutSeconds = timeoutSeconds
        self.jsonField = jsonField
        self.temporaryDirectory = temporaryDirectory ?? FileManager.default.temporaryDirectory.path
        self.engineName = Self.engineName(for: arguments)
    }

    /// The engine name for a template: `command:` and the program's file name.
    static func engineName(for arguments: [String]) -> String {
        "command:" + (arguments.first?.split(separator: "/").last.map(String.init) ?? "")
    }

    /// Writes the clip to a temporary WAV file, runs the program on it, and deletes the file.
    /// - Parameter samples: The clip, in any format; it is converted to 16 kHz mono.
    /// - Returns: The program's output as a transcript (no word timings).
    /// - Throws: `TranscriptionError.Code.launchFailed` when the program cannot be started,
    ///   `TranscriptionError.Code.commandFailed` (non-zero exit or killed) and
    ///   `TranscriptionError.Code.timedOut` with the tail of its standard error,
    ///   `TranscriptionError.Code.invalidOutput` when the JSON field is missing,
    ///   `TranscriptionError.Code.cancelled`, or
    ///   `TranscriptionError.Code.temporaryFileFailed`.
    public func transcribe(_ samples: PCMBuffer) throws(TranscriptionError) -> Transcript {
        if Task.isCancelled { throw TranscriptionError(.cancelled, "transcription was cancelled") }
        let clip = "\(temporaryDirectory)/speechprep-clip-\(UUID().uuidString).wav"
        defer { unlink(clip) }
        try ClipFile.write(SpeechInput.mono16k(samples), to: clip)
        let argv = arguments.map { $0.replacingOccurrences(of: Self.clipPlaceholder, with: clip) }
        let program = arguments[0]
        let result: ChildProcess.Outcome
        do {
            result = try ChildProcess.run(argv, timeoutSeconds: timeoutSeconds, killWithParent: true)
        } catch {
            throw TranscriptionError(.launchFailed, subject: program, "could not start the recogniser: \(error.message)")
        }
        let stderrTail = result.stderrTail.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        let detail = stderrTail.isEmpty ? "" : "; its last error output was: \(stderrTail)"
        if result.timedOut {
            throw TranscriptionError(
                .timedOut, subject: program, "the recogniser took longer than \(timeoutSeconds) s and was killed\(detail)")
        }
        switch result.termination {
        case .exited(0): break
        case .exited(let status):
            throw TranscriptionError(.commandFailed, subject: program, "the recogniser exited with status \(status)\(detail)")
        case .signalled(let signal):
            throw TranscriptionError(.commandFailed, subject: program, "the recogniser was killed by signal \(signal)\(detail)")
        case nil:
            throw TranscriptionError(.cancelled, subject: program, "transcription was cancelled and the recogniser killed")
        }
        return Transcript(text: try text(from: result.output, program: program), engine: engineName)
    }

    private func text(from stdout: [UInt8], program: String) throws(TranscriptionError) -> String {
        guard let jsonField else {
            return String(decoding: stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        var value: Any? = try? JSONSerialization.jsonObject(with: Data(stdout), options: [.fragmentsAllowed])
        for key in jsonField.split(separator: ".") {
            if let object = value as? [String: Any] {
                value = object[String(key)]
            } else if let array = value as? [Any], let index = Int(key), array.indices.contains(index) {
                value = array[index]
            } else {
                value = nil
            }
        }
        guard let text = value as? String else {
            throw TranscriptionError(
                .invalidOutput, subject: program, "the recogniser's output has no text field \"\(jsonField)\"")
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Makes ``CommandTranscriber`` instances that share one command line.
public struct CommandTranscriberFactory: TranscriberFactory {
    /// The argv template (see ``CommandTranscriber/arguments``).
    public var arguments: [String]
    /// The per-clip timeout in seconds.
    public var timeoutSeconds: Double
    /// The JSON field holding the text, if any.
    public var jsonField: String?

    /// Creates a factory.
    /// - Parameters:
    ///   - arguments: The program and its arguments, with `{wav}` for the clip's path.
    ///   - timeoutSeconds: The most one clip may take.
    ///   - jsonField: A dotted path to the text in JSON output, or `nil`.
    public init(arguments: [String], timeoutSeconds: Double = 300, jsonField: String? = nil) {
        self.arguments = arguments
        self.timeoutSeconds = timeoutSeconds
        self.jsonField = jsonField
    }

    /// `command:` followed by the program's file name.
    public var engineName: String { CommandTranscriber.engineName(for: arguments) }

    /// The engine name, the command line (as a JSON array) and the JSON field; the timeout is
    /// left out because it does not change what is recognised.
    public var checkpointSettings: [String: String] {
        let encoded = (try? JSONEncoder().encode(arguments)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        var result = ["engine": engineName, "arguments": encoded]
        if let jsonField { result["jsonField"] = jsonField }
        return result
    }

    /// Creates an engine with the factory's command line.
    /// - Returns: A new ``CommandTranscriber``.
    /// - Throws: `TranscriptionError.Code.invalidConfiguration` as
    ///   ``CommandTranscriber/init(arguments:timeoutSeconds:jsonField:temporaryDirectory:)``.
    public func makeTranscriber() throws(TranscriptionError) -> any Transcriber {
        try CommandTranscriber(arguments: arguments, timeoutSeconds: timeoutSeconds, jsonField: jsonField)
    }
}
