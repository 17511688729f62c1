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
    /// The score of the part's successes (the records `results.json` holds), for a
    /// transcribed run; `nil` in markers written before it was recorded.
    var score: Score?

    /// A shard's score: what ``ShardMerger`` adds up instead of scoring every record again.
    struct Score: Codable, Sendable, Hashable {
        /// The unit the shard's language gives (`ScoringUnit.usual(forLanguage:)`), the only
        /// thing the language changes.
        var unit: ScoringUnit
        /// The sums and the worst utterances, each with its input position.
        var tally: TranscriptScoring.Tally.State
    }

    /// The settings that must agree between shards of one run.
    static func sharedConfiguration(_ configuration: [String: String]) -> [String: String] {
        configuration.filter { $0.key != "shard" }
    }

    /// Streams a shard's records into `part-k-of-N.jsonl`, scoring its successes; ``finish()``
    /// commits the part and then writes the `.done` marker with the record count and score.
    struct Writer: OrderedRecordSink {
        private var marker: ShardPart
        private let directory: String
        private let part: AtomicFileWriter
        private let encoder = JSONEncoder()
        /// Scores the successes of a transcribed run, in the shard's language.
        private var tally: TranscriptScoring.Tally?
        private let language: String?

        /// - Parameter scoring: How to score the successes, for a transcribed run (`nil`: no score).
        init(
            shard: Shard, transcribed: Bool, chunkInterval: Int?, configuration: [String: String],
            scoring: ShardMerger.Scoring?, in directory: String
        ) throws(PipelineError) {
            marker = ShardPart(
                shard: shard, transcribed: transcribed, chunkInterval: chunkInterval, recordCount: 0,
                configuration: ShardPart.sharedConfiguration(configuration))
            tally = scoring.flatMap { transcribed ? TranscriptScoring.Tally(normalizer: $0.normalizer, worstCount: $0.worstCount) : nil }
            language = scoring?.language
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
            let record = item.record, language = language
            if record.error == nil {
                tally?.add(
                    id: record.id, reference: record.truth ?? "", hypothesis: record.asr ?? "", language: language,
                    order: item.index)
            }
        }

        mutating func finish() throws(PipelineError) -> [String] {
            let markerPath = "\(directory)/\(marker.shard.partName).done"
            marker.score = tally.map { Score(unit: .usual(forLanguage: language), tally: $0.state) }
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
        /// The merged results' score, when one was asked for (``Scoring``) and a recogniser ran:
        /// what ``TranscriptScoring/score(resultsFile:normalizer:language:worstCount:)`` reports
        /// for the merged `results.json` — the sum of the scores the shards recorded in their
        /// done markers when they fit, else scored as the records were written.
        public var score: TranscriptScoring.Report?
    }

    /// How to score the merged records while they are written.
    public struct Scoring: Sendable {
        /// Applied to references and hypotheses first.
        public var normalizer: any TextNormalizer
        /// The utterances' language, which picks the unit (`nil`: words).
        public var language: String?
        /// How many of the worst utterances to list.
        public var worstCount: Int

        /// Scoring settings, with the defaults of ``TranscriptScoring``.
        /// - Parameters:
        ///   - normalizer: Applied to references and hypotheses first.
        ///   - language: The utterances' language, which picks the unit (`nil`: words).
        ///   - worstCount: How many of the worst utterances to list.
        public init(
            normalizer: any TextNormalizer = TranscriptScoring.defaultNormalizer, language: String? = nil, worstCount: Int = 10
        ) {
            self.normalizer = normalizer
            self.language = language
            self.worstCount = worstCount
        }
    }

    /// Merges shard outputs.
    /// - Parameters:
    ///   - directories: Folders holding `part-k-of-N.jsonl` and `.done` files.
    ///   - outputDirectory: Where to write `results.json`, `manifest.jsonl`, `failures.jsonl`.
    ///   - verify: Refuse to merge unless every shard `0..<N` is present and complete.
    ///   - scoring: Score the merged results (``Report/score``), in constant memory, instead
    ///     of reading `results.json` back; `nil`: no score. When every part's done marker holds
    ///     a score with the same normaliser, the same unit as `scoring`'s language gives and at
    ///     least its worst count (shards of a transcribed run record one), the merge adds those
    ///     up (exact: the rates are ratios of summed counts); otherwise it scores the records
    ///     as it writes them.
    /// - Returns: What was merged.
    /// - Throws: `PipelineError.Code.shardsIncomplete` for missing (with `verify`),
    ///   duplicated or inconsistent shards, shards of runs with different settings, or a part
    ///   whose successes are not as many as its marker's score counts;
    ///   `PipelineError.Code.outputFailed` when writing fails;
    ///   `PipelineError.Code.outputFolderBusy` when another run, shard or merge holds the
    ///   output folder (``OutputFolderLock``), which the merge holds while it writes. Nothing is
    ///   written then.
    public static func merge(
        directories: [String], into outputDirectory: String, verify: Bool = true, scoring: Scoring? = nil
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
        let first = ordered[0].marker
        let createdDirectory = !FileManager.default.fileExists(atPath: outputDirectory)
        do { try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true) } catch {
            throw PipelineError.wrapping(.outputFailed, error, subject: outputDirectory)
        }
        // The output folder is a run's like any other: no run (or shard, or merge) writes it meanwhile.
        let lock = try OutputFolderLock(directory: outputDirectory, shard: nil)
        defer { withExtendedLifetime(lock) {} }
        // One pass: the outputs are temporary files until every part has checked out, so a bad
        // part leaves no merged output at all (the writers remove their files when dropped).
        do {
            var sink = try PipelineOutputs(
                directory: outputDirectory, transcribed: first.transcribed, chunkInterval: first.chunkInterval,
                writeBehind: true)
            // results.json holds the successes of a transcribed run; score exactly those: add
            // up the shards' scores when they all have one that fits, else score every record.
            let wanted = scoring.flatMap { first.transcribed ? $0 : nil }
            let sums = wanted.flatMap { SummedScores(ordered, scoring: $0) }
            let scorer = sums == nil ? wanted.map(ConcurrentTally.init) : nil
            defer { scorer?.close() }
            let recordCount = try mergeInOrder(ordered) { (line, part, path) throws(PipelineError) in
                try sink.add(line, path: path)
                scorer?.add(line)
                sums?.count(line, part: part)
            }
            let score = try sums?.finish() ?? scorer?.finish()
            let outputs = try sink.finish()
            return Report(
                shardCount: count, shardsFound: parts.keys.sorted(), recordCount: recordCount, outputs: outputs,
                score: score)
        } catch {
            if createdDirectory { try? FileManager.default.removeItem(atPath: outputDirectory) }
            throw error
        }
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

    /// Streams the parts' lines to `body` in input order: each part is already in input
    /// order, so this is a k-way merge holding one line per part. Checks that every line is
    /// a record, that no input position or id appears twice, and that each part holds the
    /// count its marker says. `body` gets each line with its part's place in `parts` and path.
    /// - Returns: The number of records.
    private static func mergeInOrder(
        _ parts: [(marker: ShardPart, directory: String)],
        _ body: (borrowing PartLine, _ part: Int, _ path: String) throws(PipelineError) -> Void
    ) throws(PipelineError) -> Int {
        var readers: [PartReader] = []
        for (part, (marker, directory)) in parts.enumerated() {
            let reader = try PartReader(path: "\(directory)/\(marker.shard.partName).jsonl", part: part)
            if try reader.advance() { readers.append(reader) }
        }
        var merged = 0
        var previousIndex: Int?
        var previousID: [UInt8] = []
        while true {
            var smallest: PartReader?
            for reader in readers where reader.headIndex != nil {
                if smallest.map({ reader.headIndex! < $0.headIndex! }) ?? true { smallest = reader }
            }
            guard let reader = smallest else { break }
            let line = reader.line!
            let isRepeat = line.withIDBytes { id in
                let same = previousIndex != nil && (previousIndex == line.index || sameBytes(previousID, id))
                previousID.removeAll(keepingCapacity: true)
                previousID.append(contentsOf: id)
                return same
            }
            if isRepeat {
                throw PipelineError(
                    .shardsIncomplete, subject: String(decoding: previousID, as: UTF8.self), "appears in more than one shard")
            }
            try body(line, reader.part, reader.path)
            merged += 1
            previousIndex = line.index
            _ = try reader.advance()
        }
        for (k, part) in parts.enumerated() {
            let path = "\(part.directory)/\(part.marker.shard.partName).jsonl"
            let count = readers.first { $0.part == k }?.count ?? 0
            if count != part.marker.recordCount {
                throw PipelineError(
                    .shardsIncomplete, subject: path, "holds \(count) records but its marker says \(part.marker.recordCount)")
            }
        }
        return merged
    }
}

