import Foundation

/// A finished item with its position in the input, the unit shard part files hold.
struct IndexedRecord: Codable, Sendable, Hashable {
    /// Position among all selected items (before sharding).
    var index: Int
    /// The audio the output manifest points at: the converted file (relative to the output
    /// folder) or the source file.
    var audioPath: String
    var record: TranscriptRecord
    /// The metadata the item came with (see ``ManifestEntry/outputMetadata``); `nil` in part
    /// files written before metadata was carried.
    var metadata: [String: String]? = nil
}

/// Where a run's records go, one at a time in input order: the final files of a run or a
/// merge (``PipelineOutputs``), or a shard's part file (``ShardPart/Writer``). Nothing needs
/// all records in memory.
protocol OrderedRecordSink {
    /// Takes the next record; indices only increase.
    mutating func add(_ item: IndexedRecord) throws(PipelineError)
    /// Completes every file.
    /// - Returns: The paths written.
    mutating func finish() throws(PipelineError) -> [String]
}

/// Writes a run's final files from its records in input order, streaming each into a
/// temporary file that is renamed into place at the end. Both a single run and
/// ``ShardMerger`` use it, which is what makes merged shards byte-identical to one run.
///
/// Files (each written atomically):
/// - `results.json` — the legacy `{idx: {ID, truth, asr}}` shape, when there was a recogniser;
/// - `manifest.jsonl` — NeMo (`audio_filepath`, `duration`, `text`, plus `pred_text`);
/// - `failures.jsonl` — `{id, audio, error}` for every failed item;
/// - `metadata.jsonl` — `{id, …metadata}` for every line of `manifest.jsonl`, in the same order
///   (speaker, language and the source's other columns, keys in byte order);
/// - `asr_<n>.json` chunk files every K items, when asked (one chunk is held in memory).
struct PipelineOutputs: OrderedRecordSink {
    static let resultsFile = "results.json"
    static let manifestFile = "manifest.jsonl"
    static let failuresFile = "failures.jsonl"
    static let metadataFile = "metadata.jsonl"
    static let finalNames: Set<String> = [resultsFile, manifestFile, failuresFile, metadataFile]

    private let directory: String
    private let chunkInterval: Int?
    private let transcribed: Bool
    private let results: LineBuffer?
    private let manifest: LineBuffer
    private let failures: LineBuffer
    private let metadata: LineBuffer
    private var resultCount = 0
    /// The successes of the current chunk, which covers input positions from `chunkStart`.
    private var chunk: [IndexedRecord] = []
    private var chunkStart = 0
    private var chunkPaths: [String] = []
    private var lastIndex: Int?

    /// Opens the output files.
    /// - Parameters:
    ///   - directory: The output folder.
    ///   - transcribed: Whether a recogniser ran (results and `pred_text` are written).
    ///   - chunkInterval: Write `asr_<n>.json` every this many input items, when transcribed.
    ///   - writeBehind: Write the files' full blocks on a thread of their own (``BlockWriter``),
    ///     for a caller whose own thread is the bottleneck (a merge).
    /// - Throws: `PipelineError.Code.outputFailed` when a file cannot be created.
    init(directory: String, transcribed: Bool, chunkInterval: Int?, writeBehind: Bool = false) throws(PipelineError) {
        self.directory = directory
        self.transcribed = transcribed
        self.chunkInterval = transcribed ? chunkInterval.flatMap { $0 > 0 ? $0 : nil } : nil
        let writer = writeBehind ? BlockWriter() : nil
        func open(_ name: String) throws(PipelineError) -> LineBuffer {
            do { return try LineBuffer(path: "\(directory)/\(name)", writer: writer) } catch {
                throw PipelineError.wrapping(.outputFailed, error, subject: "\(directory)/\(name)")
            }
        }
        results = transcribed ? try open(Self.resultsFile) : nil
        manifest = try open(Self.manifestFile)
        failures = try open(Self.failuresFile)
        metadata = try open(Self.metadataFile)
    }

    /// Writes the final files of `records` (sorted by input position) in one go.
    static func write(
        _ records: [IndexedRecord], transcribed: Bool, chunkInterval: Int?, to directory: String
    ) throws(PipelineError) -> [String] {
        var outputs = try PipelineOutputs(directory: directory, transcribed: transcribed, chunkInterval: chunkInterval)
        for record in records { try outputs.add(record) }
        return try outputs.finish()
    }

    mutating func add(_ item: IndexedRecord) throws(PipelineError) {
        if let interval = chunkInterval {
            while item.index >= chunkStart + interval { try writeChunk(end: chunkStart + interval) }
        }
        lastIndex = item.index
        try writing { () throws(DatasetError) in
            guard item.record.error == nil else {
                try Self.write(Self.failureLine(item), to: failures)
                return
            }
            if let results {
                try Self.write((resultCount == 0 ? "{\n" : ",\n") + Self.legacyLine(item), to: results)
                resultCount += 1
            }
            if chunkInterval != nil { chunk.append(item) }
            try Self.write(Self.nemoLine(item, transcribed: transcribed), to: manifest)
            try Self.write(Self.metadataLine(item), to: metadata)
        }
    }

    /// Takes the next line of a shard part: a line scanned in place is written byte for byte
    /// as ``add(_:)`` would write its record (its strings need no escaping, see ``PartLine``);
    /// any other line, or any line when chunk files are written, goes through ``add(_:)``.
    mutating func add(_ line: borrowing PartLine, path: String) throws(PipelineError) {
        guard chunkInterval == nil, let fields = line.fields else { return try add(line.record(path: path)) }
        lastIndex = line.index
        try writing { () throws(DatasetError) in
            if fields.error != nil {
                Self.failureLine(line, fields, into: failures)
                return try failures.endLine()
            }
            if let results {
                Self.legacyLine(line, fields, first: resultCount == 0, into: results)
                try results.endLine()
                resultCount += 1
            }
            Self.nemoLine(line, fields, transcribed: transcribed, into: manifest)
            try manifest.endLine()
            Self.metadataLine(line, fields, into: metadata)
            try metadata.endLine()
        }
    }

