/// Reads a NeMo manifest: JSON Lines with `audio_filepath`, `duration`, `text` and optional
/// `offset`, `lang`, `speaker`, `id`; other keys (such as `pred_text`) go to
/// ``ManifestEntry/extra``. The file is streamed in blocks and parsed line by line.
///
/// An entry's id is its `id` key when present, otherwise the audio file's stem, with the
/// offset in milliseconds appended (`talk_00012345`) when the line is a segment of a longer file.
public struct NeMoManifestReader: ManifestReader {
    private var source: LineRecordSource
    static let knownKeys: Set<String> = ["audio_filepath", "duration", "offset", "text", "lang", "speaker", "id"]

    /// Opens a manifest.
    /// - Parameters:
    ///   - path: The `.json` / `.jsonl` file.
    ///   - options: Strict or lenient, duplicate detection.
    /// - Throws: ``DatasetError`` `.io` when the file cannot be opened.
    public init(path: String, options: ReadOptions = .init()) throws(DatasetError) {
        source = try LineRecordSource(path: path, options: options)
    }

    /// Problems skipped in lenient mode.
    public var issues: [DatasetError] { source.collector.issues }

    /// The next entry.
    /// - Returns: The entry, or `nil` at the end.
    /// - Throws: ``DatasetError`` naming the line and field of a bad record (strict mode).
    public mutating func next() throws(DatasetError) -> ManifestEntry? {
        let file = source.path
        return try source.next { (line, number) throws(DatasetError) in
            let fields = FieldReader(object: try parseObject(line, file: file, line: number), file: file, line: number)
            // One pass over the members (the hot loop of large manifests); a repeated key's
            // last value wins, as in Python's json.
            var entry = ManifestEntry(id: "", audioPath: "")
            var audio: String?, id: String?
            for member in fields.object.members {
                let key = member.key, value = member.value
                switch key {
                case "audio_filepath": audio = try fields.string(value, key: key)
                case "duration": entry.duration = try fields.double(value, key: key)
                case "text": entry.text = try fields.string(value, key: key)
                case "offset": entry.offset = try fields.double(value, key: key)
                case "lang": entry.language = try fields.string(value, key: key)
                case "speaker": entry.speaker = try fields.string(value, key: key)
                case "id": id = try fields.string(value, key: key)
                default: entry.extra[key] = value.extraText
                }
            }
            guard let audio else { throw fields.error(.missingField, "audio_filepath", "required field is missing") }
            entry.audioPath = audio
            entry.id = id ?? Self.defaultID(audioPath: audio, offset: entry.offset)
            return entry
        }
    }

    static func defaultID(audioPath: String, offset: Double?) -> String {
        let stem = ManifestEntry.defaultID(forAudioPath: audioPath)
        guard let offset else { return stem }
        let milliseconds = String(Int((offset * 1000).rounded()))
        return stem + "_" + String(repeating: "0", count: max(0, 8 - milliseconds.count)) + milliseconds
    }
}

/// Writes a NeMo manifest (JSON Lines): `audio_filepath`, `offset` (when set), `duration`,
/// `text`, `lang`, `speaker`, `id` (only when it differs from the id a reader would derive),
/// then the extra fields in byte order of their names, all as strings except `pred_text` given
/// to ``write(_:prediction:)``. The file appears atomically on ``finish()``.
public struct NeMoManifestWriter: ManifestWriter {
    private let file: AtomicFileWriter

    /// Starts the output.
    /// - Parameter path: The destination.
    /// - Throws: ``DatasetError`` `.io` when the temporary file cannot be created.
    public init(path: String) throws(DatasetError) { file = try AtomicFileWriter(path: path) }

    /// Appends one entry.
    /// - Parameter entry: The entry.
    /// - Throws: ``DatasetError`` `.io` when writing fails.
    public mutating func write(_ entry: ManifestEntry) throws(DatasetError) { try write(entry, prediction: nil) }

    /// Appends one entry with the recogniser's output as `pred_text`.
    /// - Parameters:
    ///   - entry: The entry.
    ///   - prediction: The recogniser's transcript (overrides `extra["pred_text"]`).
    /// - Throws: ``DatasetError`` `.io` when writing fails.
    public mutating func write(_ entry: ManifestEntry, prediction: String?) throws(DatasetError) {
        var out = "{"
        var first = true
        JSONText.appendMember("audio_filepath", entry.audioPath, to: &out, first: &first)
        JSONText.appendMember("offset", entry.offset, to: &out, first: &first)
        JSONText.appendMember("duration", entry.duration, to: &out, first: &first)
        JSONText.appendMember("text", entry.text, to: &out, first: &first)
        JSONText.appendMember("lang", entry.language, to: &out, first: &first)
        JSONText.appendMember("speaker", entry.speaker, to: &out, first: &first)
        let derived = NeMoManifestReader.defaultID(audioPath: entry.audioPath, offset: entry.offset)
        JSONText.appendMember("id", ExactID(entry.id) == ExactID(derived) ? nil : entry.id, to: &out, first: &first)
        var extra = entry.extra
        if let prediction { extra["pred_text"] = prediction }
        for key in extra.keys.sorted(by: byteOrder) where !NeMoManifestReader.knownKeys.contains(key) {
            JSONText.appendMember(key, extra[key], to: &out, first: &first)
        }
        out.append("}\n")
        try file.write(out)
    }

    /// Completes the file atomically.
    /// - Throws: ``DatasetError`` `.io` when the file cannot be synced or renamed.
    public mutating func finish() throws(DatasetError) { try file.commit() }
}

/// C-locale (byte) order of strings, as Kaldi's `sort` and our deterministic outputs use.
func byteOrder(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }
