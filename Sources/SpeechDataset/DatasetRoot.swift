/// The folder a manifest's relative audio paths are resolved against, guarding against paths
/// that leave it.
///
/// A manifest from elsewhere is untrusted input: `../../etc/passwd`, `/root/.ssh/id_rsa` or a
/// symlink inside the dataset pointing out of it would make the pipeline read (or, for outputs
/// named after inputs, write) outside the dataset. ``resolve(_:)`` rejects all three unless
/// ``allowEscapes`` is set; symlinks are followed with `realpath` and the result must stay
/// inside the root's own real path.
public struct DatasetRoot: Sendable, Hashable {
    /// The root folder.
    public let path: String
    /// Whether absolute paths and paths leaving the root are accepted.
    public let allowEscapes: Bool

    /// Creates a root.
    /// - Parameters:
    ///   - path: The root folder.
    ///   - allowEscapes: Accept absolute paths and paths leaving the root. Default false.
    public init(path: String, allowEscapes: Bool = false) {
        var trimmed = path
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.path = trimmed.isEmpty ? "." : trimmed
        self.allowEscapes = allowEscapes
    }

    /// The root for a manifest: its folder (or the manifest itself when it is a folder, as a
    /// Kaldi directory or a Common Voice release).
    /// - Parameters:
    ///   - manifestPath: The manifest file or folder.
    ///   - allowEscapes: Accept absolute paths and paths leaving the root.
    /// - Returns: The root.
    public static func forManifest(_ manifestPath: String, allowEscapes: Bool = false) -> DatasetRoot {
        if FileSystem.isDirectory(manifestPath) { return DatasetRoot(path: manifestPath, allowEscapes: allowEscapes) }
        return DatasetRoot(path: AtomicFileWriter.split(manifestPath).folder, allowEscapes: allowEscapes)
    }

    /// The path of `relativePath` inside the root, with `.` and `..` folded away.
    /// - Parameter relativePath: A path from a manifest.
    /// - Returns: The root joined with the normalised path (an absolute input is returned as is
    ///   when escapes are allowed).
    /// - Throws: ``DatasetError`` `.pathEscape` for an absolute path, a `..` that climbs out,
    ///   or a symlink that leads out of the root (unless allowed); `.invalidValue` for an
    ///   empty path.
    public func resolve(_ relativePath: String) throws(DatasetError) -> String {
        guard !relativePath.isEmpty else { throw DatasetError(.invalidValue, subject: path, field: "audio path", "the audio path is empty") }
        if relativePath.hasPrefix("/") {
            guard allowEscapes else { throw escape(relativePath, "is an absolute path; only paths relative to the dataset root are allowed") }
            return relativePath
        }
        var parts: [Substring] = []
        var climbed = 0
        for part in relativePath.split(separator: "/") where part != "." {
            if part == ".." {
                if parts.isEmpty { climbed += 1 } else { parts.removeLast() }
            } else {
                parts.append(part)
            }
        }
        if climbed > 0 && !allowEscapes { throw escape(relativePath, "climbs out of the dataset root with \"..\"") }
        let joined = ([path] + Array(repeating: "..", count: climbed) + parts.map(String.init)).joined(separator: "/")
        if !allowEscapes { try checkSymlinks(joined, original: relativePath) }
        return joined
    }

    private func checkSymlinks(_ joined: String, original: String) throws(DatasetError) {
        guard let realRoot = Syscall.realPath(path) else {
            throw DatasetError(.io, subject: path, "the dataset root does not exist")
        }
        // Resolve the longest prefix that exists; the rest cannot be a link yet.
        var candidate = joined
        var resolved = Syscall.realPath(candidate)
        while resolved == nil, let slash = candidate.lastIndex(of: "/"), candidate.count > path.count {
            candidate = String(candidate[..<slash])
            resolved = Syscall.realPath(candidate)
        }
        guard let resolved else { return }
        if resolved != realRoot && !resolved.hasPrefix(realRoot == "/" ? "/" : realRoot + "/") {
            throw escape(original, "leads through a symbolic link to \(resolved), outside the dataset root")
        }
    }

    private func escape(_ relativePath: String, _ why: String) -> DatasetError {
        DatasetError(.pathEscape, subject: path, field: "audio path", "\"\(relativePath)\" \(why)")
    }
}
