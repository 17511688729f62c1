import SystemSupport

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
/// Final outputs are produced from the journal in input order (``record(for:)``,
/// ``export(ids:to:)``), so a resumed run writes byte-identical files to an uninterrupted one,
/// whatever the worker count or completion order.
///
/// Records stay on disk, and so does the index of where each id's line starts once it is
/// large: a hash table of 24-byte slots, in memory up to 16,384 records and beyond that in an
/// unlinked scratch file next to the journal, rebuilt from the journal on every open (a
/// cache, never a source of truth). ``record(for:)`` reads the line back and checks its id,
/// so a journal of millions of clips needs neither their transcripts nor their ids in memory.
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

    /// Where a record's line is in the file, as an index slot holds it.
    struct Entry {
        var offset: Int
        var length: Int
        var failed: Bool

        init(offset: Int, length: Int, failed: Bool) {
            (self.offset, self.length, self.failed) = (offset, length, failed)
        }

        init(_ slot: ScratchHashTable.Slot) {
            self.init(offset: Int(slot.first), length: Int(slot.second >> 1), failed: slot.second & 1 == 1)
        }

        func slot(hash: UInt64) -> ScratchHashTable.Slot {
            .init(hash: hash, first: UInt64(offset), second: UInt64(length) << 1 | (failed ? 1 : 0))
        }
    }

    private struct State: ~Copyable {
        var fd: Int32
        /// Each id's latest line: ``Entry`` slots keyed by the id's hash.
        var index: ScratchHashTable
        /// The file's length: where the next line starts.
        var end: Int
        var failed: Int
        var unsynced = 0
        /// Set when a failed append could not be cut back: the file may end in a torn line.
        var damage: DatasetError?
        /// The part of the file read last, for the next lookups.
        var readAhead = ReadAhead()
    }

    /// A window of the journal read ahead. Resume and export look records up in input order,
    /// which is nearly the order they were appended in, so one read serves many lookups
    /// (without it, each lookup costs a read of its own). The window never reaches past the
    /// end of the last whole record, and those bytes never change, so it cannot go stale.
    private struct ReadAhead {
        static let size = 1 << 16
        var start = 0
        var bytes: [UInt8] = []

        /// The line `entry` points at, from the window or from a new one that starts there.
        mutating func line(at entry: Entry, fd: Int32, fileEnd: Int, path: String) throws(DatasetError) -> [UInt8] {
            let end = entry.offset + entry.length
            if entry.offset < start || end > start + bytes.count {
                var window = [UInt8](repeating: 0, count: max(entry.length, min(Self.size, fileEnd - entry.offset)))
                let read: Result<Int, DatasetError> = window.withUnsafeMutableBytes { buffer in
                    do throws(DatasetError) { return .success(try Syscall.readAll(fd, into: buffer, at: entry.offset, path: path)) } catch {
                        return .failure(error)
                    }
                }
                let count = try read.get()
                guard count >= entry.length else {
                    throw DatasetError(.corruptJournal, subject: path, "a record was cut off the end of the journal")
                }
                window.removeLast(window.count - count)
                (start, bytes) = (entry.offset, window)
            }
            return Array(bytes[entry.offset - start..<end - start])
        }
    }

    /// Truncates the file back to `length` (the end of the last whole record) after `failure`
    /// broke off a write; when that fails too, marks the journal damaged.
    /// - Returns: The error to throw.
    private static func cutBack(
        _ state: inout State, to length: Int, after failure: DatasetError, path: String
    ) -> DatasetError {
        do { try Syscall.truncate(state.fd, length: length, path: path) } catch {
            let damage = DatasetError(
                .io, subject: path,
                "\(failure.message), and the torn record could not be cut back (\(error.message)); "
                    + "reopening the journal recovers it")
            state.damage = damage
            return damage
        }
        return failure
    }
    private let state: Locked<State>

    /// Index slots kept in memory before the index moves to a scratch file: as many as an
    /// ``ExactIDSet`` keeps (768 KiB, 16,384 records).
    public static let defaultMemorySlotLimit = ExactIDSet.defaultMemorySlotLimit

    /// Opens the journal at `path`, creating it (with a header) when it does not exist.
    /// - Parameters:
    ///   - path: The journal file; its folder must exist.
    ///   - configuration: What makes results comparable (engine, model, sample rate, …);
    ///     recorded in a new journal, compared with an existing one.
    ///   - syncInterval: Appends between fsyncs (1 syncs every record). Default 64.
    ///   - memorySlotLimit: Index slots (24 bytes each, at most half full) kept in memory before
    ///     the index moves to a scratch file in the journal's folder, rounded down to a power of two. Default
    ///     ``defaultMemorySlotLimit``.
    /// - Throws: ``DatasetError`` `.configurationMismatch` when an existing journal was written
    ///   with a different configuration, `.corruptJournal` when a line other than the last is
    ///   damaged, `.io` when the file cannot be read or written.
    public init(
        path: String, configuration: [String: String], syncInterval: Int = 64, memorySlotLimit: Int = defaultMemorySlotLimit
    ) throws(DatasetError) {
        self.path = path
        self.configuration = configuration
        self.syncInterval = max(1, syncInterval)
        let existed = Syscall.exists(path)
        var validLength = 0
        if !existed {
            let header = Self.header(configuration) + "\n"
            try AtomicFile.write(header, to: path)
            validLength = header.utf8.count
        }
        let folder = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        var state = State(
            fd: try Syscall.openReadWrite(path),
            index: ScratchHashTable(memorySlotLimit: memorySlotLimit, scratchFolder: folder.isEmpty ? "/" : folder),
            end: validLength, failed: 0)
        var tornBytes = 0
        if existed {
            do {
                (validLength, tornBytes) = try Self.load(path: path, configuration: configuration, into: &state)
                if tornBytes > 0 {
                    try Syscall.truncate(state.fd, length: validLength, path: path)
                    try Syscall.fsync(state.fd, path: path)
                }
            } catch {
                Syscall.close(state.fd)
                throw error
            }
            state.end = validLength
        }
        recoveredBytes = tornBytes
        self.state = Locked(state)
    }

    deinit {
        state.withLock { state in
            if state.unsynced > 0 { try? Syscall.fsync(state.fd, path: path) }
            Syscall.close(state.fd)
        }
    }

    /// The ids of every record in the journal, read back from the file (all in memory: for
    /// tests and small journals; ``contains(_:)`` asks about one).
    /// - Throws: ``DatasetError`` `.io` when the file cannot be read, `.corruptJournal` when a
    ///   line no longer parses.
    public var completedIDs: Set<String> {
        get throws(DatasetError) {
            let reader = try LineReader(path: path)
            var ids = Set<String>()
            _ = try reader.next()  // the header
            while let line = try reader.next(), reader.lineWasTerminated {
                if line.isBlank { continue }
                ids.insert(try TranscriptRecord(object: parseObject(line, file: path, line: reader.lineNumber), file: path, line: reader.lineNumber).id)
            }
            return ids
        }
    }

    /// Every record in the journal, by id. This reads them all into memory; ``record(for:)``
    /// and ``export(ids:to:)`` read one at a time.
    /// - Throws: ``DatasetError`` as ``record(for:)`` does.
    public var records: [String: TranscriptRecord] {
        get throws(DatasetError) {
            var all: [String: TranscriptRecord] = [:]
            for id in try completedIDs {
                if let record = try record(for: id) { all[id] = record }
            }
            return all
        }
    }

    /// The number of records in the journal.
    public var count: Int { state.withLock { $0.index.count } }

    /// The number of records that hold an error.
    public var failedCount: Int { state.withLock { $0.failed } }

    /// Whether the journal holds a record for `id`.
    ///
    /// When the index or the journal cannot be read back (an I/O error), the answer is `false`:
    /// the item is done again and its new record replaces the old; ``record(for:)`` throws.
    /// - Parameter id: An item id.
    /// - Returns: `true` when a record for it was appended (in this run or an earlier one).
    public func contains(_ id: String) -> Bool {
        state.withLock { state in
            guard case .found? = try? Self.locate(id, in: &state, path: path, parsing: false).probe else { return false }
            return true
        }
    }

    /// The latest record for `id`, read back from the file.
    /// - Parameter id: An item id.
    /// - Returns: The record, or `nil` when the journal has none.
    /// - Throws: ``DatasetError`` `.io` when the line cannot be read back, `.corruptJournal`
    ///   when it no longer parses (the file was changed behind the journal's back).
    public func record(for id: String) throws(DatasetError) -> TranscriptRecord? {
        try state.withLock { (state: inout State) throws(DatasetError) -> TranscriptRecord? in
            try Self.locate(id, in: &state, path: path).record
        }
    }

    /// Finds `id` in the index, reading back the line of every slot with its hash to compare
    /// the ids themselves. Without `parsing`, a line in ``TranscriptRecord``'s own spelling is
    /// matched by its `{"id": "…"` prefix alone (what resume asks of every finished item);
    /// any other line is parsed.
    private static func locate(
        _ id: String, in state: inout State, path: String, parsing: Bool = true
    ) throws(DatasetError) -> (probe: ScratchHashTable.Probe, record: TranscriptRecord?) {
        var found: TranscriptRecord?
        let (fd, fileEnd) = (state.fd, state.end)
        var readAhead = state.readAhead
        defer { state.readAhead = readAhead }
        let prefix = Array(TranscriptRecord.jsonLinePrefix(id: "").utf8.dropLast())  // {"id": "
        let expected = parsing ? [] : Array(TranscriptRecord.jsonLinePrefix(id: id).utf8)
        let probe = try state.index.probe(ScratchHashTable.hash(id.utf8)) { (slot) throws(DatasetError) -> Bool in
            let entry = Entry(slot)
            let line = try readAhead.line(at: entry, fd: fd, fileEnd: fileEnd, path: path)
            if !parsing, line.starts(with: prefix) {
                let next = line.count > expected.count ? line[expected.count] : 0
                return line.starts(with: expected) && (next == UInt8(ascii: ",") || next == UInt8(ascii: "}"))
            }
            let record = try parseRecord(line, path: path)
            guard record.id.utf8.elementsEqual(id.utf8) else { return false }
            found = record
            return true
        }
        return (probe, found)
    }

    /// Parses one journal line.
    private static func parseRecord(_ bytes: [UInt8], path: String) throws(DatasetError) -> TranscriptRecord {
        let parsed: Result<TranscriptRecord, DatasetError> = bytes.withUnsafeBufferPointer { line in
            do throws(DatasetError) {
                return .success(try TranscriptRecord(object: parseObject(line, file: path, line: nil), file: path, line: nil))
            } catch { return .failure(error) }
        }
        return try parsed.get()
    }

    /// Points the index at a new line for `id`, replacing its earlier line if any.
    private static func index(_ id: String, at entry: Entry, in state: inout State, path: String) throws(DatasetError) {
        let (probe, _) = try locate(id, in: &state, path: path, parsing: false)
        let hash = ScratchHashTable.hash(id.utf8)
        switch probe {
        case .found(let position, let slot):
            if Entry(slot).failed { state.failed -= 1 }
            try state.index.store(entry.slot(hash: hash), at: position, isNew: false)
        case .absent(let position):
            try state.index.store(entry.slot(hash: hash), at: position, isNew: true)
        }
        if entry.failed { state.failed += 1 }
    }

    /// Appends a completed record (one `write`, so a crash can tear at most this line).
    ///
    /// A write that fails or stops short (a full disk, an I/O error) is cut back to the end of
    /// the last whole record before the error is thrown, so the journal never holds a torn
    /// line in its middle and a later append, in this run or the next, follows a whole one.
    /// When even that cut fails, the journal refuses further appends; reopening it cuts the
    /// torn tail away.
    /// - Parameter record: The record; a later record with the same id replaces this one.
    /// - Throws: ``DatasetError`` `.io` when writing or the batch fsync fails.
    public func append(_ record: TranscriptRecord) throws(DatasetError) {
        let line = record.jsonLine + "\n"
        try state.withLock { (state: inout State) throws(DatasetError) in
            if let damage = state.damage { throw damage }
            var bytes = line
            let fd = state.fd
            let result: Result<Void, DatasetError> = bytes.withUTF8 { buffer in
                do throws(DatasetError) {
                    try Syscall.writeAll(fd, UnsafeRawBufferPointer(buffer), path: path)
                    return .success(())
                } catch { return .failure(error) }
            }
            if case .failure(let error) = result {
                throw Self.cutBack(&state, to: state.end, after: error, path: path)
            }
            let entry = Entry(offset: state.end, length: line.utf8.count - 1, failed: record.error != nil)
            state.end += line.utf8.count
            try Self.index(record.id, at: entry, in: &state, path: path)
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
    /// - Throws: ``DatasetError`` as ``record(for:)`` does.
    public func orderedRecords(for ids: some Sequence<String>) throws(DatasetError) -> [TranscriptRecord] {
        var found: [TranscriptRecord] = []
        for id in ids {
            if let record = try record(for: id) { found.append(record) }
        }
        return found
    }

    /// Writes the journal's records for `ids`, in that order, through `writer` and finishes it,
    /// reading one record at a time.
    /// - Parameters:
    ///   - ids: The ids in input order.
    ///   - writer: The output (e.g. ``LegacyResultsWriter``, ``TranscriptJSONLWriter``).
    /// - Returns: The number of records written.
    /// - Throws: ``DatasetError`` from the writer.
    @discardableResult
    public func export(ids: some Sequence<String>, to writer: inout some TranscriptWriter) throws(DatasetError) -> Int {
        var written = 0
        for id in ids {
            guard let record = try record(for: id) else { continue }
            try writer.write(record)
            written += 1
        }
        try writer.finish()
        return written
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

    /// Checks every record and indexes where its line is. Returns the length up to the end of
    /// the last complete line and the number of bytes of a torn line after it (0 when intact).
    private static func load(
        path: String, configuration: [String: String], into state: inout State
    ) throws(DatasetError) -> (validLength: Int, tornBytes: Int) {
        let reader = try LineReader(path: path)
        guard let first = try reader.next(), reader.lineWasTerminated else {
            throw DatasetError(.corruptJournal, subject: path, line: 1, "the journal has no complete header line; delete it to start over")
        }
        try checkHeader(parseObject(first, file: path, line: 1), path: path, expected: configuration)
        var validLength = reader.lineEndOffset
        while let line = try reader.next() {
            if !reader.lineWasTerminated { return (validLength, reader.lineEndOffset - reader.lineStartOffset) }
            validLength = reader.lineEndOffset
            if line.isBlank { continue }
            let object: JSONObject
            do { object = try parseObject(line, file: path, line: reader.lineNumber) } catch {
                throw DatasetError(.corruptJournal, subject: path, line: reader.lineNumber, "a record in the middle of the journal is damaged (\(error.message))")
            }
            let record = try TranscriptRecord(object: object, file: path, line: reader.lineNumber)
            try index(record.id, at: Entry(offset: reader.lineStartOffset, length: line.count, failed: record.error != nil), in: &state, path: path)
        }
        return (validLength, 0)
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
