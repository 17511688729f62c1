import Foundation

/// Where a pipeline takes its items from.
public enum PipelineInput: Hashable, Sendable {
    /// Any manifest `SpeechDataset` reads (legacy JSON, NeMo JSONL, Kaldi data folder, …),
    /// detected from its contents.
    case manifest(path: String)
    /// A Common Voice release folder (the one holding `clips/` and the TSV files) and a split
    /// such as `validated` or `dev`.
    case commonVoice(path: String, split: String)
    /// A folder of audio files, searched recursively; ids are relative paths without extension.
    case audioFolder(path: String)
    /// Items from any `ManifestReader` the caller supplies (see ``CustomPipelineInput``).
    case custom(CustomPipelineInput)

    /// Works out the kind of input from a path, by the one rule `SpeechDataset` uses
    /// (`ManifestFormat.detect(path:)`): a Common Voice release reads `split`; a plain
    /// folder of audio files is an audio folder; everything else — manifests, Kaldi data
    /// folders, Hugging Face audio folders with `metadata.csv`/`metadata.jsonl` — is a
    /// manifest. An audio folder whose metadata sits in split subfolders reads the subfolder
    /// named `split` when there is one, else every split.
    /// - Parameters:
    ///   - path: A file or folder.
    ///   - split: The Common Voice split (or audio-folder split subfolder) to read.
    /// - Returns: The input.
    /// - Throws: `PipelineError.Code.invalidInput` when the path does not exist or is a
    ///   file in no format SpeechDataset reads.
    public static func detect(_ path: String, split: String = "validated") throws(PipelineError) -> PipelineInput {
        guard FileManager.default.fileExists(atPath: path) else {
            throw PipelineError(.invalidInput, subject: path, "no such file or folder")
        }
        let format: ManifestFormat
        do { format = try ManifestFormat.detect(path: path) } catch { throw PipelineError.wrapping(.invalidInput, error) }
        switch format {
        case .commonVoiceRelease: return .commonVoice(path: path, split: split)
        case .audioFiles: return .audioFolder(path: path)
        case .audioFolder where ManifestFormat.isAudioFolderSplit("\(path)/\(split)"): return .manifest(path: "\(path)/\(split)")
        default: return .manifest(path: path)
        }
    }

    /// A stable description, recorded in the checkpoint configuration.
    var summary: String {
        switch self {
        case .manifest(let path): "manifest:\(path)"
        case .commonVoice(let path, let split): "commonvoice:\(path)#\(split)"
        case .audioFolder(let path): "folder:\(path)"
        case .custom(let input): "custom:\(input.name)"
        }
    }
}

/// An input that reads items from any `ManifestReader`: the open seam for feeding the
/// pipeline from a database, an archive, a generated list, or a reader of your own.
///
/// ```swift
/// let input = CustomPipelineInput(name: "my-corpus-v2", root: "/data/corpus") {
///     try MyCorpusReader(index: "/data/corpus/index.db")
/// }
/// let configuration = PipelineConfiguration(input: .custom(input), outputDirectory: "out")
/// ```
///
/// The pipeline may read the input more than once (to count it, and again when a run
/// resumes), so `makeReader` must return a fresh reader that yields the same entries in the
/// same order each time.
public struct CustomPipelineInput: Hashable, Sendable {
    /// A stable name for the input, recorded in the checkpoint: a run resumed with another
    /// name is refused as a different configuration.
    public let name: String
    /// The folder that relative audio paths are resolved against (absolute paths are taken
    /// as they are); `nil` for the current folder.
    public let root: String?
    /// Makes a reader positioned at the first entry.
    public let makeReader: @Sendable () throws -> any ManifestReader

    /// Creates an input.
    /// - Parameters:
    ///   - name: A stable name, recorded in the checkpoint.
    ///   - root: The folder relative audio paths are resolved against; `nil` for the current folder.
    ///   - makeReader: Returns a fresh reader each time it is called; an error it throws ends
    ///     the run as `PipelineError.Code.invalidInput`.
    public init(name: String, root: String? = nil, makeReader: @escaping @Sendable () throws -> any ManifestReader) {
        self.name = name
        self.root = root
        self.makeReader = makeReader
    }

