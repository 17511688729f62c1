import Foundation
import SystemSupport

/// Everything that decides what a ``PocketSphinxTranscriber`` recognises: the acoustic model,
/// what it listens for (a statistical language model, a JSGF grammar or a keyword list), the
/// pronunciation dictionary, and any other decoder option.
public struct PocketSphinxConfiguration: Sendable, Hashable {
    /// What the decoder listens for.
    public enum Search: Sendable, Hashable {
        /// A statistical n-gram language model (`-lm`, ARPA or binary).
        case languageModel(String)
        /// A JSGF grammar file (`-jsgf`).
        case grammar(String)
        /// A keyword list file with one phrase and threshold per line (`-kws`).
        case keywords(String)
    }

    /// The acoustic model folder (`-hmm`).
    public var acousticModel: String
    /// What the decoder listens for.
    public var search: Search
    /// The pronunciation dictionary (`-dict`).
    public var dictionary: String
    /// Further decoder options by name, with or without the leading dash
    /// (for example `["beam": "1e-60", "-samprate": "16000"]`).
    public var options: [String: String]

    /// Creates a configuration.
    /// - Parameters:
    ///   - acousticModel: The acoustic model folder.
    ///   - search: The language model, grammar or keyword list.
    ///   - dictionary: The pronunciation dictionary.
    ///   - options: Further decoder options.
    public init(acousticModel: String, search: Search, dictionary: String, options: [String: String] = [:]) {
        self.acousticModel = acousticModel
        self.search = search
        self.dictionary = dictionary
        self.options = options
    }

    /// One decoder option as `NAME=VALUE` gives it, for ``setOption(_:)``.
    public struct Option: Hashable, Sendable {
        /// The option's name with its leading dash (`-beam`), whichever way it was written.
        public let name: String
        /// Its value.
        public let value: String

        /// Creates an option; the name may be given with or without its leading dash.
        /// - Parameters:
        ///   - name: The option's name, `beam` or `-beam`.
        ///   - value: Its value.
        public init(name: String, value: String) {
            self.name = PocketSphinxConfiguration.optionName(name)
            self.value = value
        }

        /// Parses `NAME=VALUE` (`cmn=live`, `-beam=1e-60`), as given to `--engine-option`.
        /// - Parameter text: The option.
        /// - Throws: `TranscriptionError.Code.invalidConfiguration` when there is no `=`.
        public init(parsing text: String) throws(TranscriptionError) {
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else {
                throw TranscriptionError(.invalidConfiguration, subject: text, "expected NAME=VALUE")
            }
            self.init(name: parts[0], value: parts[1])
        }
    }

    /// Sets a decoder option under its one spelling, so `cmn=live` replaces the default
    /// `-cmn batch` instead of standing beside it.
    /// - Parameter option: The option.
    public mutating func setOption(_ option: Option) {
        options.removeValue(forKey: String(option.name.dropFirst()))
        options[option.name] = option.value
    }

    /// An option name with its leading dash.
    static func optionName(_ name: String) -> String { name.hasPrefix("-") ? name : "-\(name)" }

    /// The US English model from Debian's `pocketsphinx-en-us` package, found where the
    /// installed library looks for it (see ``modelDirectory``), with batch cepstral mean
    /// normalisation (`-cmn batch`).
    ///
    /// Batch normalisation takes each clip's mean from the clip itself, so a transcript
    /// depends on nothing but its clip: the library's default (`live`) carries the mean from
    /// one utterance to the next, which made transcripts depend on the order in which a
    /// worker saw its clips, and a clip at the start of a fresh engine came out worse.
    public static var `default`: PocketSphinxConfiguration {
        let base = "\(modelDirectory)/en-us"
        return PocketSphinxConfiguration(
            acousticModel: "\(base)/en-us", search: .languageModel("\(base)/en-us.lm.bin"),
            dictionary: "\(base)/cmudict-en-us.dict", options: ["-cmn": "batch"])
    }

