// The JSON files of the Python workflow SpeechPrep replaces: a manifest
// `{"<idx>": {"wav_path": …, "sentence" | "truth": …}}` and results
// `{"<idx>": {"ID": …, "truth": …, "asr": …}}`, written in chunks `asr_3000.json`, `asr_6000.json`, ….
// Each is one JSON document, so it is read whole (these files hold thousands of records, not millions).

/// Parses a whole-file JSON document whose top level must be an object.
func readDocumentObject(_ path: String) throws(DatasetError) -> JSONObject {
    let bytes = try readWholeFile(path)
    return try bytes.withUnsafeBufferPointer { (buffer) throws(DatasetError) in try parseObject(buffer, file: path, line: nil) }
}

/// Walks the `{"<idx>": {…}}` members of a legacy document, making each record object into
/// an (id, value) with `make`; bad members and repeated ids are reported through `collector`.
func legacyRecords<Value>(
    _ document: JSONObject, file: String, collector: inout IssueCollector,
    _ make: (String, FieldReader) throws(DatasetError) -> (id: String, value: Value)
) throws(DatasetError) -> [Value] {
    var values: [Value] = []
    for (key, member) in document.members.map({ ($0.key, $0.value) }) {
        do throws(DatasetError) {
            guard case .object(let object) = member else {
                throw DatasetError(.malformedJSON, subject: file, field: key, "expected an object for record \"\(key)\", found \(member.typeName)")
            }
            let made = try make(key, FieldReader(object: object, file: file, line: nil))
            if try collector.admit(made.id, file: file, line: nil) { values.append(made.value) }
        } catch {
            try collector.report(error)
        }
    }
    return values
}

/// Reads the legacy manifest `{"<idx>": {"wav_path": "...", "sentence": "..."}}` (`truth` is
/// accepted for `sentence`). Entries come in document order; the id is the wav file's stem
/// (as the old results' `ID`), the `<idx>` key is kept as `extra["index"]`.
public struct LegacyManifestReader: ManifestReader {
    private var entries: [ManifestEntry] = []
    private var position = 0
    /// Problems skipped in lenient mode.
    public private(set) var issues: [DatasetError] = []

    /// Reads the manifest.
    /// - Parameters:
    ///   - path: The `.json` file.
    ///   - options: Strict or lenient, duplicate detection.
    /// - Throws: ``DatasetError`` for unreadable or malformed files, and (strict mode) bad records.
    public init(path: String, options: ReadOptions = .init()) throws(DatasetError) {
        let document = try readDocumentObject(path)
        var collector = IssueCollector(options: options)
        entries = try legacyRecords(document, file: path, collector: &collector) { (key, fields) throws(DatasetError) in
            let wav = try fields.string("wav_path")
            guard let wav else { throw fields.error(.missingField, "wav_path", "record \"\(key)\" has no wav_path") }
            var extra = fields.extras(excluding: ["wav_path", "sentence", "truth"])
            extra["index"] = key
            let entry = ManifestEntry(
                id: ManifestEntry.defaultID(forAudioPath: wav), audioPath: wav,
                text: try fields.firstString("sentence", "truth"), extra: extra)
            return (entry.id, entry)
        }
        issues = collector.issues
    }

    /// The next entry.
    /// - Returns: The entry, or `nil` at the end.
    public mutating func next() throws(DatasetError) -> ManifestEntry? {
        guard position < entries.count else { return nil }
        defer { position += 1 }
        return entries[position]
    }
}

/// Writes the legacy manifest `{"0": {"wav_path": …, "sentence": …}, "1": …}` with keys
/// numbered from 0, extra fields (except `index`) after, in byte order of their names.
public struct LegacyManifestWriter: ManifestWriter {
    private var output: LegacyObjectWriter

    /// Starts the output.
    /// - Parameter path: The destination.
    /// - Throws: ``DatasetError`` `.io` when the temporary file cannot be created.
    public init(path: String) throws(DatasetError) { output = try LegacyObjectWriter(path: path, firstIndex: 0) }

    /// Appends one entry.
    /// - Parameter entry: The entry.
    /// - Throws: ``DatasetError`` `.io` when writing fails.
    public mutating func write(_ entry: ManifestEntry) throws(DatasetError) {
        var out = "{"
        var first = true
        JSONText.appendMember("wav_path", entry.audioPath, to: &out, first: &first)
        JSONText.appendMember("sentence", entry.text, to: &out, first: &first)
        for key in entry.extra.keys.sorted(by: byteOrder) where key != "index" {
            JSONText.appendMember(key, entry.extra[key], to: &out, first: &first)
        }
        try output.append(out + "}")
    }

    /// Completes the file atomically.
    /// - Throws: ``DatasetError`` `.io` when the file cannot be synced or renamed.
    public mutating func finish() throws(DatasetError) { try output.finish() }
}

/// Writes the legacy results `{"0": {"ID": …, "truth": …, "asr": …}, …}` as Python's
/// `json.dump` would (one line, `", "` / `": "` separators, UTF-8 text).
public struct LegacyResultsWriter: TranscriptWriter {
    private var output: LegacyObjectWriter

    /// Starts the output.
    /// - Parameters:
    ///   - path: The destination.
    ///   - firstIndex: The first `<idx>` key (the old chunks continued numbering: 3000 for
    ///     the second chunk of 3000).
    /// - Throws: ``DatasetError`` `.io` when the temporary file cannot be created.
    public init(path: String, firstIndex: Int = 0) throws(DatasetError) {
        output = try LegacyObjectWriter(path: path, firstIndex: firstIndex)
    }

