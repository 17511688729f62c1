import SpeechDataset
import Foundation

/// One transcribed utterance of a run, with what a report needs of it.
public struct ReportItem: Codable, Sendable, Hashable {
    /// The item id.
    public var id: String
    /// Its audio, as the run's `manifest.jsonl` gives it (relative to the run folder, or absolute).
    public var audioPath: String
    /// Its length in seconds, when known.
    public var duration: Double?
    /// The reference transcript, before normalisation.
    public var reference: String
    /// The recogniser's transcript, before normalisation.
    public var hypothesis: String
    /// The columns it came with (`speaker`, `gender`, `age`, `accents`, …).
    public var metadata: [String: String]

    /// Creates an item.
    /// - Parameters:
    ///   - id: The item id.
    ///   - audioPath: Its audio.
    ///   - duration: Its length in seconds.
    ///   - reference: The reference transcript.
    ///   - hypothesis: The recogniser's transcript.
    ///   - metadata: Its metadata columns.
    public init(
        id: String, audioPath: String, duration: Double?, reference: String, hypothesis: String,
        metadata: [String: String] = [:]
    ) {
        self.id = id
        self.audioPath = audioPath
        self.duration = duration
        self.reference = reference
        self.hypothesis = hypothesis
        self.metadata = metadata
    }
}

/// A finished run's transcribed items, read from its folder.
public struct RunResults: Sendable {
    /// The run folder.
    public var directory: String
    /// Its successful items in run order.
    public var items: [ReportItem]
    /// Things the reader noticed (e.g. no `metadata.jsonl`), for the report's notes.
    public var notes: [String]

    /// Creates results from items you already have (e.g. from your own pipeline).
    /// - Parameters:
    ///   - directory: Where relative audio paths are resolved from.
    ///   - items: The items in run order.
    ///   - notes: Notes for the report.
    public init(directory: String, items: [ReportItem], notes: [String] = []) {
        self.directory = directory
        self.items = items
        self.notes = notes
    }

    /// Reads a run folder: `manifest.jsonl` (audio, duration, `text`, `pred_text`) and, line
    /// by line beside it, `metadata.jsonl` (id and metadata columns). A run made before
    /// metadata was carried has no `metadata.jsonl`: ids then come from the audio file names
    /// and the report says that metadata slices are unavailable.
    /// - Parameter directory: The run's output folder.
    /// - Throws: `ReportingError.Code.invalidRun` when the manifest is missing or malformed,
    ///   holds no `pred_text` (a run without a recogniser), or the two files disagree.
    public init(directory: String) throws(ReportingError) {
        self.directory = directory
        notes = []
        let manifestPath = "\(directory)/manifest.jsonl", metadataPath = "\(directory)/metadata.jsonl"
        /// Every entry of a file, or an error naming it.
        func readAll(_ path: String, _ open: (String) throws(DatasetError) -> any ManifestReader) throws(ReportingError)
            -> [ManifestEntry]
        {
            var entries: [ManifestEntry] = []
            do {
                var reader = try open(path)
                while let entry = try reader.next() { entries.append(entry) }
            } catch {
                throw ReportingError(.invalidRun, subject: path, "cannot be read as a run's output: \(error)")
            }
            return entries
        }
        let entries = try readAll(manifestPath) { path throws(DatasetError) in try NeMoManifestReader(path: path) }
        var metadata: [ManifestEntry]?
        if FileManager.default.fileExists(atPath: metadataPath) {
            let rows = try readAll(metadataPath) { path throws(DatasetError) in try MetadataReader(path: path) }
            guard rows.count == entries.count else {
                throw ReportingError(
                    .invalidRun, subject: metadataPath,
                    "has \(rows.count) lines but manifest.jsonl has \(entries.count); they describe the same items line by line")
            }
            metadata = rows
        } else {
            notes.append("This run has no metadata.jsonl (it predates metadata output): ids come from audio file names and no metadata slices are available.")
        }
        items = []
        items.reserveCapacity(entries.count)
        for (offset, entry) in entries.enumerated() {
            guard let hypothesis = entry.extra["pred_text"] else {
                throw ReportingError(
                    .invalidRun, subject: manifestPath,
                    "line \(offset + 1) has no pred_text: the run had no recogniser, so there is nothing to score")
            }
            let row = metadata?[offset]
            items.append(
                ReportItem(
                    id: row?.id ?? entry.id, audioPath: entry.audioPath, duration: entry.duration,
                    reference: entry.text ?? "", hypothesis: hypothesis, metadata: row?.extra ?? [:]))
        }
    }
}
