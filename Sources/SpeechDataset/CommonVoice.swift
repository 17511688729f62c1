/// A Common Voice release folder (`cv-corpus-*/<lang>/`) with `clips/` and one TSV per split
/// (`train.tsv`, `dev.tsv`, `test.tsv`, `validated.tsv`, `other.tsv`, `invalidated.tsv`, …), or
/// the same release still in its downloaded archive, or a copy made of tar shards (see
/// ``CommonVoiceLayout``): which one is told from what the path is.
///
/// Columns are found by their header names, never by position: releases renamed `accent` to
/// `accents` and added `segment`, `variant`, `sentence_id` and `sentence_domain`, and more may
/// come. Each row becomes an entry whose id is the clip's file name without extension (as the
/// old workflow's `ID`), audio path `clips/<path>`, text the `sentence`, language the `locale`
/// (or the folder name), speaker the `client_id`, and every other non-empty column in
/// ``ManifestEntry/extra`` under its own name (an old `accent` column is also given as `accents`).
public struct CommonVoiceRelease: Sendable {
    /// The language folder, the archive, or the folder of shards.
    public let path: String
    /// Where the TSVs and clips are.
    public let layout: CommonVoiceLayout
    /// The splits found: the standard ones first in the order train, dev, test, validated,
    /// other, invalidated, then any other TSV that has `path` and `sentence` columns.
    public let splits: [String]

    static let standardSplits = ["train", "dev", "test", "validated", "other", "invalidated"]

    /// Opens a release: a `cv-corpus-*/<lang>` folder, a release archive
    /// (`cv-corpus-*-<lang>.tar.gz`, any compression), a Hugging Face hub copy (`audio/` and
    /// `transcript/` trees of tar shards), or a folder of `.tar` shards with split TSVs.
    /// An archive is read once, to its end, to list its splits.
    /// - Parameter path: The folder or archive.
    /// - Throws: ``DatasetError`` `.io` when the folder cannot be listed or the archive read,
    ///   `.unknownFormat` when it holds no split TSV (for an archive: no Common Voice layout).
    public init(path: String) throws(DatasetError) {
        self.path = path
        if let other = try CommonVoiceLayout.detect(path) {
            layout = other.layout
            splits = Self.ordered(other.splits)
            guard !splits.isEmpty else {
                throw DatasetError(.unknownFormat, subject: path, "no Common Voice split (train.tsv, dev.tsv, validated.tsv, …) in this \(other.layout.noun)")
            }
            return
        }
        layout = .folder
        var found: [String] = []
        for name in try FileSystem.contentsOfDirectory(path) where name.hasSuffix(".tsv") {
            let split = String(name.dropLast(4))
            if Self.standardSplits.contains(split) {
                found.append(split)
            } else if let table = try? HeaderedTable(path: "\(path)/\(name)", separator: 0x09, quoting: .lenient),
                table.header.contains("path"), table.header.contains("sentence") {
                found.append(split)
            }
        }
        splits = Self.ordered(found)
        guard !splits.isEmpty else {
            throw DatasetError(.unknownFormat, subject: path, "no Common Voice split (train.tsv, dev.tsv, validated.tsv, …) in this folder")
        }
    }

    static func ordered(_ found: [String]) -> [String] {
        Set(found).sorted { a, b in
            let ia = Self.standardSplits.firstIndex(of: a) ?? Int.max, ib = Self.standardSplits.firstIndex(of: b) ?? Int.max
            return ia != ib ? ia < ib : byteOrder(a, b)
        }
    }

    /// The language code: the language folder's name (inside the archive, or the hub's
    /// `<lang>` folder).
    public var language: String {
        switch layout {
        case .folder, .tarShards: ManifestEntry.defaultID(forAudioPath: path + ".x")
        case .archive(let folder): ManifestEntry.defaultID(forAudioPath: (folder.isEmpty ? path : folder) + ".x")
        case .hubShards(let language): language
        }
    }

    /// A reader over one split.
    /// - Parameters:
    ///   - split: A name from ``splits`` (e.g. `validated`).
    ///   - options: Strict or lenient, duplicate detection.
    /// - Returns: The reader.
    /// - Throws: ``DatasetError`` `.io` when the TSV cannot be opened, `.missingField` when its
    ///   header lacks `path` or `sentence`.
    public func reader(split: String, options: ReadOptions = .init()) throws(DatasetError) -> CommonVoiceReader {
        switch layout {
        case .folder, .tarShards, .hubShards:
            return try CommonVoiceReader(path: tsvPath(split: split), language: language, options: options)
        case .archive(let folder):
            // Streamed from the archive: the reader moves to the member and reads it line by line.
            let archive = try CommonVoiceLayout.openArchive(path)
            let member = (folder.isEmpty ? "" : folder + "/") + split + ".tsv"
            try CommonVoiceLayout.seek(archive, to: member)
            let lines = LineReader(name: "\(path)/\(member)") { (buffer) throws(DatasetError) -> Int in
                try archive.readChunk(into: buffer)
            }
            return try CommonVoiceReader(table: HeaderedTable(lines: lines, separator: 0x09, quoting: .lenient), language: language, options: options)
        }
    }
}

/// Reads one Common Voice split TSV; see ``CommonVoiceRelease`` for the mapping of columns.
public struct CommonVoiceReader: ManifestReader {
    private var reader: TableReader

    /// Opens a split TSV.
    /// - Parameters:
    ///   - path: The `.tsv` file (its clips are in `clips/` next to it).
    ///   - language: The language when a row has no `locale` column (older releases).
    ///   - options: Strict or lenient, duplicate detection.
    /// - Throws: ``DatasetError`` `.io` when the file cannot be opened, `.missingField` when its
    ///   header lacks `path` or `sentence`.
    public init(path: String, language: String? = nil, options: ReadOptions = .init()) throws(DatasetError) {
        try self.init(table: HeaderedTable(path: path, separator: 0x09, quoting: .lenient), language: language, options: options)
    }

    init(table: HeaderedTable, language: String?, options: ReadOptions) throws(DatasetError) {
        let path = table.path
        try table.require(["path", "sentence"])
        let known: Set<String> = ["path", "sentence", "locale", "client_id"]
        reader = TableReader(table: table, collector: IssueCollector(options: options)) { (row, line) throws(DatasetError) in
            guard let clip = row["path"], !clip.isEmpty else {
                throw DatasetError(.missingField, subject: path, line: line, field: "path", "the row has no clip path")
            }
            var extra: [String: String] = [:]
            for (key, value) in row where !known.contains(key) && !value.isEmpty { extra[key] = value }
            if let accent = extra["accent"], extra["accents"] == nil { extra["accents"] = accent }
            return ManifestEntry(
                id: ManifestEntry.defaultID(forAudioPath: clip), audioPath: "clips/" + clip, text: row["sentence"],
                language: row.first(of: ["locale"]) ?? language, speaker: row.first(of: ["client_id"]), extra: extra)
        }
    }

    /// Problems skipped in lenient mode.
    public var issues: [DatasetError] { reader.collector.issues }

    /// The next entry.
    /// - Returns: The entry, or `nil` at the end.
    /// - Throws: ``DatasetError`` naming line and column of a bad row (strict mode).
    public mutating func next() throws(DatasetError) -> ManifestEntry? { try reader.next() }
}