/// Utterances as `results.json` holds them (id, truth, asr), as bytes: the merge copies them
/// from the part lines without making `String`s, and the scoring thread makes only the two it
/// normalises (the id only for an utterance among the worst).
struct UtteranceBatch: Sendable {
    /// Each utterance's id, reference and hypothesis, back to back.
    private var text: [UInt8] = []
    /// Where each of those texts ends in `text` (three per utterance).
    private var ends: [Int] = []
    /// Each utterance's input position (its order key among the worst).
    private var indices: [Int] = []

    /// The number of utterances.
    var count: Int { ends.count / 3 }

    /// Appends the next text (an id, a reference or a hypothesis, in that order).
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        text.append(contentsOf: bytes)
        ends.append(text.count)
    }

    /// Takes the line's utterance, if it is a success (``PartLine/appendUtterance(to:)``).
    /// - Returns: Whether it was one.
    mutating func append(_ line: borrowing PartLine) -> Bool {
        guard line.isSuccess else { return false }
        line.appendUtterance(to: &self)
        indices.append(line.index)
        return true
    }

    /// Calls `body` with each utterance's id (made on demand), reference, hypothesis and
    /// input position.
    func forEach(_ body: (_ id: () -> String, _ reference: String, _ hypothesis: String, _ index: Int) -> Void) {
        text.withUnsafeBufferPointer { text in
            let string = { (n: Int) in
                String(decoding: UnsafeBufferPointer(rebasing: text[(n == 0 ? 0 : ends[n - 1])..<ends[n]]), as: UTF8.self)
            }
            for k in 0..<count { body({ string(3 * k) }, string(3 * k + 1), string(3 * k + 2), indices[k]) }
        }
    }
}

