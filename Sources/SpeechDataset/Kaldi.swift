/// Reads a Kaldi data directory: `wav.scp`, and when present `segments`, `text`, `utt2spk`,
/// `utt2dur`, `utt2lang`.
///
/// Kaldi requires every file sorted by key in C-locale byte order, which lets this reader
/// merge-join them while streaming: memory stays bounded (with `segments`, `wav.scp` maps
/// recordings, which are held in memory). Utterances come from `segments` when it exists
/// (offset = start, duration = end - start, `extra["recording_id"]`), else from `wav.scp`.
/// A `wav.scp` value that is a command (`sox … |`) is kept verbatim as the audio path.
/// A file out of order throws `.notSorted` (fix it with Kaldi's `utils/fix_data_dir.sh`).
public struct KaldiDataDirectoryReader: ManifestReader {
    private let primary: KeyedStream
    private let hasSegments: Bool
    private let recordings: [String: String]
    private let side: [String: KeyedStream]
    private var collector: IssueCollector
    private let directory: String

    /// Opens a data directory.
    /// - Parameters:
    ///   - path: The folder holding `wav.scp`.
    ///   - options: Strict or lenient, duplicate detection.
    /// - Throws: ``DatasetError`` `.io` when `wav.scp` cannot be opened, `.notSorted` or a bad
    ///   line when `segments` is used and `wav.scp` cannot be loaded.
    public init(path: String, options: ReadOptions = .init()) throws(DatasetError) {
        directory = path
        collector = IssueCollector(options: options)
        let lenient = options.mode == .lenient
        hasSegments = FileSystem.fileExists("\(path)/segments")
        var recordings: [String: String] = [:]
        if hasSegments {
            let scp = try KeyedStream(path: "\(path)/wav.scp", lenient: lenient)
            while let row = try scp.nextRow() { recordings[row.key] = row.value }
            primary = try KeyedStream(path: "\(path)/segments", lenient: lenient)
        } else {
            primary = try KeyedStream(path: "\(path)/wav.scp", lenient: lenient)
        }
        self.recordings = recordings
        var side: [String: KeyedStream] = [:]
        for name in ["text", "utt2spk", "utt2dur", "utt2lang"] where FileSystem.fileExists("\(path)/\(name)") {
            side[name] = try KeyedStream(path: "\(path)/\(name)", lenient: lenient)
        }
        self.side = side
    }

    /// Problems skipped in lenient mode.
    public var issues: [DatasetError] {
        collector.issues + primary.issues + side.keys.sorted().flatMap { side[$0]!.issues }
    }

    /// The next utterance.
    /// - Returns: The entry, or `nil` at the end.
    /// - Throws: ``DatasetError`` `.notSorted`, `.invalidUTF8`, `.wrongColumnCount`,
    ///   `.invalidValue`, `.missingField` naming file and line.
    public mutating func next() throws(DatasetError) -> ManifestEntry? {
        while let row = try primary.nextRow() {
            do throws(DatasetError) {
                let entry = try makeEntry(row)
                if try collector.admit(entry.id, file: primary.path, line: row.line) { return entry }
            } catch {
                try collector.report(error)
            }
        }
        return nil
    }

    private func makeEntry(_ row: KeyedStream.Row) throws(DatasetError) -> ManifestEntry {
        var entry = ManifestEntry(id: row.key, audioPath: row.value)
        if hasSegments {
            let fields = row.value.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count == 3 else {
                throw DatasetError(.wrongColumnCount, subject: primary.path, line: row.line, field: "segments", "expected \"<utterance> <recording> <start> <end>\", found \(fields.count + 1) fields")
            }
            let recording = String(fields[0])
            guard let audio = recordings[recording] else {
                throw DatasetError(.missingField, subject: primary.path, line: row.line, field: "recording", "recording \"\(recording)\" is not in wav.scp")
            }
            guard let start = Double(fields[1]), let end = Double(fields[2]), start >= 0, end > start || end == -1 else {
                throw DatasetError(.invalidValue, subject: primary.path, line: row.line, field: "start/end", "times \"\(fields[1]) \(fields[2])\" are not a valid segment")
            }
            entry.audioPath = audio
            entry.offset = start
            entry.duration = end == -1 ? nil : end - start
            entry.extra["recording_id"] = recording
        }
        entry.text = try side["text"]?.value(for: row.key)
        entry.speaker = try side["utt2spk"]?.value(for: row.key)
        entry.language = try side["utt2lang"]?.value(for: row.key)
        if let duration = try side["utt2dur"]?.value(for: row.key) {
            guard let seconds = Double(duration) else {
                throw DatasetError(.invalidValue, subject: "\(directory)/utt2dur", field: row.key, "duration \"\(duration)\" is not a number")
            }
            if entry.duration == nil { entry.duration = seconds }
        }
        return entry
    }
}

/// One Kaldi table file (`<key> <value>` per line) read in key order.
final class KeyedStream {
    struct Row {
        var key: String
        var value: String
        var line: Int
    }
    private let lines: LineReader
    private let lenient: Bool
    private var pending: Row?
    private var previousKey: String?
    private(set) var issues: [DatasetError] = []
    var path: String { lines.path }
    private var name: String { AtomicFileWriter.split(path).name }

    init(path: String, lenient: Bool) throws(DatasetError) {
        lines = try LineReader(path: path)
        self.lenient = lenient
    }

