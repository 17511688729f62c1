/// A streaming source of ``ManifestEntry``s: one entry per call, so a manifest of any length
/// is read in bounded memory (duplicate-id detection aside, see ``ReadOptions``).
public protocol ManifestReader {
    /// The next entry, or `nil` at the end.
    /// - Returns: The entry.
    /// - Throws: ``DatasetError`` naming file, line and field for bad input (in strict mode),
    ///   or `.io` when the file cannot be read.
    mutating func next() throws(DatasetError) -> ManifestEntry?
    /// The problems skipped so far in lenient mode (empty in strict mode).
    var issues: [DatasetError] { get }
}

extension ManifestReader {
    /// Reads every remaining entry into an array.
    /// - Returns: The entries in file order.
    /// - Throws: The first ``DatasetError`` from ``next()``.
    public mutating func readAll() throws(DatasetError) -> [ManifestEntry] {
        var entries: [ManifestEntry] = []
        while let entry = try next() { entries.append(entry) }
        return entries
    }
}

/// How readers treat bad records.
public enum ReadMode: Sendable, Hashable {
    /// The first bad record throws.
    case strict
    /// Bad records are skipped and collected in ``ManifestReader/issues``.
    case lenient
}

/// Options shared by every reader.
public struct ReadOptions: Sendable, Hashable {
    /// Strict (throw) or lenient (skip and report) handling of bad records.
    public var mode: ReadMode
    /// Whether a repeated id is an error. Detection remembers every id: in memory up to
    /// 16,384 of them, then in unlinked scratch files in `TMPDIR` (an ``ExactIDSet``), so
    /// memory stays flat; turning it off saves that disk traffic.
    public var detectDuplicateIDs: Bool

    /// Creates options.
    /// - Parameters:
    ///   - mode: Strict or lenient. Default strict.
    ///   - detectDuplicateIDs: Whether repeated ids are errors. Default true.
    public init(mode: ReadMode = .strict, detectDuplicateIDs: Bool = true) {
        self.mode = mode
        self.detectDuplicateIDs = detectDuplicateIDs
    }
}

/// Applies ``ReadOptions`` to the records of one file: throws or collects problems, and
/// catches duplicate ids.
struct IssueCollector {
    let options: ReadOptions
    private(set) var issues: [DatasetError] = []
    /// The ids admitted so far (on disk beyond 16,384, so memory stays flat).
    private let seen = ExactIDSet()

    init(options: ReadOptions) { self.options = options }

    /// Throws `error` in strict mode, records it in lenient mode.
    mutating func report(_ error: DatasetError) throws(DatasetError) {
        if options.mode == .strict { throw error }
        issues.append(error)
    }

    /// Reports a duplicate id; returns whether the entry may be used.
    mutating func admit(_ id: String, file: String, line: Int?) throws(DatasetError) -> Bool {
        guard options.detectDuplicateIDs else { return true }
        if try seen.insert(id) { return true }
        try report(DatasetError(.duplicateID, subject: file, line: line, field: "id", "the id \"\(id)\" appears more than once"))
        return false
    }
}

/// The loop every line-based reader runs: skip blank lines, parse, admit, or report.
struct LineRecordSource {
    let lines: LineReader
    var collector: IssueCollector

    init(path: String, options: ReadOptions) throws(DatasetError) {
        lines = try LineReader(path: path)
        collector = IssueCollector(options: options)
    }

    var path: String { lines.path }

    /// The next entry `parse` makes of a non-blank line (`nil` from `parse` skips the line).
    mutating func next(_ parse: (UnsafeBufferPointer<UInt8>, Int) throws(DatasetError) -> ManifestEntry?) throws(DatasetError) -> ManifestEntry? {
        while let line = try lines.next() {
            if line.isBlank { continue }
            let number = lines.lineNumber
            do throws(DatasetError) {
                guard let entry = try parse(line, number) else { continue }
                if try collector.admit(entry.id, file: path, line: number) { return entry }
            } catch {
                try collector.report(error)
            }
        }
        return nil
    }
}

/// Reads a whole file into memory (for formats that are one JSON document).
func readWholeFile(_ path: String) throws(DatasetError) -> [UInt8] {
    let reader = try LineReader(path: path)
    var bytes: [UInt8] = []
    while let line = try reader.next() {
        bytes.append(contentsOf: line)
        if reader.lineWasTerminated { bytes.append(0x0A) }
    }
    return bytes
}