    mutating func finish() throws(PipelineError) -> [String] {
        // Chunks follow the old workflow: asr_3000.json holds items 0..<3000, …, and the last
        // chunk is named after the item count.
        if let interval = chunkInterval, let last = lastIndex {
            while chunkStart <= last { try writeChunk(end: min(chunkStart + interval, last + 1)) }
        }
        try writing { () throws(DatasetError) in
            if let results { try Self.write(resultCount == 0 ? "{}\n" : "\n}\n", to: results) }
            try results?.commit()
            try manifest.commit()
            try failures.commit()
            try metadata.commit()
        }
        return (results.map { [$0.path] } ?? []) + chunkPaths + [manifest.path, failures.path, metadata.path]
    }

    private mutating func writeChunk(end: Int) throws(PipelineError) {
        let path = "\(directory)/asr_\(end).json"
        do { try AtomicFile.write(Self.legacyResults(chunk), to: path) } catch {
            throw PipelineError.wrapping(.outputFailed, error, subject: path)
        }
        chunkPaths.append(path)
        chunk.removeAll(keepingCapacity: true)
        chunkStart = end
    }

    /// Runs file writes, naming the folder in a failure.
    private func writing(_ body: () throws(DatasetError) -> Void) throws(PipelineError) {
        do { try body() } catch {
            throw PipelineError.wrapping(.outputFailed, error, subject: error.subject ?? directory)
        }
    }

    private static func write(_ text: String, to file: LineBuffer) throws(DatasetError) {
        file.append(contentsOf: text)
        try file.endLine()
    }

    // MARK: - Encoding with a fixed key order, so files are byte-stable

    static func legacyResults(_ records: [IndexedRecord]) -> String {
        guard !records.isEmpty else { return "{}\n" }
        return "{\n" + records.map(legacyLine).joined(separator: ",\n") + "\n}\n"
    }

    static func legacyLine(_ item: IndexedRecord) -> String {
        "  \(json(String(item.index))): {\"ID\": \(json(item.record.id)), "
            + "\"truth\": \(json(item.record.truth ?? "")), \"asr\": \(json(item.record.asr ?? ""))}"
    }

    static func nemoLine(_ item: IndexedRecord, transcribed: Bool) -> String {
        var line = "{\"audio_filepath\": \(json(item.audioPath)), "
            + "\"duration\": \(number(item.record.duration ?? 0)), \"text\": \(json(item.record.truth ?? ""))"
        if transcribed { line += ", \"pred_text\": \(json(item.record.asr ?? ""))" }
        return line + "}\n"
    }

    static func failureLine(_ item: IndexedRecord) -> String {
        "{\"id\": \(json(item.record.id)), \"audio\": \(json(item.audioPath)), "
            + "\"error\": \(json(item.record.error ?? ""))}\n"
    }

    static func metadataLine(_ item: IndexedRecord) -> String {
        var line = "{\"id\": \(json(item.record.id))"
        let fields = item.metadata ?? [:]
        for key in fields.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) where key != "id" {
            line += ", \(json(key)): \(json(fields[key]!))"
        }
        return line + "}\n"
    }

    // MARK: - The same lines from a scanned part line, byte for byte (its strings need no escaping)

    static func failureLine(_ line: borrowing PartLine, _ fields: PartLine.Fields, into out: LineBuffer) {
        member("{\"id\": ", fields.id, of: line, to: out)
        member(", \"audio\": ", fields.audioPath, of: line, to: out)
        member(", \"error\": ", fields.error, of: line, to: out)
        out.append("}\n")
    }

    /// The line of `results.json`, with the `{` that opens the file before the first one.
    static func legacyLine(_ line: borrowing PartLine, _ fields: PartLine.Fields, first: Bool, into out: LineBuffer) {
        out.append(first ? "{\n  \"" : ",\n  \"")
        line.appendIndex(to: out)
        member("\": {\"ID\": ", fields.id, of: line, to: out)
        member(", \"truth\": ", fields.truth, of: line, to: out)
        member(", \"asr\": ", fields.asr, of: line, to: out)
        out.append(0x7D)
    }

    static func nemoLine(_ line: borrowing PartLine, _ fields: PartLine.Fields, transcribed: Bool, into out: LineBuffer) {
        member("{\"audio_filepath\": ", fields.audioPath, of: line, to: out)
        out.append(", \"duration\": ")
        line.appendDuration(to: out)
        member(", \"text\": ", fields.truth, of: line, to: out)
        if transcribed { member(", \"pred_text\": ", fields.asr, of: line, to: out) }
        out.append("}\n")
    }

    /// The scanner took the metadata only in ``metadataLine(_:)``'s key order, without `id`.
    static func metadataLine(_ line: borrowing PartLine, _ fields: PartLine.Fields, into out: LineBuffer) {
        member("{\"id\": ", fields.id, of: line, to: out)
        line.appendMetadata(to: out)
        out.append("}\n")
    }

    /// Appends `text` and then the field as a JSON string.
    private static func member(_ text: StaticString, _ field: Range<Int>?, of line: borrowing PartLine, to out: LineBuffer) {
        out.append(text)
        line.appendQuoted(field, to: out)
    }

    static func json(_ string: String) -> String { JSONText.quoted(string) }

    static func number(_ value: Double) -> String {
        String(format: "%.3f", value)
    }
}
