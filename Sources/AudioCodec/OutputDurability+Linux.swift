public import SystemSupport
import SystemPackage

extension OutputDurability {
    /// Forces every file written on the file system that holds `path` to disk: the commit
    /// step of `OutputDurability.deferred` outputs. The corresponding C function is `syncfs`.
    /// - Parameter path: A file or folder on the file system to synchronise.
    /// - Throws: `CodecError.Code.notFound` when `path` does not exist, `CodecError.Code.writeFailed`
    ///   when the file system reports a write error.
    public static func synchronizeFileSystem(containing path: String) throws(CodecError) {
        do { try SystemCall.syncFileSystem(containing: path) } catch {
            let failure = CodecError.fromErrno(error, path: path, doing: "flush its file system to disk")
            // A path that does not exist was never written: only the flush itself is a write failure.
            throw failure.code == .notFound ? failure : failure.asWriteFailure
        }
    }
}

extension AtomicOutput {
    /// Creates the temporary file for an encoder's output.
    /// - Parameter path: The final path.
    /// - Throws: ``CodecError`` when the folder does not exist or is not writable.
    static func creating(_ path: String) throws(CodecError) -> AtomicOutput {
        do { return try AtomicOutput(path: path) } catch {
            throw CodecError.fromErrno(error, path: path, doing: "create a file in its folder")
        }
    }

    /// Commits the output, naming the failed step in a ``CodecError``.
    /// - Parameter durability: Whether the file and its folder are fsynced.
    /// - Throws: `CodecError.Code.writeFailed` (or `permissionDenied`).
    func commitOutput(_ durability: OutputDurability) throws(CodecError) {
        do { try commit(durability) } catch {
            let action = switch error.step {
            case .flush: "flush it to disk"
            case .close: "close it"
            case .rename: "move it into place"
            case .syncFolder: "flush its folder to disk"
            }
            throw CodecError.fromErrno(error.errno, path: path, doing: action).asWriteFailure
        }
    }
}

extension CodecError {
    /// The same error as a write failure, unless it is already about permissions.
    var asWriteFailure: CodecError {
        code == .permissionDenied || code == .writeFailed ? self : CodecError(.writeFailed, subject: subject, message, cause: cause)
    }
}
