import Foundation

/// Runs a Python function `asr(wav_path) -> str` as an engine worker: one interpreter per
/// pipeline worker loads the user's module once, then the function is called for each clip.
///
/// The bundled adapter `speechprep_engine.py` (standard library only; the user installs
/// nothing of ours) is written to each worker's scratch folder and run as
/// `python speechprep_engine.py --function SPEC --init JSON`. It calls
/// `speechprep_init(options)` once when the module defines it, then the function as
/// `fn(wav_path)`, or `fn(wav_path, language=…)` when it takes `language` or `**kwargs`. The
/// function returns a `str` or a dict with `"text"` and optional `"words"` and `"language"`;
/// anything else fails the clip, and an exception fails it with the traceback's last line.
///
/// ```swift
/// let factory = try PythonEngineFactory(function: "gen_asr.py:asr", python: ".venv/bin/python")
/// configuration.transcriber = factory
/// ```
public struct PythonEngineFactory: TranscriberFactory {
    /// The adapter's file name in the scratch folder.
    public static let adapterName = "speechprep_engine.py"
    /// The adapter's source, as shipped in the package.
    public static var adapterSource: String { String(decoding: PackageResources.speechprep_engine_py, as: UTF8.self) }

    /// `FILE.py:NAME` (a file path made absolute) or `module:NAME`.
    public let function: String
    /// The interpreter (a path, or a name looked up on `PATH`).
    public let python: String
    /// The object passed to the module's `speechprep_init(options)`.
    public let initOptions: [String: EngineOption]
    /// The worker factory that runs the adapter.
    public private(set) var worker: EngineWorkerFactory

    /// Creates a factory.
    /// - Parameters:
    ///   - function: `FILE.py:NAME` (relative paths are resolved against the current folder)
    ///     or `module:NAME` (imported with the current folder on `sys.path`).
    ///   - python: The interpreter, `python3` by default; pass a venv's `bin/python`.
    ///   - initOptions: Passed to `speechprep_init(options)` when the module defines it.
    ///   - engineName: The name recorded with transcripts; `python:` and the function by default.
    ///   - clipTimeoutSeconds: The most one call may take.
    ///   - startTimeoutSeconds: The most loading the module (and `speechprep_init`) may take.
    ///   - logPath: Where the interpreters' standard error (tracebacks, prints) is appended.
    ///   - scratchParent: Where scratch folders are made; `nil` for the temporary folder.
    ///   - environment: The interpreter's environment; `nil` inherits this process's.
    ///   - defaultLanguage: The language passed for items that have none.
    ///   - extraConfiguration: More settings that change the output, recorded in the journal
    ///     (for example a model's checksum).
    ///   - scratchFiles: More files for each worker's scratch folder, by name. A function
    ///     shipped this way is named `{scratch}/FILE.py:NAME` (the placeholder is recorded in
    ///     the journal and replaced by the folder when the interpreter starts).
    /// - Throws: `TranscriptionError.Code.invalidConfiguration` when `function` is not
    ///   `FILE.py:NAME` or `module:NAME`, or its file does not exist.
    public init(
        function: String, python: String = "python3", initOptions: [String: EngineOption] = [:],
        engineName: String? = nil, clipTimeoutSeconds: Double = 300, startTimeoutSeconds: Double = 600,
        logPath: String? = nil, scratchParent: String? = nil, environment: [String: String]? = nil,
        defaultLanguage: String? = nil, extraConfiguration: [String: String] = [:],
        scratchFiles: [String: [UInt8]] = [:]
    ) throws(TranscriptionError) {
        guard let colon = function.lastIndex(of: ":"), colon != function.startIndex,
            function.index(after: colon) != function.endIndex
        else {
            throw TranscriptionError(.invalidConfiguration, subject: function, "expected FILE.py:NAME or module:NAME")
        }
        var target = String(function[..<colon])
        let name = String(function[function.index(after: colon)...])
        let inScratch = target.hasPrefix(EngineWorkerFactory.scratchPlaceholder + "/")
        if inScratch {
            let name = String(target.dropFirst(EngineWorkerFactory.scratchPlaceholder.count + 1))
            guard scratchFiles[name] != nil else {
                throw TranscriptionError(.invalidConfiguration, subject: function, "no scratch file named \(name) is given")
            }
        } else if target.hasSuffix(".py") || target.contains("/") {
            if !target.hasPrefix("/") { target = FileManager.default.currentDirectoryPath + "/" + target }
            target = URL(fileURLWithPath: target).standardizedFileURL.path
            guard FileManager.default.fileExists(atPath: target) else {
                throw TranscriptionError(.invalidConfiguration, subject: target, "the Python file does not exist")
            }
        }
        self.function = "\(target):\(name)"
        self.python = python
        self.initOptions = initOptions
        let initJSON = EngineOption.object(initOptions).json
        var configuration = extraConfiguration
        configuration["function"] = self.function
        configuration["python"] = python
        configuration["init"] = initJSON
        worker = EngineWorkerFactory(
            command: [
                python, "-u", "\(EngineWorkerFactory.scratchPlaceholder)/\(Self.adapterName)",
                "--function", self.function, "--init", initJSON,
            ],
            engineName: engineName ?? "python:\(name)", clipTimeoutSeconds: clipTimeoutSeconds,
            startTimeoutSeconds: startTimeoutSeconds, logPath: logPath, scratchParent: scratchParent,
            scratchFiles: scratchFiles.merging([Self.adapterName: PackageResources.speechprep_engine_py]) { _, adapter in adapter },
            environment: environment,
            defaultLanguage: defaultLanguage, extraConfiguration: configuration)
    }

