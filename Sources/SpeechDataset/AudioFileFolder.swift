import Foundation

/// Lists the audio files of a folder that has no metadata — recursively, sorted by relative
/// path so the order is stable — as entries whose id is the relative path without its
/// extension and whose audio path is absolute. Entries have no transcript.
///
/// A file counts as audio when its extension is one of ``audioExtensions`` (every container
/// `AudioCodec` decodes, through libsndfile, libmpg123 or ffmpeg). Hidden files and folders
/// (names starting with `.`) are skipped.
public struct AudioFileFolderReader: ManifestReader {
    /// The extensions taken as audio, lower case and without the dot.
    public static let audioExtensions: Set<String> = [
        // libsndfile
        "wav", "wave", "bwf", "rf64", "w64", "flac", "ogg", "oga", "opus", "aif", "aiff", "aifc", "au", "snd", "caf",
        // libmpg123
        "mp3", "mp2", "mpga",
        // ffmpeg
        "m4a", "mp4", "m4b", "aac", "webm", "weba", "mka", "mkv", "wma", "asf", "amr", "3gp",
    ]
    private let root: String
    private let files: [String]
    private var position = 0
    /// Always empty: a folder listing has no records to be malformed.
    public var issues: [DatasetError] { [] }

    /// Lists the folder.
    /// - Parameter path: The folder.
    /// - Throws: ``DatasetError`` `.io` when it cannot be listed.
    public init(path: String) throws(DatasetError) {
        guard FileSystem.isDirectory(path), let enumerator = FileManager.default.enumerator(atPath: path) else {
            throw DatasetError(.io, subject: path, "the folder cannot be listed")
        }
        root = path
        var found: [String] = []
        while let relative = enumerator.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            if name.hasPrefix(".") {
                enumerator.skipDescendants()
                continue
            }
            if Self.audioExtensions.contains((name as NSString).pathExtension.lowercased()) { found.append(relative) }
        }
        files = found.sorted(by: byteOrder)
    }

    /// The next file.
    /// - Returns: The entry, or `nil` after the last file.
    public mutating func next() throws(DatasetError) -> ManifestEntry? {
        guard position < files.count else { return nil }
        defer { position += 1 }
        let relative = files[position]
        return ManifestEntry(id: (relative as NSString).deletingPathExtension, audioPath: "\(root)/\(relative)")
    }
}
