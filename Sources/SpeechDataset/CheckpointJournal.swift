import Synchronization

/// An append-only JSONL journal of completed ``TranscriptRecord``s, so a long run can stop at
/// any moment (crash, `kill`, power loss) and a rerun skips what is done.
///
/// The first line is a header holding the run's configuration; every other line is one record
/// in a fixed JSON spelling. Records are fsynced in batches (``syncInterval``) and on
/// ``sync()``. Opening an existing journal checks the configuration (a different one throws
/// `.configurationMismatch`: the old results would not be comparable) and recovers from a torn
/// last line — the only damage an append can leave — by truncating it away. A later record for
/// an id replaces an earlier one (a retried item).
///
/// Final outputs are produced from the journal in input order (``orderedRecords(for:)``,
/// ``export(ids:to:)``), so a resumed run writes byte-identical files to an uninterrupted one,
/// whatever the worker count or completion order.
///
/// The journal is `Sendable`: workers may append concurrently; appends are serialised.
public final class CheckpointJournal: Sendable {
    /// The journal file.
    public let path: String
    /// The configuration recorded in (or checked against) the header.
    public let configuration: [String: String]
    /// How many appends may wait between fsyncs.
    public let syncInterval: Int
    /// How many bytes of a torn last line were cut away when the journal was opened.
    public let recoveredBytes: Int

    private struct State: ~Copyable {
        var fd: Int32
        var records: [String: TranscriptRecord]
        var unsynced = 0
    }
    private let state: Mutex<State>

    /// Opens the journal at `path`, creating it (with a header) when it does not exist.
    /// - Parameters:
    ///   - path: The journal file; its folder must exist.
    ///   - configuration: What makes results comparable (engine, model, sample rate, …);
    ///     recorded in a new journal, compared with an existing one.
    ///   - syncInterval: Appends between fsyncs (1 syncs every record). Default 64.
    /// - Throws: ``DatasetError`` `.configurationMismatch` when an existing journal was written
    ///   with a different configuration, `.corruptJournal` when a line other than the last is
    ///   damaged, `.io` when the file cannot be read or written.
    public init(path: String, configuration: [String: String], syncInterval: Int = 64) throws(DatasetError) {
        self.path = path
        self.configuration = configuration
        self.syncInterval = max(1, syncInterval)
        var records: [String: TranscriptRecord] = [:]
        var recovered = 0
        if Syscall.exists(path) {
            recovered = try Self.load(path: path, configuration: configuration, into: &records)
        } else {
            try AtomicFile.write(Self.header(configuration) + "\n", to: path)
        }
        let fd = try Syscall.openReadWrite(path)
        if recovered > 0 {
            do {
                let keep = try Self.validLength(path: path)
                try Syscall.truncate(fd, length: keep, path: path)
                try Syscall.fsync(fd, path: path)
            } catch {
                Syscall.close(fd)
                throw error
            }
        }
        recoveredBytes = recovered
        state = Mutex(State(fd: fd, records: records))
    }

    deinit {
        state.withLock { state in
            if state.unsynced > 0 { try? Syscall.fsync(state.fd, path: path) }
            Syscall.close(state.fd)
        }
    }

    /// The ids of every record in the journal.
    public var completedIDs: Set<String> { state.withLock { Set($0.records.keys) } }

    /// Every record in the journal, by id.
    public var records: [String: TranscriptRecord] { state.withLock { $0.records } }

    /// The number of records in the journal.
    public var count: Int { state.withLock { $0.records.count } }

    /// Appends a completed record (one `write`, so a crash can tear at most this line).
    /// - Parameter record: The record; a later record with the same id replaces this one.
    /// - Throws: ``DatasetError`` `.io` when writing or the batch fsync fails.
    public func append(_ record: TranscriptRecord) throws(DatasetError) {
        let line = record.jsonLine + "\n"
        try state.withLock { (state: inout State) throws(DatasetError) in
            var bytes = line
            let fd = state.fd
            let result: Result<Void, DatasetError> = bytes.withUTF8 { buffer in
                do throws(DatasetError) {
                    try Syscall.writeAll(fd, UnsafeRawBufferPointer(buffer), path: path)
                    return .success(())
                } catch { return .failure(error) }
            }
            try result.get()
            state.records[record.id] = record
            state.unsynced += 1
            if state.unsynced >= syncInterval {
                try Syscall.fsync(fd, path: path)
                state.unsynced = 0
            }
        }
    }