/// Scores the merged utterances on a thread of its own while the merge writes them (scoring
/// costs about what the merge does), in batches through a bounded queue, so memory stays flat.
private final class ConcurrentTally {
    private static let batchSize = 256
    private let queue = BlockingQueue<UtteranceBatch>(capacity: 4)
    /// The thread's score, handed back through a queue (its lock orders it for the sanitizers).
    private let result = BlockingQueue<TranscriptScoring.Report>(capacity: 1)
    private var batch = UtteranceBatch()

    init(_ scoring: ShardMerger.Scoring) {
        let queue = queue, result = result
        Thread {
            var tally = TranscriptScoring.Tally(normalizer: scoring.normalizer, worstCount: scoring.worstCount)
            while let utterances = queue.pop() {
                utterances.forEach { id, reference, hypothesis, index in
                    tally.add(id: id(), reference: reference, hypothesis: hypothesis, language: scoring.language, order: index)
                }
            }
            result.push(tally.report)
        }.start()
    }

    /// Takes the line's utterance, if it is a success.
    func add(_ line: borrowing PartLine) {
        guard batch.append(line) else { return }
        if batch.count == Self.batchSize { queue.push(batch); batch = UtteranceBatch() }
    }

    /// Stops the thread once it has scored what it was given (for a merge that failed).
    func close() { queue.close() }

    /// Scores what is left and waits for the thread.
    /// - Returns: The score of every utterance added.
    func finish() -> TranscriptScoring.Report {
        if batch.count > 0 { queue.push(batch) }
        queue.close()
        return result.pop()!
    }
}