    /// Inputs are equal when their names and roots are.
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.name == rhs.name && lhs.root == rhs.root }

    /// Hashes the name and root.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(root)
    }
}

/// Everything a ``Pipeline`` run needs to know.
public struct PipelineConfiguration: Sendable {
    /// Where the items come from.
    public var input: PipelineInput
    /// The folder for the journal, converted audio and final outputs.
    public var outputDirectory: String
    /// The sample rate audio is converted to, in hertz (16 kHz for most recognisers).
    public var targetSampleRate: Double = 16_000
    /// The resampler quality.
    public var resampleQuality: Resampler.Quality = .high
    /// Whether to write each converted clip to `wavs/<id>.wav` in the output folder.
    public var writeAudio: Bool = false
    /// The recogniser, or `nil` to only convert.
    public var transcriber: (any TranscriberFactory)?
    /// The normalisation the run's scores use (default `lowercase-punctuation`); its
    /// `TextNormalizer.name` is recorded in the checkpoint so a resumed run never
    /// mixes results made under different settings.
    public var normalizer: any TextNormalizer = TranscriptScoring.defaultNormalizer
    /// Workers: audio threads and, with a recogniser, as many recogniser threads, each with
    /// its own engine; defaults to the number of cores.
    public var workerCount: Int = ProcessInfo.processInfo.activeProcessorCount
    /// Stop after this many items (before sharding), or `nil` for all.
    public var limit: Int?
    /// Per-language limits applied in input order.
    public var languageLimits: LanguageLimitPolicy = .unlimited
    /// The subset of items this run handles, or `nil` for all.
    public var shard: Shard?
    /// Whether any failed item stops the run with an error.
    public var strict: Bool = false
    /// Also write the old workflow's chunk files (`asr_3000.json`, `asr_6000.json`, …) every
    /// this many items; `nil` for none.
    public var chunkFileInterval: Int?
    /// Whether to discard an existing journal instead of resuming from it.
    public var fresh: Bool = false

    /// Creates a configuration with defaults for everything but the input and output folder.
    /// - Parameters:
    ///   - input: Where the items come from.
    ///   - outputDirectory: The folder for the journal and outputs.
    public init(input: PipelineInput, outputDirectory: String) {
        self.input = input
        self.outputDirectory = outputDirectory
    }

    /// The settings that change results; stored in the journal and compared on resume.
    public var checkpointConfiguration: [String: String] {
        var settings: [String: String] = [
            "input": input.summary,
            "targetSampleRate": String(Int(targetSampleRate)),
            "resampleQuality": "\(resampleQuality)",
            "writeAudio": String(writeAudio),
            "normalization": normalizer.name,
            "limit": limit.map(String.init) ?? "none",
            "languageLimits": languageLimits.summary,
            "shard": shard?.description ?? "none",
            "engine": transcriber?.engineName ?? "none",
        ]
        for (key, value) in transcriber?.checkpointSettings ?? [:] { settings["engine.\(key)"] = value }
        if writeAudio { settings["audioFileNames"] = ItemFileNames.scheme }
        return settings
    }

    /// The journal's file name: `journal.jsonl`, or `journal.part-k-of-N.jsonl` for a shard.
    public var journalPath: String {
        "\(outputDirectory)/journal\(shard.map { ".\($0.partName)" } ?? "").jsonl"
    }

    /// Where a converted clip is written, relative to the output folder.
    ///
    /// Distinct ids never share a file: `%`, `/`, a leading `.` and control bytes are
    /// percent-escaped (`a/b` → `wavs/a%2Fb.wav`), every other byte is kept.
    /// - Parameter id: The item's id.
    /// - Returns: `wavs/<escaped id>.wav`.
    public static func convertedAudioPath(forID id: String) -> String {
        "wavs/\(ItemFileNames.name(forID: id)).wav"
    }
}
