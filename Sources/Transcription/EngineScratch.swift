import Foundation

/// The per-worker scratch folders of engine workers: `speechprep-engine-<pid>-XXXXXX` in the
/// chosen parent. Folders left by a process that no longer runs (one that was SIGKILLed) are
/// removed when the next one is made.
enum Scratch {
    static let prefix = "speechprep-engine-"

    /// Makes a new folder and writes `files` into it.
    /// - Throws: `TranscriptionError.Code.temporaryFileFailed` naming the folder or file.
    static func make(in parent: String, files: [String: [UInt8]]) throws(TranscriptionError) -> String {
        removeAbandoned(in: parent)
        var template = Array("\(parent)/\(prefix)\(getpid())-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw TranscriptionError(
                .temporaryFileFailed, subject: parent,
                "cannot make the engine's scratch folder: \(String(cString: strerror(errno)))")
        }
        let folder = String(cString: made)
        for (name, contents) in files.sorted(by: { $0.key < $1.key }) {
            guard FileManager.default.createFile(atPath: "\(folder)/\(name)", contents: Data(contents)) else {
                remove(folder)
                throw TranscriptionError(.temporaryFileFailed, subject: "\(folder)/\(name)", "cannot write the engine's file")
            }
        }
        return folder
    }

    static func remove(_ folder: String) {
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Removes scratch folders whose process is gone.
    private static func removeAbandoned(in parent: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: parent) else { return }
        for name in names where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count).prefix { $0 != "-" }), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { remove("\(parent)/\(name)") }
        }
    }
}

/// The run's engine log: each standard-error line of a child, prefixed with its pid, appended
/// with one `write` (so lines of concurrent workers do not interleave).
final class EngineLog {
    private let descriptor: Int32

    init?(path: String) {
        descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        if descriptor < 0 { return nil }
    }

    deinit { close(descriptor) }

    /// Appends `text` (one or more lines) as lines starting with `[engine <pid>]`.
    func write(_ text: String, from pid: Int32) {
        var block = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast(text.hasSuffix("\n") ? 1 : 0) {
            block += "[engine \(pid)] \(line)\n"
        }
        let bytes = Array(block.utf8)
        _ = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
    }
}