/// The merged score as the sum of the shards' scores (``ShardPart/score``), with each part's
/// successes counted as the merge writes them, to check them against its score's count.
private final class SummedScores {
    private let tally: TranscriptScoring.Tally
    /// Each part's marker, and the successes its score counts and the merge counted.
    private var parts: [(marker: String, expected: Int, counted: Int)]

    /// - Returns: `nil` unless every part's score can be summed for `scoring`: made with the
    ///   same normaliser and unit, keeping at least as many of the worst.
    init?(_ parts: [(marker: ShardPart, directory: String)], scoring: ShardMerger.Scoring) {
        let unit = ScoringUnit.usual(forLanguage: scoring.language)
        var tally = TranscriptScoring.Tally(normalizer: scoring.normalizer, worstCount: scoring.worstCount)
        self.parts = []
        for (marker, directory) in parts {
            guard let score = marker.score, score.unit == unit, score.tally.normalizer == scoring.normalizer.name,
                score.tally.worstCount >= scoring.worstCount
            else { return nil }
            tally.add(score.tally)
            self.parts.append(("\(directory)/\(marker.shard.partName).done", score.tally.offered, 0))
        }
        self.tally = tally
    }

    /// Counts the line, if it is a success, for its part (its place in the parts given).
    func count(_ line: borrowing PartLine, part: Int) {
        if line.isSuccess { parts[part].counted += 1 }
    }

    /// - Returns: The score of every part.
    /// - Throws: `PipelineError.Code.shardsIncomplete` for a part whose successes are not the
    ///   ones its score counted.
    func finish() throws(PipelineError) -> TranscriptScoring.Report {
        for part in parts where part.counted != part.expected {
            throw PipelineError(
                .shardsIncomplete, subject: part.marker,
                "scores \(part.expected) successful records but its part holds \(part.counted); rerun the shard")
        }
        return tally.report
    }
}

/// Whether two byte strings are equal (memcmp).
private func sameBytes(_ a: [UInt8], _ b: UnsafeBufferPointer<UInt8>) -> Bool {
    a.count == b.count && (a.isEmpty || a.withUnsafeBytes { memcmp($0.baseAddress!, b.baseAddress!, a.count) == 0 })
}

/// One shard part's lines, in input order. A thread of its own reads and scans them
/// (``PartScanner``) a block at a time, so the merge's thread only orders and writes them; the
/// current line is a view of a scanned block, valid until the next ``advance()``.
private final class PartReader {
    let path: String
    /// The part's place in the merge's list of parts.
    let part: Int
    /// Records read so far.
    private(set) var count = 0
    /// The current line, or `nil` at the end of the part.
    private(set) var line: PartLine?
    /// The current line's input position, or `nil` at the end of the part.
    private(set) var headIndex: Int?
    private var current = PartLine()
    /// The block the current line is in, and the next line's place in it.
    private var block: ScannedBlock?
    private var position = 0
    private let scanner: PartScanner

    init(path: String, part: Int) throws(PipelineError) {
        self.path = path
        self.part = part
        let lines: LineReader
        do { lines = try LineReader(path: path) } catch {
            throw PipelineError(.shardsIncomplete, subject: path, "is missing although its done marker exists")
        }
        scanner = PartScanner(lines)
    }

    /// Stops the scanning thread (a merge that failed part-way) and waits for it.
    deinit { scanner.stop() }

    /// Moves to the next line.
    /// - Returns: `false` at the end of the part.
    func advance() throws(PipelineError) -> Bool {
        let previous = headIndex
        line = nil
        headIndex = nil
        while block == nil || position == block!.lines.count {
            if let used = block {
                if let error = used.error { throw error }
                scanner.giveBack(used)
            }
            block = scanner.next()
            position = 0
            guard block != nil else { return false }
        }
        let scanned = block!.lines[position]
        position += 1
        let bytes = UnsafeBufferPointer(start: block!.storage + scanned.start, count: scanned.count)
        let number = count + 1
        if let fields = scanned.fields {
            current.use(bytes, index: scanned.index, fields: fields)
        } else if !current.decode(bytes, path: path, lineNumber: number) {
            throw PipelineError(.shardsIncomplete, subject: path, "line \(number) is not a record")
        }
        if let previous, current.index <= previous {
            throw PipelineError(.shardsIncomplete, subject: path, "line \(number) is out of input order")
        }
        count = number
        line = current
        headIndex = current.index
        return true
    }
}

