// File-based readers (manifests, Kaldi folders, journals) take a path, so their harnesses
// write each input to a private scratch folder first. `Scripts/fuzz.sh` points TMPDIR at a
// folder of its own and removes it afterwards, so nothing is left behind even after a crash.

import Glibc

/// A private folder under `$TMPDIR` (or `/tmp`), created once per process.
enum Scratch {
    static let folder: String = {
        let base = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array("\(base)/speechprep-fuzz-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { fatalError("cannot create a scratch folder under \(base)") }
        return String(cString: made)
    }()

    /// Writes `bytes` to `name` in the scratch folder, replacing what was there.
    /// - Returns: The file's path.
    @discardableResult
    static func write(_ bytes: UnsafeBufferPointer<UInt8>, to name: String) -> String {
        let path = "\(folder)/\(name)"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        precondition(fd >= 0, "cannot write \(path)")
        defer { close(fd) }
        var written = 0
        while written < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + written, bytes.count - written)
            precondition(n > 0, "cannot write \(path)")
            written += n
        }
        return path
    }

    /// Removes `name` from the scratch folder if it is there.
    static func remove(_ name: String) { unlink("\(folder)/\(name)") }
}
