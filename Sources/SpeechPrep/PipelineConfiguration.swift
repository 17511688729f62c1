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

    /// Works out the kind of input from a path: a folder with `clips/`, a tar archive, or a
    /// folder of tar shards (a hub copy, or `.tar` files with TSVs) is a Common Voice release, another folder is an audio folder, a file is a manifest.
    /// - Parameters:
    ///   - path: A file or folder.
    ///   - split: The Common Voice split to read, when the path is a release.
    /// - Returns: The input.
    /// - Throws: ``PipelineError/Code/invalidInput`` when the path does not exist.
    public static func detect(_ path: String, split: String = "validated") throws(PipelineError) -> PipelineInput {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw PipelineError(.invalidInput, subject: path, "no such file or folder")
        }
        guard isDirectory.boolValue else {
            // A Common Voice release archive, read in place; anything else is a manifest.
            return ArchiveReader.looksLikeArchive(path) ? .commonVoice(path: path, split: split) : .manifest(path: path)
        }
        if FileManager.default.fileExists(atPath: "\(path)/clips") || CommonVoiceRelease.isShardFolder(path) {
            return .commonVoice(path: path, split: split)
        }
        let kaldiMarkers = ["wav.scp", "text"]
        if kaldiMarkers.allSatisfy({ FileManager.default.fileExists(atPath: "\(path)/\($0)") }) {
            return .manifest(path: path)
        }
        return .audioFolder(path: path)
    }

    /// A stable description, recorded in the checkpoint configuration.
    var summary: String {
        switch self {
        case .manifest(let path): "manifest:\(path)"
        case .commonVoice(let path, let split): "commonvoice:\(path)#\(split)"
        case .audioFolder(let path): "folder:\(path)"
        }
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
    /// The name of the text normalisation scores will use; recorded in the checkpoint so a
    /// resumed run never mixes results made under different settings.
    public var normalization: String = "lowercase-punctuation"
    /// Worker threads, each with its own recogniser; defaults to the number of cores.
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
            "normalization": normalization,
            "limit": limit.map(String.init) ?? "none",
            "languageLimits": languageLimits.summary,
            "shard": shard?.description ?? "none",
            "engine": transcriber?.engineName ?? "none",
        ]
        for (key, value) in transcriber?.configuration ?? [:] { settings["engine.\(key)"] = value }
        return settings
    }

    /// The journal's file name: `journal.jsonl`, or `journal.part-k-of-N.jsonl` for a shard.
    public var journalPath: String {
        "\(outputDirectory)/journal\(shard.map { ".\($0.partName)" } ?? "").jsonl"
    }

    /// Where a converted clip is written, relative to the output folder.
    /// - Parameter id: The item's id.
    /// - Returns: `wavs/<id>.wav`, with path separators in the id replaced.
    public static func convertedAudioPath(forID id: String) -> String {
        "wavs/\(id.replacingOccurrences(of: "/", with: "__")).wav"
    }
}
