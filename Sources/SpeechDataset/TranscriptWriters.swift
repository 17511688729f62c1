/// A streaming output of ``TranscriptRecord``s (results files).
public protocol TranscriptWriter {
    /// Appends one record.
    /// - Parameter record: The record.
    /// - Throws: ``DatasetError`` when the output cannot be written.
    mutating func write(_ record: TranscriptRecord) throws(DatasetError)
    /// Completes the output and makes it appear atomically under its name.
    /// - Throws: ``DatasetError`` `.io` when the file cannot be synced or renamed.
    mutating func finish() throws(DatasetError)
}

/// Writes records as JSON Lines in the journal's fixed spelling
/// (`{"id": …, "truth": …, "asr": …, "duration": …, "engine": …, "error": …}`).
public struct TranscriptJSONLWriter: TranscriptWriter {
    private let file: AtomicFileWriter

    /// Starts the output.
    /// - Parameter path: The destination; written atomically on ``finish()``.
    /// - Throws: ``DatasetError`` `.io` when the temporary file cannot be created.
    public init(path: String) throws(DatasetError) { file = try AtomicFileWriter(path: path) }

    /// Appends one record as one line.
    /// - Parameter record: The record.
    /// - Throws: ``DatasetError`` `.io` when writing fails.
    public mutating func write(_ record: TranscriptRecord) throws(DatasetError) {
        try file.write(record.jsonLine + "\n")
    }

    /// Completes the file atomically.
    /// - Throws: ``DatasetError`` `.io` when the file cannot be synced or renamed.
    public mutating func finish() throws(DatasetError) { try file.commit() }
}