    /// `python:` and the function's name, unless given.
    public var engineName: String { worker.engineName }

    /// The worker's configuration: the function (with its absolute path), the interpreter,
    /// the init options as JSON, and the command line.
    public var checkpointSettings: [String: String] { worker.checkpointSettings }

    /// Starts one interpreter and waits until the module is loaded.
    /// - Returns: An ``EngineWorkerTranscriber``.
    /// - Throws: `TranscriptionError.Code.launchFailed` with the traceback's last lines when
    ///   the interpreter is missing or the module fails to load.
    public func makeTranscriber() throws(TranscriptionError) -> any Transcriber {
        try worker.makeTranscriber()
    }
}

/// A JSON value for engine options (`--init`), written with literals:
/// `["model": "/models/base", "beam_size": 5, "vad": true]`.
public enum EngineOption: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral, ExpressibleByNilLiteral
{
    case string(String)
    case integer(Int)
    case number(Double)
    case bool(Bool)
    case null
    case object([String: EngineOption])

    /// Creates a string option.
    /// - Parameter value: The string.
    public init(stringLiteral value: String) { self = .string(value) }
    /// Creates an integer option.
    /// - Parameter value: The integer.
    public init(integerLiteral value: Int) { self = .integer(value) }
    /// Creates a number option.
    /// - Parameter value: The number.
    public init(floatLiteral value: Double) { self = .number(value) }
    /// Creates a Boolean option.
    /// - Parameter value: The Boolean.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// Creates a null option.
    /// - Parameter nilLiteral: Nothing.
    public init(nilLiteral: ()) { self = .null }

    /// The value as compact JSON with sorted keys (the same options give the same text).
    public var json: String {
        switch self {
        case .string(let value): return Self.quoted(value)
        case .integer(let value): return String(value)
        case .number(let value): return value.isFinite ? "\(value)" : "null"
        case .bool(let value): return value ? "true" : "false"
        case .null: return "null"
        case .object(let members):
            return "{" + members.sorted { $0.key < $1.key }.map { "\(Self.quoted($0.key)):\($0.value.json)" }
                .joined(separator: ",") + "}"
        }
    }

    private static func quoted(_ string: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return (try? encoder.encode(string)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
    }
}
