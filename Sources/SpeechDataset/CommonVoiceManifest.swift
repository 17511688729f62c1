import Archive

extension CommonVoiceRelease {
    /// Writes one split as a NeMo JSONL manifest (`speechprep import commonvoice`), converting
    /// nothing: every audio path points into the release absolutely, so the manifest may live
    /// anywhere. In a folder that is the clip's file; in an archive or tar shards it is the
    /// archive's path followed by the member's (``location(ofClip:split:)``).
    /// - Parameters:
    ///   - split: A name from ``splits``.
    ///   - path: The manifest to write (atomically).
    /// - Returns: The number of entries written.
    /// - Throws: ``DatasetError`` when the split cannot be read, a clip path escapes the release
    ///   (`.pathEscape`) or the manifest cannot be written; nothing is written then.
    public func writeManifest(split: String, to path: String) throws(DatasetError) -> Int {
        var reader = try self.reader(split: split)
        var writer = try NeMoManifestWriter(path: path)
        let root = DatasetRoot(path: self.path)
        var count = 0
        while var entry = try reader.next() {
            if layout == .folder {
                entry.audioPath = try root.resolve(entry.audioPath)
            } else {
                let clip = String(entry.audioPath.dropFirst("clips/".count))
                guard ArchiveMember.safePath(clip) == clip else {
                    throw DatasetError(.pathEscape, subject: self.path, field: "path", "\"\(clip)\" is not a plain member name")
                }
                entry.audioPath = location(ofClip: clip, split: split)
            }
            try writer.write(entry)
            count += 1
        }
        try writer.finish()
        return count
    }
}