    /// The folder holding the installed PocketSphinx models.
    ///
    /// The first of these that holds the `en-us` model: the `modeldir` variable of the
    /// `pocketsphinx` pkg-config file, `/usr/share/pocketsphinx/model`,
    /// `/usr/local/share/pocketsphinx/model`. When none does, the first candidate, so that
    /// setting up a decoder reports the missing files.
    public static var modelDirectory: String { discoveredModelDirectory }

    private static let discoveredModelDirectory: String = {
        var candidates = ["/usr/share/pocketsphinx/model", "/usr/local/share/pocketsphinx/model"]
        if let fromPkgConfig = pkgConfigModelDirectory() { candidates.insert(fromPkgConfig, at: 0) }
        return candidates.first { FileManager.default.fileExists(atPath: "\($0)/en-us/en-us/mdef") }
            ?? candidates[0]
    }()

    /// Asks `pkg-config --variable=modeldir pocketsphinx`, when pkg-config is installed.
    ///
    /// Through the package's one ``ChildProcess``: Foundation's `Process` left a weak-reference
    /// side table that LeakSanitizer reported in every `speechprep transcribe` (Docs/notes/sanitizers.md).
    private static func pkgConfigModelDirectory() -> String? {
        guard
            let child = try? ChildProcess(
                arguments: ["pkg-config", "--variable=modeldir", "pocketsphinx"], standardError: .null,
                searchPath: "/usr/bin:/usr/local/bin")
        else { return nil }
        let line = try? child.readLine(maxBytes: 4096, timeoutSeconds: 10)
        guard child.wait(timeoutSeconds: 10) == .exited(0),
            let text = line?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty
        else { return nil }
        return text
    }

    /// The settings as a flat dictionary, for checkpoints: equal configurations give equal
    /// dictionaries.
    public var dictionaryRepresentation: [String: String] {
        var result: [String: String] = [:]
        for (name, value) in decoderOptions { result[name] = value }
        return result
    }

    /// Option/value pairs for the decoder, in a stable order: model options first, then the
    /// extra options sorted by name. Extra options override the model options.
    var decoderArguments: [String] { decoderOptions.flatMap { [$0.name, $0.value] } }

    private var decoderOptions: [(name: String, value: String)] {
        var pairs: [(name: String, value: String)] = [("-hmm", acousticModel), ("-dict", dictionary)]
        switch search {
        case .languageModel(let path): pairs.append(("-lm", path))
        case .grammar(let path): pairs.append(("-jsgf", path))
        case .keywords(let path): pairs.append(("-kws", path))
        }
        let extra = options.map { (name: Self.optionName($0.key), value: $0.value) }
        pairs.removeAll { pair in extra.contains { $0.name == pair.name } }
        return pairs + extra.sorted { $0.name < $1.name }
    }

    /// Checks the options and that the model files exist, naming the package that provides
    /// the default ones.
    func validate() throws(TranscriptionError) {
        // sphinxbase's log file is global: one decoder reopening it would pull it from under
        // another decoder that is logging (see Docs/notes/transcription.md).
        if decoderOptions.contains(where: { $0.name == "-logfn" }) {
            throw TranscriptionError(
                .invalidConfiguration, "the -logfn option is not supported: PocketSphinx logging is switched off process-wide")
        }
        var files: [(String, String)] = [("acoustic model", acousticModel), ("dictionary", dictionary)]
        switch search {
        case .languageModel(let path): files.append(("language model", path))
        case .grammar(let path): files.append(("grammar", path))
        case .keywords(let path): files.append(("keyword list", path))
        }
        for (role, path) in files where !FileManager.default.fileExists(atPath: path) {
            let hint = path.hasPrefix(Self.modelDirectory)
                ? "; install it with `apt-get install pocketsphinx-en-us`" : ""
            throw TranscriptionError(.modelNotFound, subject: path, "the PocketSphinx \(role) does not exist\(hint)")
        }
    }
}