    /// Forces every appended record to disk.
    /// - Throws: ``DatasetError`` `.io` when fsync fails.
    public func sync() throws(DatasetError) {
        try state.withLock { (state: inout State) throws(DatasetError) in
            guard state.unsynced > 0 else { return }
            try Syscall.fsync(state.fd, path: path)
            state.unsynced = 0
        }
    }

    /// The journal's records for `ids`, in that order; ids without a record are skipped.
    /// - Parameter ids: The ids in input order.
    /// - Returns: The records found.
    public func orderedRecords(for ids: some Sequence<String>) -> [TranscriptRecord] {
        let all = records
        return ids.compactMap { all[$0] }
    }

    /// Writes the journal's records for `ids`, in that order, through `writer` and finishes it.
    /// - Parameters:
    ///   - ids: The ids in input order.
    ///   - writer: The output (e.g. ``LegacyResultsWriter``, ``TranscriptJSONLWriter``).
    /// - Returns: The number of records written.
    /// - Throws: ``DatasetError`` from the writer.
    @discardableResult
    public func export(ids: some Sequence<String>, to writer: inout some TranscriptWriter) throws(DatasetError) -> Int {
        let ordered = orderedRecords(for: ids)
        for record in ordered { try writer.write(record) }
        try writer.finish()
        return ordered.count
    }

    // MARK: - Opening an existing journal

    static func header(_ configuration: [String: String]) -> String {
        var out = "{\"speechprep\": \"checkpoint-journal\", \"version\": 1, \"configuration\": {"
        for (k, key) in configuration.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
            if k > 0 { out.append(", ") }
            JSONText.appendQuoted(key, to: &out)
            out.append(": ")
            JSONText.appendQuoted(configuration[key]!, to: &out)
        }
        return out + "}}"
    }

    /// Reads every record; returns the number of bytes of a torn last line (0 when intact).
    private static func load(path: String, configuration: [String: String], into records: inout [String: TranscriptRecord]) throws(DatasetError) -> Int {
        let reader = try LineReader(path: path)
        guard let first = try reader.next(), reader.lineWasTerminated else {
            throw DatasetError(.corruptJournal, subject: path, line: 1, "the journal has no complete header line; delete it to start over")
        }
        try checkHeader(parseObject(first, file: path, line: 1), path: path, expected: configuration)
        while let line = try reader.next() {
            if !reader.lineWasTerminated { return reader.lineEndOffset - reader.lineStartOffset }
            if line.isBlank { continue }
            let object: JSONObject
            do { object = try parseObject(line, file: path, line: reader.lineNumber) } catch {
                throw DatasetError(.corruptJournal, subject: path, line: reader.lineNumber, "a record in the middle of the journal is damaged (\(error.message))")
            }
            let record = try TranscriptRecord(object: object, file: path, line: reader.lineNumber)
            records[record.id] = record
        }
        return 0
    }

    /// The length of the journal up to and including its last complete line.
    private static func validLength(path: String) throws(DatasetError) -> Int {
        let reader = try LineReader(path: path)
        var length = 0
        while try reader.next() != nil {
            if reader.lineWasTerminated { length = reader.lineEndOffset }
        }
        return length
    }

    private static func checkHeader(_ header: JSONObject, path: String, expected: [String: String]) throws(DatasetError) {
        guard header["speechprep"]?.string == "checkpoint-journal", case .object(let stored)? = header["configuration"] else {
            throw DatasetError(.corruptJournal, subject: path, line: 1, "this is not a SpeechPrep checkpoint journal")
        }
        var found: [String: String] = [:]
        for member in stored.members { found[member.key] = member.value.extraText }
        guard found != expected else { return }
        let keys = Set(found.keys).union(expected.keys).filter { found[$0] != expected[$0] }.sorted()
        let differences = keys.map { "\($0): journal \(found[$0].map { "\"\($0)\"" } ?? "unset"), now \(expected[$0].map { "\"\($0)\"" } ?? "unset")" }
        throw DatasetError(
            .configurationMismatch, subject: path, field: "configuration",
            "the journal was written with a different configuration (\(differences.joined(separator: "; "))); use another journal or the old settings")
    }
}