    /// Appends one record; `truth` and `asr` are written as `null` when absent.
    /// - Parameter record: The record.
    /// - Throws: ``DatasetError`` `.io` when writing fails.
    public mutating func write(_ record: TranscriptRecord) throws(DatasetError) {
        var out = "{\"ID\": "
        JSONText.appendQuoted(record.id, to: &out)
        for (key, value) in [("truth", record.truth), ("asr", record.asr)] {
            out.append(", \"\(key)\": ")
            if let value { JSONText.appendQuoted(value, to: &out) } else { out.append("null") }
        }
        try output.append(out + "}")
    }

    /// Completes the file atomically.
    /// - Throws: ``DatasetError`` `.io` when the file cannot be synced or renamed.
    public mutating func finish() throws(DatasetError) { try output.finish() }
}

/// The shared `{"<n>": <value>, …}` framing of both legacy writers.
struct LegacyObjectWriter {
    private let file: AtomicFileWriter
    private var index: Int
    private var first = true

    init(path: String, firstIndex: Int) throws(DatasetError) {
        file = try AtomicFileWriter(path: path)
        index = firstIndex
    }

    mutating func append(_ valueJSON: String) throws(DatasetError) {
        try file.write((first ? "{\"" : ", \"") + String(index) + "\": " + valueJSON)
        first = false
        index += 1
    }

    mutating func finish() throws(DatasetError) {
        try file.write(first ? "{}" : "}")
        try file.commit()
    }
}

/// Reading the legacy results files.
public enum LegacyResults {
    /// Reads one results file `{"<idx>": {"ID", "truth", "asr"}}` in document order.
    /// - Parameters:
    ///   - path: The `.json` file.
    ///   - options: Strict or lenient, duplicate detection.
    /// - Returns: The records.
    /// - Throws: ``DatasetError`` for unreadable or malformed files and bad records (strict).
    public static func read(_ path: String, options: ReadOptions = .init()) throws(DatasetError) -> [TranscriptRecord] {
        var collector = IssueCollector(options: options)
        return try read(path, collector: &collector)
    }

    /// Reads and merges a folder of chunk files `asr_3000.json`, `asr_6000.json`, … in
    /// numeric order of the number in their names (so `asr_10000` follows `asr_9000`).
    /// - Parameters:
    ///   - path: The folder.
    ///   - options: Strict or lenient; duplicate ids across chunks are detected.
    /// - Returns: The records of all chunks.
    /// - Throws: ``DatasetError`` `.io` when the folder cannot be listed, or any read error.
    public static func readFolder(_ path: String, options: ReadOptions = .init()) throws(DatasetError) -> [TranscriptRecord] {
        var collector = IssueCollector(options: options)
        var records: [TranscriptRecord] = []
        for file in try chunkFiles(in: path) {
            records.append(contentsOf: try read("\(path)/\(file.name)", collector: &collector))
        }
        return records
    }

    /// Writes records as the old workflow's chunk files: `asr_<n>.json` after every
    /// `chunkSize` records, where `<n>` is the number of records written so far (so the last
    /// chunk of 7,500 is `asr_7500.json`) and keys continue across chunks (`"3000"` opens the
    /// second chunk). Each file is written atomically.
    /// - Parameters:
    ///   - records: The records in output order.
    ///   - folder: The destination folder (must exist).
    ///   - chunkSize: Records per file. Default 3000, as the old workflow.
    /// - Returns: The paths written, in order.
    /// - Throws: ``DatasetError`` `.io` when a file cannot be written.
    @discardableResult
    public static func writeChunks(_ records: [TranscriptRecord], to folder: String, chunkSize: Int = 3000) throws(DatasetError) -> [String] {
        precondition(chunkSize > 0, "chunkSize must be positive")
        var paths: [String] = []
        for chunkStart in stride(from: 0, to: records.count, by: chunkSize) {
            let chunkEnd = min(chunkStart + chunkSize, records.count)
            let path = "\(folder)/asr_\(chunkEnd).json"
            var writer = try LegacyResultsWriter(path: path, firstIndex: chunkStart)
            for record in records[chunkStart..<chunkEnd] { try writer.write(record) }
            try writer.finish()
            paths.append(path)
        }
        return paths
    }

    /// The `asr_<n>.json` files of a folder in numeric order.
    /// - Parameter path: The folder.
    /// - Returns: Their names and numbers.
    /// - Throws: ``DatasetError`` `.io` when the folder cannot be listed.
    public static func chunkFiles(in path: String) throws(DatasetError) -> [(name: String, number: Int)] {
        try FileSystem.contentsOfDirectory(path).compactMap { name -> (name: String, number: Int)? in
            guard name.hasPrefix("asr_"), name.hasSuffix(".json"),
                let number = Int(name.dropFirst(4).dropLast(5)) else { return nil }
            return (name, number)
        }.sorted { $0.number < $1.number }
    }

    private static func read(_ path: String, collector: inout IssueCollector) throws(DatasetError) -> [TranscriptRecord] {
        let document = try readDocumentObject(path)
        return try legacyRecords(document, file: path, collector: &collector) { (key, fields) throws(DatasetError) in
            guard let id = try fields.firstString("ID", "id") else {
                throw fields.error(.missingField, "ID", "record \"\(key)\" has no ID")
            }
            let record = TranscriptRecord(id: id, truth: try fields.string("truth"), asr: try fields.string("asr"), duration: try fields.double("duration"))
            return (id, record)
        }
    }
}
