import Foundation

/// A shard's output: `part-k-of-N.jsonl` (its records with their input positions) and the
/// `part-k-of-N.done` marker written last, so a marker proves its part file is complete.
/// The marker also holds the run's configuration (the journal header's settings without the
/// shard), so shards of different runs are not merged into one dataset.
struct ShardPart: Codable, Sendable {
    var shard: Shard
    var transcribed: Bool
    var chunkInterval: Int?
    var recordCount: Int
    /// ``PipelineConfiguration/checkpointConfiguration`` without `shard`; `nil` in markers
    /// written before it was recorded.
    var configuration: [String: String]?

    /// The settings that must agree between shards of one run.
    static func sharedConfiguration(_ configuration: [String: String]) -> [String: String] {
        configuration.filter { $0.key != "shard" }
    }

    /// Streams a shard's records into `part-k-of-N.jsonl`; ``finish()`` commits it and then
    /// writes the `.done` marker with the record count.
    struct Writer: OrderedRecordSink {
        private var marker: ShardPart
        private let directory: String
        private let part: AtomicFileWriter
        private let encoder = JSONEncoder()

        init(
            shard: Shard, transcribed: Bool, chunkInterval: Int?, configuration: [String: String], in directory: String
        ) throws(PipelineError) {
            marker = ShardPart(
                shard: shard, transcribed: transcribed, chunkInterval: chunkInterval, recordCount: 0,
                configuration: ShardPart.sharedConfiguration(configuration))
            self.directory = directory
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let path = "\(directory)/\(shard.partName).jsonl"
            do { part = try AtomicFileWriter(path: path) } catch {
                throw PipelineError.wrapping(.outputFailed, error, subject: path)
            }
        }

        mutating func add(_ item: IndexedRecord) throws(PipelineError) {
            do {
                try part.write(encoder.encode(item) + Data([0x0A]))
            } catch {
                throw PipelineError.wrapping(.outputFailed, error, subject: part.path)
            }
            marker.recordCount += 1
        }

        mutating func finish() throws(PipelineError) -> [String] {
            let markerPath = "\(directory)/\(marker.shard.partName).done"
            do {
                try part.commit()
                try AtomicFile.write(try encoder.encode(marker), to: markerPath)
            } catch {
                throw PipelineError.wrapping(.outputFailed, error, subject: part.path)
            }
            return [part.path, markerPath]
        }
    }
}

/// Joins the outputs of shards `0..<N` (from one shared folder or several) into the same
/// final files one unsharded run writes.
public enum ShardMerger {
    /// What a merge found and wrote.
    public struct Report: Sendable, Hashable, Codable {
        /// The shard count N.
        public var shardCount: Int
        /// The shard numbers found complete.
        public var shardsFound: [Int]
        /// Records merged.
        public var recordCount: Int
        /// Files written.
        public var outputs: [String]
    }

