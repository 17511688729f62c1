import Foundation

/// Makes ``EngineWorkerTranscriber`` instances: one long-lived child process per pipeline
/// worker, spoken to over the engine worker protocol v1 (JSON lines; see Docs/ENGINES.md).
///
/// ```swift
/// let factory = EngineWorkerFactory(command: ["python3", "my_worker.py", "--model", "base"])
/// configuration.transcriber = factory   // each worker starts one child and keeps it
/// ```
///
/// Every `{scratch}` in the command is replaced by the worker's scratch folder, where
/// ``scratchFiles`` are written before the child starts (this is how the Python engine ships
/// its adapter). The ``checkpointSettings`` (recorded in the journal) holds the command as given,
/// with the placeholder, so a resumed run with another command is refused.
public struct EngineWorkerFactory: TranscriberFactory {
    /// The placeholder replaced by the worker's scratch folder in ``command``.
    public static let scratchPlaceholder = "{scratch}"
    /// The protocol version this side speaks.
    public static let protocolVersion = 1

    /// The child's argv; the first element is looked up on `PATH` unless it holds a `/`.
    public var command: [String]
    /// The engine name recorded with every transcript.
    public var engineName: String
    /// The most one clip may take before the child's process group is killed and restarted.
    public var clipTimeoutSeconds: Double
    /// The most the child may take to load and print its ready line.
    public var startTimeoutSeconds: Double
    /// A file that receives the children's standard error, one line per line with the
    /// child's pid, or `nil` to keep only the last lines for error messages.
    public var logPath: String?
    /// Where per-worker scratch folders are made; the system's temporary folder by default.
    public var scratchParent: String
    /// Files written into each worker's scratch folder before its child starts, by name.
    public var scratchFiles: [String: [UInt8]]
    /// The child's environment, or `nil` to inherit this process's.
    public var environment: [String: String]?
    /// The language sent with clips whose item has none (`nil`: the child decides).
    public var defaultLanguage: String?
    /// Settings besides the command that change what the engine outputs (recorded in the
    /// journal), for engines built on this one.
    public var extraConfiguration: [String: String]

    /// Creates a factory.
    /// - Parameters:
    ///   - command: The child's argv (`{scratch}` is replaced by the worker's scratch folder).
    ///   - engineName: The name recorded with transcripts; `worker:` and the program's file
    ///     name by default.
    ///   - clipTimeoutSeconds: The most one clip may take (positive).
    ///   - startTimeoutSeconds: The most the child may take to become ready (positive).
    ///   - logPath: Where the children's standard error is appended, or `nil`.
    ///   - scratchParent: Where scratch folders are made; `nil` for the temporary folder.
    ///   - scratchFiles: Files to write into each scratch folder, by name.
    ///   - environment: The child's environment; `nil` inherits this process's.
    ///   - defaultLanguage: The language sent with clips whose item has none.
    ///   - extraConfiguration: More settings to record in the journal.
    public init(
        command: [String], engineName: String? = nil, clipTimeoutSeconds: Double = 300,
        startTimeoutSeconds: Double = 600, logPath: String? = nil, scratchParent: String? = nil,
        scratchFiles: [String: [UInt8]] = [:], environment: [String: String]? = nil,
        defaultLanguage: String? = nil, extraConfiguration: [String: String] = [:]
    ) {
        self.command = command
        self.engineName = engineName ?? "worker:" + (command.first?.split(separator: "/").last.map(String.init) ?? "")
        self.clipTimeoutSeconds = clipTimeoutSeconds
        self.startTimeoutSeconds = startTimeoutSeconds
        self.logPath = logPath
        self.scratchParent = scratchParent ?? FileManager.default.temporaryDirectory.path
        self.scratchFiles = scratchFiles
        self.environment = environment
        self.defaultLanguage = defaultLanguage
        self.extraConfiguration = extraConfiguration
    }

    /// The engine name, the command (a JSON array, with `{scratch}` unexpanded), the protocol
    /// version, the default language and ``extraConfiguration``. Timeouts, the log and the
    /// scratch folder are left out: they do not change what is recognised.
    public var checkpointSettings: [String: String] {
        var result = extraConfiguration
        result["engine"] = engineName
        result["command"] = Self.jsonArray(command)
        result["protocol"] = String(Self.protocolVersion)
        if let defaultLanguage { result["language"] = defaultLanguage }
        return result
    }

    /// Starts one child and waits until it is ready.
    /// - Returns: A transcriber that owns the child.
    /// - Throws: `TranscriptionError.Code.invalidConfiguration` for an empty command or a
    ///   timeout that is not positive; `TranscriptionError.Code.launchFailed` when the
    ///   program does not exist, exits, or prints anything but the ready line at start (the
    ///   message has its last standard-error lines);
    ///   `TranscriptionError.Code.temporaryFileFailed` when the scratch folder cannot be made.
    public func makeTranscriber() throws(TranscriptionError) -> any Transcriber {
        try EngineWorkerTranscriber(factory: self)
    }

    static func jsonArray(_ strings: [String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return (try? encoder.encode(strings)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}
