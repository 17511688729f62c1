/// When a finished output file is forced to disk.
///
/// Every output is written to a temporary file and renamed into place, so readers never see
/// a partial file. Durability is about power loss: ``synced`` outputs survive it as soon as
/// `finish()` returns; ``deferred`` outputs only after
/// ``synchronizeFileSystem(containing:)``, which lets a batch job make many files durable
/// with one flush (group commit) instead of two `fsync`s per file.
public enum OutputDurability: Hashable, Sendable {
    /// `finish()` fsyncs the file and its folder (the default).
    case synced
    /// `finish()` renames without fsync; call ``synchronizeFileSystem(containing:)`` before
    /// recording anywhere durable that the file exists.
    case deferred
}