    /// Merges shard outputs.
    /// - Parameters:
    ///   - directories: Folders holding `part-k-of-N.jsonl` and `.done` files.
    ///   - outputDirectory: Where to write `results.json`, `manifest.jsonl`, `failures.jsonl`.
    ///   - verify: Refuse to merge unless every shard `0..<N` is present and complete.
    /// - Returns: What was merged.
    /// - Throws: ``PipelineError/Code/shardsIncomplete`` for missing (with `verify`),
    ///   duplicated or inconsistent shards, or shards of runs with different settings;
    ///   ``PipelineError/Code/outputFailed`` when writing fails. Nothing is written then.
    public static func merge(
        directories: [String], into outputDirectory: String, verify: Bool = true
    ) throws(PipelineError) -> Report {
        var parts: [Int: (marker: ShardPart, directory: String)] = [:]
        var counts = Set<Int>()
        var markerNames: [String] = []
        let decoder = JSONDecoder()
        for directory in directories {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            for name in names.sorted() where name.hasPrefix("part-") && name.hasSuffix(".done") {
                let path = "\(directory)/\(name)"
                guard let data = FileManager.default.contents(atPath: path),
                    let marker = try? decoder.decode(ShardPart.self, from: data)
                else { throw PipelineError(.shardsIncomplete, subject: path, "is not a shard done marker") }
                markerNames.append(name)
                if let other = parts[marker.shard.index], other.marker.shard.count == marker.shard.count {
                    throw PipelineError(
                        .shardsIncomplete, subject: marker.shard.partName,
                        "appears twice, in \(other.directory) and \(directory)")
                }
                parts[marker.shard.index] = (marker, directory)  // mixed counts are refused below
                counts.insert(marker.shard.count)
            }
        }
        guard counts.count == 1, let count = counts.first else {
            throw PipelineError(
                .shardsIncomplete, subject: directories.joined(separator: ", "),
                counts.isEmpty ? "holds no finished shard (no part-k-of-N.done)"
                    : "mixes shard counts \(counts.sorted()) (\(markerNames.sorted().joined(separator: ", "))); "
                        + "remove the parts of the other run")
        }
        let missing = (0..<count).filter { parts[$0] == nil }
        if verify, !missing.isEmpty {
            throw PipelineError(
                .shardsIncomplete, subject: "shards \(missing.map(String.init).joined(separator: ", ")) of \(count)",
                "are missing or unfinished; run them, or merge without --verify")
        }
        let ordered = parts.keys.sorted().map { parts[$0]! }
        try checkSameConfiguration(ordered)
        // Check every part first, so a bad one leaves no output at all; then write.
        let recordCount = try mergeInOrder(ordered) { _ throws(PipelineError) in }
        let first = ordered[0].marker
        do { try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true) } catch {
            throw PipelineError.wrapping(.outputFailed, error, subject: outputDirectory)
        }
        var sink = try PipelineOutputs(
            directory: outputDirectory, transcribed: first.transcribed, chunkInterval: first.chunkInterval)
        try mergeInOrder(ordered) { (record) throws(PipelineError) in try sink.add(record) }
        let outputs = try sink.finish()
        return Report(
            shardCount: count, shardsFound: parts.keys.sorted(), recordCount: recordCount, outputs: outputs)
    }

    /// Refuses parts whose markers record different run settings (engine, model, rate, …):
    /// their records would not be comparable, so one dataset must not mix them.
    private static func checkSameConfiguration(_ parts: [(marker: ShardPart, directory: String)]) throws(PipelineError) {
        let first = parts[0]
        for part in parts.dropFirst() where part.marker.configuration != first.marker.configuration {
            let a = first.marker.configuration ?? [:], b = part.marker.configuration ?? [:]
            let keys = Set(a.keys).union(b.keys).filter { a[$0] != b[$0] }.sorted()
            let differences = keys.map { "\($0): \(a[$0].map { "\"\($0)\"" } ?? "unset") vs \(b[$0].map { "\"\($0)\"" } ?? "unset")" }
            throw PipelineError(
                .shardsIncomplete, subject: "\(part.directory)/\(part.marker.shard.partName).done",
                "comes from a run with other settings than \(first.directory)/\(first.marker.shard.partName).done ("
                    + (differences.isEmpty ? "one marker records no settings" : differences.joined(separator: "; "))
                    + "); rerun it with the same settings")
        }
    }

    /// Streams the parts' records to `body` in input order: each part is already in input
    /// order, so this is a k-way merge holding one record per part. Checks that every line is
    /// a record, that no input position appears twice, and that each part holds the count its
    /// marker says.
    /// - Returns: The number of records.
    @discardableResult
    private static func mergeInOrder(
        _ parts: [(marker: ShardPart, directory: String)], _ body: (IndexedRecord) throws(PipelineError) -> Void
    ) throws(PipelineError) -> Int {
        var readers: [PartReader] = []
        for (marker, directory) in parts {
            readers.append(try PartReader(path: "\(directory)/\(marker.shard.partName).jsonl"))
        }
        var heads: [IndexedRecord?] = []
        for reader in readers { heads.append(try reader.next()) }
        var merged = 0
        var previous: IndexedRecord?
        while true {
            var smallest: Int?
            for (k, head) in heads.enumerated() {
                if let head, smallest.map({ head.index < heads[$0]!.index }) ?? true { smallest = k }
            }
            guard let k = smallest, let record = heads[k] else { break }
            if let previous, previous.index == record.index || previous.record.id == record.record.id {
                throw PipelineError(.shardsIncomplete, subject: record.record.id, "appears in more than one shard")
            }
            try body(record)
            merged += 1
            previous = record
            heads[k] = try readers[k].next()
        }
        for (reader, part) in zip(readers, parts) where reader.count != part.marker.recordCount {
            throw PipelineError(
                .shardsIncomplete, subject: reader.path,
                "holds \(reader.count) records but its marker says \(part.marker.recordCount)")
        }
        return merged
    }
}

/// One shard part's records, read a buffer at a time. Lines must be in input order (as the
/// pipeline writes them).
private final class PartReader {
    let path: String
    /// Records returned so far.
    private(set) var count = 0
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false
    private var lastIndex: Int?
    private let decoder = JSONDecoder()

    init(path: String) throws(PipelineError) {
        self.path = path
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw PipelineError(.shardsIncomplete, subject: path, "is missing although its done marker exists")
        }
        self.handle = handle
    }

    /// The next record, or `nil` at the end of the part.
    func next() throws(PipelineError) -> IndexedRecord? {
        while true {
            if let newline = buffer[start...].firstIndex(of: 0x0A) {
                let line = buffer[start..<newline]
                start = newline + 1
                if line.isEmpty { continue }
                return try decode(line)
            }
            if atEnd {
                guard start < buffer.count else { return nil }
                let line = buffer[start...]
                start = buffer.count
                return try decode(line)
            }
            buffer.removeFirst(start)
            start = 0
            let chunk: Data?
            do { chunk = try handle.read(upToCount: 1 << 16) } catch {
                throw PipelineError.wrapping(.outputFailed, error, subject: path)
            }
            if let chunk, !chunk.isEmpty { buffer.append(contentsOf: chunk) } else { atEnd = true }
        }
    }

    private func decode(_ line: ArraySlice<UInt8>) throws(PipelineError) -> IndexedRecord {
        guard let record = try? decoder.decode(IndexedRecord.self, from: Data(line)) else {
            throw PipelineError(.shardsIncomplete, subject: path, "line \(count + 1) is not a record")
        }
        if let lastIndex, record.index <= lastIndex {
            throw PipelineError(.shardsIncomplete, subject: path, "line \(count + 1) is out of input order")
        }
        lastIndex = record.index
        count += 1
        return record
    }
}
