/// The dataset layouts SpeechDataset reads.
public enum ManifestFormat: String, Sendable, Hashable, CaseIterable {
    /// `{"<idx>": {"wav_path", "sentence" | "truth"}}` (``LegacyManifestReader``).
    case legacyManifest
    /// `{"<idx>": {"ID", "truth", "asr"}}` results (``LegacyResults``).
    case legacyResults
    /// A folder of `asr_<n>.json` result chunks (``LegacyResults/readFolder(_:options:)``).
    case legacyResultsFolder
    /// NeMo JSON Lines (``NeMoManifestReader``).
    case nemo
    /// A Kaldi data directory (``KaldiDataDirectoryReader``).
    case kaldi
    /// A Hugging Face audio folder's metadata (``AudioFolderMetadataReader``).
    case audioFolder
    /// A Common Voice release language folder (``CommonVoiceRelease``).
    case commonVoiceRelease
    /// One Common Voice split TSV (``CommonVoiceReader``).
    case commonVoiceTSV
    /// A folder of audio files without metadata (``AudioFileFolderReader``): any folder that
    /// is none of the other layouts.
    case audioFiles

    /// Recognises a dataset by its layout and content (not only its name). This is the one
    /// rule the library and the command line both use.
    ///
    /// A folder is, in this order: a Kaldi data directory (`wav.scp`); an audio folder with
    /// metadata (`metadata.jsonl`/`metadata.csv` in it, or in split subfolders such as
    /// `train/`); a Common Voice release (`clips/` and split TSVs); a folder of `asr_<n>.json`
    /// results; otherwise a plain folder of audio files. A file is recognised by its content.
    /// - Parameter path: A manifest file or dataset folder.
    /// - Returns: The format.
    /// - Throws: ``DatasetError`` `.unknownFormat` when a file matches nothing, `.io` when the
    ///   path cannot be read.
    public static func detect(path: String) throws(DatasetError) -> ManifestFormat {
        if FileSystem.isDirectory(path) {
            if FileSystem.fileExists("\(path)/wav.scp") { return .kaldi }
            if AudioFolderMetadataReader.hasMetadata(path) || !AudioFolderMetadataReader.splitFolders(in: path).isEmpty {
                return .audioFolder
            }
            if (try? CommonVoiceRelease(path: path)) != nil { return .commonVoiceRelease }
            if try !LegacyResults.chunkFiles(in: path).isEmpty { return .legacyResultsFolder }
            return .audioFiles
        }
        if path.hasSuffix(".tsv") { return .commonVoiceTSV }
        if path.hasSuffix(".csv") { return .audioFolder }
        let prefix = try readPrefix(path, maxBytes: 1 << 16)
        let firstLine = prefix.prefix { $0 != 0x0A }
        if firstLine.count < prefix.count,
            let object = try? firstLine.withUnsafeBufferPointer({ (b) throws(DatasetError) in try parseObject(b, file: path, line: 1) }) {
            if object["audio_filepath"] != nil { return .nemo }
            if object["file_name"] != nil { return .audioFolder }
        }
        let text = String(decoding: prefix, as: UTF8.self)
        if text.contains("\"audio_filepath\"") { return .nemo }
        if text.contains("\"wav_path\"") { return .legacyManifest }
        if text.contains("\"asr\"") || text.contains("\"ID\"") { return .legacyResults }
        if text.contains("\"file_name\"") { return .audioFolder }
        throw DatasetError(.unknownFormat, subject: path, "not a NeMo manifest, legacy JSON manifest or results, or audio-folder metadata")
    }

    /// Whether a folder is one split of a Hugging Face audio folder: it holds `metadata.jsonl`
    /// or `metadata.csv`.
    /// - Parameter path: A folder.
    /// - Returns: `true` when the metadata is there.
    public static func isAudioFolderSplit(_ path: String) -> Bool {
        FileSystem.isDirectory(path) && AudioFolderMetadataReader.hasMetadata(path)
    }

    private static func readPrefix(_ path: String, maxBytes: Int) throws(DatasetError) -> [UInt8] {
        let fd = try Syscall.openForReading(path)
        defer { Syscall.close(fd) }
        let storage = UnsafeMutablePointer<UInt8>.allocate(capacity: maxBytes)
        defer { storage.deallocate() }
        var filled = 0
        while filled < maxBytes {
            let n = try Syscall.read(fd, into: storage + filled, count: maxBytes - filled, path: path)
            if n == 0 { break }
            filled += n
        }
        return Array(UnsafeBufferPointer(start: storage, count: filled))
    }
}

/// Opening any supported manifest by detecting its format.
public enum Manifest {
    /// Opens a manifest file or dataset folder with the reader its format needs.
    /// - Parameters:
    ///   - path: The manifest or folder. A Common Voice release yields its `validated` split
    ///     (or its first split); use ``CommonVoiceRelease`` to choose another.
    ///   - options: Strict or lenient, duplicate detection.
    /// - Returns: A streaming reader.
    /// - Throws: ``DatasetError`` `.unknownFormat` for unrecognised input and for results
    ///   files (read those with ``LegacyResults``), or any error of the reader's initialiser.
    public static func open(path: String, options: ReadOptions = .init()) throws(DatasetError) -> any ManifestReader {
        switch try ManifestFormat.detect(path: path) {
        case .nemo: return try NeMoManifestReader(path: path, options: options)
        case .legacyManifest: return try LegacyManifestReader(path: path, options: options)
        case .kaldi: return try KaldiDataDirectoryReader(path: path, options: options)
        case .audioFolder: return try AudioFolderMetadataReader(path: path, options: options)
        case .audioFiles: return try AudioFileFolderReader(path: path)
        case .commonVoiceRelease:
            let release = try CommonVoiceRelease(path: path)
            return try release.reader(split: release.splits.contains("validated") ? "validated" : release.splits[0], options: options)
        case .commonVoiceTSV:
            let folder = AtomicFileWriter.split(path).folder
            return try CommonVoiceReader(path: path, language: ManifestEntry.defaultID(forAudioPath: folder + ".x"), options: options)
        case .legacyResults, .legacyResultsFolder:
            throw DatasetError(.unknownFormat, subject: path, "this holds transcription results, not a manifest; read it with LegacyResults")
        }
    }
}
