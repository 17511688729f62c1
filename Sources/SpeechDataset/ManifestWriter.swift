/// A streaming output of ``ManifestEntry``s; the file (or folder's files) appear atomically on
/// ``finish()``.
public protocol ManifestWriter {
    /// Appends one entry.
    /// - Parameter entry: The entry.
    /// - Throws: ``DatasetError`` when the entry cannot be written.
    mutating func write(_ entry: ManifestEntry) throws(DatasetError)
    /// Completes the output.
    /// - Throws: ``DatasetError`` `.io` when the output cannot be synced or renamed.
    mutating func finish() throws(DatasetError)
}