    /// The next row in file order, checking that keys ascend strictly in byte order.
    func nextRow() throws(DatasetError) -> Row? {
        if let row = pending { pending = nil; return row }
        while let line = try lines.next() {
            if line.isBlank { continue }
            guard let text = line.validatedString else {
                let error = DatasetError(.invalidUTF8, subject: path, line: lines.lineNumber, field: name, "the line is not valid UTF-8")
                if lenient { issues.append(error); continue }
                throw error
            }
            let trimmed = text.drop(while: { $0 == " " || $0 == "\t" })
            let key = String(trimmed.prefix(while: { $0 != " " && $0 != "\t" }))
            var value = trimmed.dropFirst(key.count).drop(while: { $0 == " " || $0 == "\t" })
            while let last = value.last, last == " " || last == "\t" { value = value.dropLast() }
            if let previousKey, !byteOrder(previousKey, key) {
                throw DatasetError(
                    .notSorted, subject: path, line: lines.lineNumber, field: name,
                    key == previousKey ? "the key \"\(key)\" appears twice" : "\"\(key)\" comes after \"\(previousKey)\"; Kaldi files must be sorted in C-locale byte order (run utils/fix_data_dir.sh)")
            }
            previousKey = key
            return Row(key: key, value: String(value), line: lines.lineNumber)
        }
        return nil
    }

    /// The value for `key`, skipping rows for keys before it; `nil` when the file has none.
    func value(for key: String) throws(DatasetError) -> String? {
        while let row = try nextRow() {
            if row.key == key { return row.value }
            if byteOrder(key, row.key) { pending = row; return nil }
        }
        return nil
    }
}

/// Writes a Kaldi data directory: `wav.scp`, `text`, `utt2spk`, `spk2utt`, and `segments`
/// when entries have offsets (recordings named by `extra["recording_id"]` or the audio's stem),
/// else `utt2dur` when they have durations. Kaldi needs every file sorted by key, so entries
/// are collected and written, sorted in C-locale byte order, on ``finish()``; each file is
/// written atomically. An entry without a speaker is its own speaker (Kaldi's convention).
public struct KaldiDataDirectoryWriter: ManifestWriter {
    /// The output folder.
    public let path: String
    private var entries: [ManifestEntry] = []

    /// Starts the output.
    /// - Parameter path: The folder; created when missing.
    /// - Throws: ``DatasetError`` `.io` when the folder cannot be created.
    public init(path: String) throws(DatasetError) {
        self.path = path
        try FileSystem.createDirectory(path)
    }

    /// Adds one entry.
    /// - Parameter entry: The entry; its id and speaker must not contain whitespace.
    /// - Throws: ``DatasetError`` `.invalidValue` for ids or speakers with whitespace, or an
    ///   offset without a duration.
    public mutating func write(_ entry: ManifestEntry) throws(DatasetError) {
        for (field, value) in [("id", entry.id), ("speaker", entry.speaker ?? "x")] where value.isEmpty || value.contains(where: \.isWhitespace) {
            throw DatasetError(.invalidValue, subject: entry.id, field: field, "Kaldi keys must be non-empty and contain no whitespace")
        }
        if entry.offset != nil && entry.duration == nil {
            throw DatasetError(.invalidValue, subject: entry.id, field: "duration", "a segment (with an offset) needs a duration for Kaldi's segments file")
        }
        entries.append(entry)
    }

    /// Sorts the entries and writes the files.
    /// - Throws: ``DatasetError`` `.duplicateID` when two entries share an id, `.io` when a
    ///   file cannot be written.
    public mutating func finish() throws(DatasetError) {
        let sorted = entries.sorted { byteOrder($0.id, $1.id) }
        for (a, b) in zip(sorted, sorted.dropFirst()) where ExactID(a.id) == ExactID(b.id) {
            throw DatasetError(.duplicateID, subject: path, field: "id", "the id \"\(a.id)\" appears more than once")
        }
        let segmented = sorted.contains { $0.offset != nil }
        var wav: [String: String] = [:], text = "", utt2spk = "", extra = ""
        var speakers: [String: [String]] = [:]
        for entry in sorted {
            let speaker = entry.speaker ?? entry.id
            if segmented {
                let recording = entry.extra["recording_id"] ?? ManifestEntry.defaultID(forAudioPath: entry.audioPath)
                wav[recording] = entry.audioPath
                let start = entry.offset ?? 0
                extra += "\(entry.id) \(recording) \(JSONText.number(start)) \(JSONText.number(start + entry.duration!))\n"
            } else {
                wav[entry.id] = entry.audioPath
                if let duration = entry.duration { extra += "\(entry.id) \(JSONText.number(duration))\n" }
            }
            if let line = entry.text { text += "\(entry.id) \(line)\n" }
            utt2spk += "\(entry.id) \(speaker)\n"
            speakers[speaker, default: []].append(entry.id)
        }
        let scp = wav.keys.sorted(by: byteOrder).map { "\($0) \(wav[$0]!)\n" }.joined()
        let spk2utt = speakers.keys.sorted(by: byteOrder).map { "\($0) \(speakers[$0]!.joined(separator: " "))\n" }.joined()
        try AtomicFile.write(scp, to: "\(path)/wav.scp")
        if !text.isEmpty { try AtomicFile.write(text, to: "\(path)/text") }
        try AtomicFile.write(utt2spk, to: "\(path)/utt2spk")
        try AtomicFile.write(spk2utt, to: "\(path)/spk2utt")
        if !extra.isEmpty { try AtomicFile.write(extra, to: "\(path)/\(segmented ? "segments" : "utt2dur")") }
    }
}
