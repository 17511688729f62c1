import Foundation

/// A shard's output: `part-k-of-N.jsonl` (its records with their input positions) and the
/// `part-k-of-N.done` marker written last, so a marker proves its part file is complete.
struct ShardPart: Codable, Sendable {
    var shard: Shard
    var transcribed: Bool
    var chunkInterval: Int?
    var recordCount: Int

    /// Streams a shard's records into `part-k-of-N.jsonl`; ``finish()`` commits it and then
    /// writes the `.done` marker with the record count.
    struct Writer: OrderedRecordSink {
        private var marker: ShardPart
        private let directory: String
        private let part: AtomicFileWriter
        private let encoder = JSONEncoder()

        init(shard: Shard, transcribed: Bool, chunkInterval: Int?, in directory: String) throws(PipelineError) {
            marker = ShardPart(shard: shard, transcribed: transcribed, chunkInterval: chunkInterval, recordCount: 0)
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
    ///   duplicated or inconsistent shards; ``PipelineError/Code/outputFailed`` when writing fails.
    public static func merge(
        directories: [String], into outputDirectory: String, verify: Bool = true
    ) throws(PipelineError) -> Report {
        var parts: [Int: (marker: ShardPart, directory: String)] = [:]
        var counts = Set<Int>()
        let decoder = JSONDecoder()
        for directory in directories {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            for name in names.sorted() where name.hasPrefix("part-") && name.hasSuffix(".done") {
                let path = "\(directory)/\(name)"
                guard let data = FileManager.default.contents(atPath: path),
                    let marker = try? decoder.decode(ShardPart.self, from: data)
                else { throw PipelineError(.shardsIncomplete, subject: path, "is not a shard done marker") }
                if let other = parts[marker.shard.index] {
                    throw PipelineError(
                        .shardsIncomplete, subject: marker.shard.partName,
                        "appears twice, in \(other.directory) and \(directory)")
                }
                parts[marker.shard.index] = (marker, directory)
                counts.insert(marker.shard.count)
            }
        }
        guard counts.count == 1, let count = counts.first else {
            throw PipelineError(
                .shardsIncomplete, subject: directories.joined(separator: ", "),
                counts.isEmpty ? "holds no finished shard (no part-k-of-N.done)" : "mixes shard counts \(counts.sorted())")
        }
        let missing = (0..<count).filter { parts[$0] == nil }
        if verify, !missing.isEmpty {
            throw PipelineError(
                .shardsIncomplete, subject: "shards \(missing.map(String.init).joined(separator: ", ")) of \(count)",
                "are missing or unfinished; run them, or merge without --verify")
        }
        var all: [IndexedRecord] = []
        var seenIDs = Set<String>(), seenIndices = Set<Int>()
        for index in parts.keys.sorted() {
            let (marker, directory) = parts[index]!
            let path = "\(directory)/\(marker.shard.partName).jsonl"
            guard let data = FileManager.default.contents(atPath: path) else {
                throw PipelineError(.shardsIncomplete, subject: path, "is missing although its done marker exists")
            }
            var lineCount = 0
            for line in data.split(separator: 0x0A) where !line.isEmpty {
                guard let record = try? decoder.decode(IndexedRecord.self, from: Data(line)) else {
                    throw PipelineError(.shardsIncomplete, subject: path, "line \(lineCount + 1) is not a record")
                }
                guard seenIDs.insert(record.record.id).inserted, seenIndices.insert(record.index).inserted else {
                    throw PipelineError(
                        .shardsIncomplete, subject: record.record.id, "appears in more than one shard")
                }
                all.append(record)
                lineCount += 1
            }
            guard lineCount == marker.recordCount else {
                throw PipelineError(
                    .shardsIncomplete, subject: path,
                    "holds \(lineCount) records but its marker says \(marker.recordCount)")
            }
        }
        all.sort { $0.index < $1.index }
        let first = parts.values.first!.marker
        do { try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true) } catch {
            throw PipelineError.wrapping(.outputFailed, error, subject: outputDirectory)
        }
        let outputs = try PipelineOutputs.write(
            all, transcribed: first.transcribed, chunkInterval: first.chunkInterval, to: outputDirectory)
        return Report(
            shardCount: count, shardsFound: parts.keys.sorted(), recordCount: all.count, outputs: outputs)
    }
}
