/// Reads a run's `metadata.jsonl`: one flat JSON object per line, `{"id": …, "<column>": …}`,
/// as the pipeline writes it next to `manifest.jsonl` (line *k* describes the manifest's line
/// *k*). Each line becomes an entry with that ``ManifestEntry/id``, no audio path, and every
/// other member in ``ManifestEntry/extra`` (`speaker`, `language`, `gender`, `age`, …). The
/// file is streamed and parsed with the same byte-level reader as NeMo manifests.
public struct MetadataReader: ManifestReader {
    private var source: LineRecordSource

    /// Opens a metadata file.
    /// - Parameters:
    ///   - path: The `metadata.jsonl` file.
    ///   - options: Strict or lenient, duplicate detection.
    /// - Throws: ``DatasetError`` `.io` when the file cannot be opened.
    public init(path: String, options: ReadOptions = .init()) throws(DatasetError) {
        source = try LineRecordSource(path: path, options: options)
    }

    /// Problems skipped in lenient mode.
    public var issues: [DatasetError] { source.collector.issues }

    /// The next line's entry.
    /// - Returns: The entry, or `nil` at the end.
    /// - Throws: ``DatasetError`` naming the line of a bad record or one without an `id` (strict mode).
    public mutating func next() throws(DatasetError) -> ManifestEntry? {
        let file = source.path
        return try source.next { (line, number) throws(DatasetError) in
            let fields = FieldReader(object: try parseObject(line, file: file, line: number), file: file, line: number)
            return ManifestEntry(
                id: try fields.requiredString("id"), audioPath: "", extra: fields.extras(excluding: ["id"]))
        }
    }
}
