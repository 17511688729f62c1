/// Reads Hugging Face `audiofolder` metadata: `metadata.jsonl` or `metadata.csv` with a
/// `file_name` column (the audio path relative to the folder) and the transcript in
/// `transcription`, `text` or `sentence`; other columns go to ``ManifestEntry/extra``.
/// The id is the file's stem, whether the folder or its metadata file is given.
///
/// A folder whose metadata sits in split subfolders (`train/metadata.csv`, `test/…`) is read
/// split after split, in byte order of the split names; audio paths are then relative to the
/// given folder (`train/a.wav`), ids are still the stems.
public struct AudioFolderMetadataReader: ManifestReader {
    // Two optionals rather than an enum with payloads, so `next()` mutates in place (an enum
    // payload would be copied, and with it the duplicate-id set, on every call).
    private var jsonl: LineRecordSource?
    private var csv: TableReader?
    /// The metadata files still to read after the current one, and the current one's folder
    /// relative to the given folder ("" or "train/").
    private var remaining: [(prefix: String, file: String)]
    private var prefix = ""
    private let options: ReadOptions
    private var finishedIssues: [DatasetError] = []
    static let textKeys = ["transcription", "text", "sentence"]
    static let metadataNames = ["metadata.jsonl", "metadata.csv"]

    /// Opens the metadata of an audio folder.
    /// - Parameters:
    ///   - path: The folder (its `metadata.jsonl` is preferred over `metadata.csv`; without
    ///     either, those of its split subfolders) or the metadata file itself.
    ///   - options: Strict or lenient, duplicate detection.
    /// - Throws: ``DatasetError`` `.io` when no metadata file can be opened, `.missingField`
    ///   when a CSV header lacks `file_name`.
    public init(path: String, options: ReadOptions = .init()) throws(DatasetError) {
        self.options = options
        var files = [(prefix: "", file: path)]
        if FileSystem.isDirectory(path) {
            files = Self.metadataFile(in: path).map { [("", $0)] }
                ?? Self.splitFolders(in: path).compactMap { split in Self.metadataFile(in: "\(path)/\(split)").map { ("\(split)/", $0) } }
            if files.isEmpty { files = [("", "\(path)/metadata.csv")] }  // Fails to open, naming the file.
        }
        remaining = Array(files.dropFirst())
        try open(files[0])
    }

    /// The metadata file in a folder, JSON Lines preferred.
    static func metadataFile(in folder: String) -> String? {
        metadataNames.map { "\(folder)/\($0)" }.first(where: FileSystem.fileExists)
    }

    /// Whether a folder holds `metadata.jsonl` or `metadata.csv`.
    static func hasMetadata(_ folder: String) -> Bool { metadataFile(in: folder) != nil }

    /// The subfolders (names, byte-ordered) that hold metadata: the splits of an audio folder.
    static func splitFolders(in folder: String) -> [String] {
        let names = (try? FileSystem.contentsOfDirectory(folder)) ?? []
        return names.filter { !$0.hasPrefix(".") && FileSystem.isDirectory("\(folder)/\($0)") && hasMetadata("\(folder)/\($0)") }
            .sorted(by: byteOrder)
    }

    private mutating func open(_ next: (prefix: String, file: String)) throws(DatasetError) {
        finishedIssues += issues
        (prefix, jsonl, csv) = (next.prefix, nil, nil)
        let file = next.file
        if file.hasSuffix(".csv") {
            let table = try HeaderedTable(path: file, separator: UInt8(ascii: ","), quoting: .strict)
            try table.require(["file_name"])
            csv = TableReader(table: table, collector: IssueCollector(options: options)) { (row, line) throws(DatasetError) in
                guard let name = row["file_name"], !name.isEmpty else {
                    throw DatasetError(.missingField, subject: file, line: line, field: "file_name", "the row has no file name")
                }
                return Self.entry(fileName: name, text: row.first(of: Self.textKeys), extra: row.filter { $0.key != "file_name" && !Self.textKeys.contains($0.key) })
            }
        } else {
            jsonl = try LineRecordSource(path: file, options: options)
        }
    }

    static func entry(fileName: String, text: String?, extra: [String: String]) -> ManifestEntry {
        ManifestEntry(id: ManifestEntry.defaultID(forAudioPath: fileName), audioPath: fileName, text: text, extra: extra)
    }

    /// Problems skipped in lenient mode.
    public var issues: [DatasetError] {
        finishedIssues + (jsonl?.collector.issues ?? csv?.collector.issues ?? [])
    }

    /// The next entry.
    /// - Returns: The entry, or `nil` at the end.
    /// - Throws: ``DatasetError`` naming line and field of a bad record (strict mode).
    public mutating func next() throws(DatasetError) -> ManifestEntry? {
        while true {
            if var entry = try nextInFile() {
                entry.audioPath = prefix + entry.audioPath
                return entry
            }
            guard !remaining.isEmpty else { return nil }
            try open(remaining.removeFirst())
        }
    }

    private mutating func nextInFile() throws(DatasetError) -> ManifestEntry? {
        if csv != nil { return try csv!.next() }
        let file = jsonl!.path
        return try jsonl!.next { (line, number) throws(DatasetError) in
            let fields = FieldReader(object: try parseObject(line, file: file, line: number), file: file, line: number)
            var text: String?
            for key in Self.textKeys where text == nil { text = try fields.string(key) }
            return Self.entry(
                fileName: try fields.requiredString("file_name"), text: text,
                extra: fields.extras(excluding: Set(Self.textKeys + ["file_name"])))
        }
    }
}

/// Writes Hugging Face `audiofolder` metadata (`metadata.jsonl` or `metadata.csv`): `file_name`
/// (the entry's audio path, which should be relative to the folder), `transcription`, then the
/// extra fields in byte order of their names. A CSV's columns are fixed by the first entry
/// (or given), so later entries with other extra fields are rejected.
public struct AudioFolderMetadataWriter: ManifestWriter {
    /// The metadata file format.
    public enum Format: Sendable { case jsonl, csv }
    private let file: AtomicFileWriter
    private let format: Format
    private var columns: [String]?

    /// Starts the output.
    /// - Parameters:
    ///   - path: The metadata file (`…/metadata.jsonl` or `…/metadata.csv`).
    ///   - format: JSON Lines or CSV.
    ///   - extraColumns: For CSV, the extra columns; default: those of the first entry.
    /// - Throws: ``DatasetError`` `.io` when the temporary file cannot be created.
    public init(path: String, format: Format, extraColumns: [String]? = nil) throws(DatasetError) {
        file = try AtomicFileWriter(path: path)
        self.format = format
        columns = extraColumns
    }

    /// Appends one entry.
    /// - Parameter entry: The entry.
    /// - Throws: ``DatasetError`` `.invalidValue` when a CSV entry has extra fields outside the
    ///   columns, `.io` when writing fails.
    public mutating func write(_ entry: ManifestEntry) throws(DatasetError) {
        switch format {
        case .jsonl:
            var out = "{"
            var first = true
            JSONText.appendMember("file_name", entry.audioPath, to: &out, first: &first)
            JSONText.appendMember("transcription", entry.text, to: &out, first: &first)
            for key in entry.extra.keys.sorted(by: byteOrder) { JSONText.appendMember(key, entry.extra[key], to: &out, first: &first) }
            try file.write(out + "}\n")
        case .csv:
            if columns == nil {
                columns = entry.extra.keys.sorted(by: byteOrder)
                try file.write((["file_name", "transcription"] + columns!).map(Self.csvField).joined(separator: ",") + "\n")
            }
            let known = Set(columns!)
            if let stray = entry.extra.keys.first(where: { !known.contains($0) }) {
                throw DatasetError(.invalidValue, subject: entry.id, field: stray, "this column is not in the CSV header (\(columns!.joined(separator: ", ")))")
            }
            let values = [entry.audioPath, entry.text ?? ""] + columns!.map { entry.extra[$0] ?? "" }
            try file.write(values.map(Self.csvField).joined(separator: ",") + "\n")
        }
    }

    /// Completes the file atomically.
    /// - Throws: ``DatasetError`` `.io` when the file cannot be synced or renamed.
    public mutating func finish() throws(DatasetError) {
        if format == .csv && columns == nil { try file.write("file_name,transcription\n") }
        try file.commit()
    }

    /// RFC 4180 quoting, only where needed (as Python's `csv.QUOTE_MINIMAL`).
    static func csvField(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }) else { return value }
        return "\"" + value.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }
}