/// A block of a part's lines (non-blank, without their newlines), copied back to back, each
/// scanned in place when it can be (``PartLine/scan(_:)``).
private final class ScannedBlock: @unchecked Sendable {
    // @unchecked: a block belongs to one thread at a time; the queues hand it over (their lock
    // orders the accesses).
    struct Line {
        var start: Int
        var count: Int
        /// The input position, when scanned.
        var index: Int
        /// The fields, or `nil` for a line the reader decodes in full (or refuses).
        var fields: PartLine.Fields?
    }

    private(set) var storage: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var used = 0
    private(set) var lines: [Line] = []
    /// A read failure after the block's lines.
    var error: PipelineError?

    init(capacity: Int) {
        self.capacity = capacity
        storage = .allocate(capacity: capacity)
    }

    deinit { storage.deallocate() }

    func reset() {
        used = 0
        lines.removeAll(keepingCapacity: true)
        error = nil
    }

    /// Copies a line in and scans it.
    func append(_ line: UnsafeBufferPointer<UInt8>) {
        if used + line.count > capacity {  // only a line longer than a block: grow
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: used + line.count)
            bigger.update(from: storage, count: used)
            storage.deallocate()
            storage = bigger
            capacity = used + line.count
        }
        if let base = line.baseAddress { (storage + used).update(from: base, count: line.count) }
        let copy = UnsafeBufferPointer(start: storage + used, count: line.count)
        let scanned = PartLine.scan(copy)
        lines.append(Line(start: used, count: line.count, index: scanned?.index ?? 0, fields: scanned?.fields))
        used += line.count
    }
}

/// Reads and scans a part's lines on a thread of its own, a block at a time, a few blocks
/// ahead of the merge. Blocks go round between the two threads, so a part holds at most
/// ``blockCount`` blocks whatever its length.
private final class PartScanner: @unchecked Sendable {
    // @unchecked: `lines` is used only by the thread once started; the queues are thread-safe.
    private static let blockSize = 1 << 18
    private static let blockCount = 3
    private let lines: LineReader
    private let scanned = BlockingQueue<ScannedBlock>(capacity: blockCount)
    private let spare = BlockingQueue<ScannedBlock>(capacity: blockCount)
    private let stopped = BlockingQueue<Bool>(capacity: 1)

    init(_ lines: LineReader) {
        self.lines = lines
        for _ in 0..<Self.blockCount { spare.push(ScannedBlock(capacity: Self.blockSize)) }
        Thread { [self] in
            run()
            stopped.push(true)
        }.start()
    }

    /// The next scanned block, or `nil` at the end of the part.
    func next() -> ScannedBlock? { scanned.pop() }

    /// Hands a block back once the merge is done with its lines.
    func giveBack(_ block: ScannedBlock) { spare.push(block) }

    /// Ends the thread early (or after the end) and waits for it.
    func stop() {
        spare.close()
        scanned.close()
        _ = stopped.pop()
    }

    private func run() {
        while let block = spare.pop() {
            block.reset()
            var atEnd = false
            do throws(DatasetError) {
                while block.used < Self.blockSize {
                    guard let line = try lines.next() else {
                        atEnd = true
                        break
                    }
                    if !line.isEmpty { block.append(line) }
                }
            } catch {
                block.error = PipelineError.wrapping(.outputFailed, error, subject: lines.path)
                atEnd = true
            }
            if !block.lines.isEmpty || block.error != nil, !scanned.push(block) { return }
            if atEnd { return scanned.close() }
        }
    }
}
