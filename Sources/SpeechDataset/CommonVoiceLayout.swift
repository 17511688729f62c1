public import Archive
import Foundation

/// Where a Common Voice release keeps its split TSVs and its clips.
public enum CommonVoiceLayout: Hashable, Sendable {
    /// An extracted `cv-corpus-*/<lang>` folder: `<split>.tsv` files and `clips/`.
    case folder
    /// A release archive as downloaded (`.tar`, `.tar.gz`, `.tar.xz`, `.tar.zst`, `.tar.bz2`);
    /// `folder` is the member folder that holds the TSVs and `clips/` (e.g. `cv-corpus-21.0-2025-03-14/yue`),
    /// empty when they are at the archive's root.
    case archive(folder: String)
    /// A Hugging Face hub copy: `transcript/<lang>/<split>.tsv`,
    /// `audio/<lang>/<split>/<lang>_<split>_<n>.tar` and `n_shards.json`.
    case hubShards(language: String)
    /// A folder of `.tar` shards (clips at any depth) next to split TSVs.
    case tarShards

    var noun: String {
        switch self {
        case .folder: "folder"
        case .archive: "archive"
        case .hubShards, .tarShards: "folder of shards"
        }
    }

    /// The layout of anything but an extracted release folder, with the splits it offers;
    /// `nil` for a plain folder.
    /// - Parameters:
    ///   - path: A folder or archive.
    ///   - wanted: For an archive, a split whose TSV ends the scan as soon as it is read, and
    ///     `copy` the file its bytes are copied to in that same pass.
    static func detect(_ path: String, wanted: String? = nil, copy: String? = nil) throws(DatasetError)
        -> (layout: CommonVoiceLayout, splits: [String])?
    {
        if !FileSystem.isDirectory(path) {
            guard FileManager.default.fileExists(atPath: path) else { throw DatasetError(.io, subject: path, "no such file or folder") }
            guard ArchiveReader.looksLikeArchive(path) else {
                throw DatasetError(.unknownFormat, subject: path, "is neither a Common Voice release folder nor a tar archive (plain, gzip, xz, zstd or bzip2)")
            }
            return try scanArchive(path, wanted: wanted, copy: copy)
        }
        let names = try FileSystem.contentsOfDirectory(path)
        if names.contains("transcript"), names.contains("audio") {
            let languages = try FileSystem.contentsOfDirectory("\(path)/transcript").filter { FileSystem.isDirectory("\(path)/transcript/\($0)") }.sorted()
            guard let language = languages.first else {
                throw DatasetError(.unknownFormat, subject: path, "transcript/ holds no language folder")
            }
            let splits = try tsvSplits(in: "\(path)/transcript/\(language)")
            return (.hubShards(language: language), splits)
        }
        if !names.contains("clips"), names.contains(where: { $0.hasSuffix(".tar") }) {
            return (.tarShards, try tsvSplits(in: path))
        }
        return nil
    }

    /// The split names of a folder's TSVs: standard names, or any TSV with `path` and `sentence` columns.
    static func tsvSplits(in folder: String) throws(DatasetError) -> [String] {
        try FileSystem.contentsOfDirectory(folder).filter { $0.hasSuffix(".tsv") }.compactMap { name in
            let split = String(name.dropLast(4))
            if CommonVoiceRelease.standardSplits.contains(split) { return split }
            guard let table = try? HeaderedTable(path: "\(folder)/\(name)", separator: 0x09, quoting: .lenient),
                table.header.contains("path"), table.header.contains("sentence")
            else { return nil }
            return split
        }
    }

    /// Reads an archive's headers (and its TSVs' first lines when their names are not standard)
    /// and finds the folder with the split TSVs: the first folder holding a standard split,
    /// else the first holding a TSV with `path` and `sentence` columns.
    private static func scanArchive(_ path: String, wanted: String?, copy: String?) throws(DatasetError)
        -> (layout: CommonVoiceLayout, splits: [String])
    {
        let archive = try openArchive(path)
        var folders: [String] = []
        var splitsByFolder: [String: [String]] = [:]
        func folderAndName(_ memberPath: String) -> (String, String) {
            guard let slash = memberPath.lastIndex(of: "/") else { return ("", memberPath) }
            return (String(memberPath[..<slash]), String(memberPath[memberPath.index(after: slash)...]))
        }
        while let member = try archive.nextEntry() {
            guard member.isReadableFile, let memberPath = member.path, memberPath.hasSuffix(".tsv") else { continue }
            let (folder, name) = folderAndName(memberPath)
            let split = String(name.dropLast(4))
            if !CommonVoiceRelease.standardSplits.contains(split) {
                // Only the header line is read; the rest of the member is skipped.
                let lines = LineReader(name: memberPath, blockSize: 4096) { (buffer) throws(DatasetError) -> Int in
                    try archive.readChunk(into: buffer)
                }
                guard let table = try? HeaderedTable(lines: lines, separator: 0x09, quoting: .lenient),
                    table.header.contains("path"), table.header.contains("sentence")
                else { continue }
            }
            if splitsByFolder[folder] == nil { folders.append(folder) }
            splitsByFolder[folder, default: []].append(split)
            if split == wanted, let copy {
                try copyMember(archive, to: copy)
                return (.archive(folder: folder), splitsByFolder[folder] ?? [])
            }
        }
        let standard = folders.first { splitsByFolder[$0]!.contains(where: CommonVoiceRelease.standardSplits.contains) }
        guard let folder = standard ?? folders.first else {
            throw DatasetError(
                .unknownFormat, subject: path,
                "holds no Common Voice layout: no <lang>/<split>.tsv member (train.tsv, dev.tsv, validated.tsv, …) was found")
        }
        if let wanted, copy != nil {
            throw DatasetError(
                .missingField, subject: path,
                "has no split \"\(wanted)\"; it has \(CommonVoiceRelease.ordered(splitsByFolder[folder]!).joined(separator: ", "))")
        }
        return (.archive(folder: folder), splitsByFolder[folder]!)
    }

    static func openArchive(_ path: String) throws(DatasetError) -> ArchiveReader {
        do { return try ArchiveReader(path: path) } catch {
            throw DatasetError(error.code == .notAnArchive ? .unknownFormat : .io, subject: path, error.message)
        }
    }

    /// Moves an archive to a member.
    static func seek(_ archive: ArchiveReader, to memberPath: String) throws(DatasetError) {
        while let member = try archive.nextEntry() {
            if member.isReadableFile, member.path == memberPath { return }
        }
        throw DatasetError(.io, subject: archive.sourcePath, "has no member \(memberPath)")
    }

    /// Streams the current member into a file, written atomically.
    private static func copyMember(_ archive: ArchiveReader, to file: String) throws(DatasetError) {
        let writer = try AtomicFileWriter(path: file)
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 1)
        defer { chunk.deallocate() }
        while true {
            let n = try archive.readChunk(into: chunk)
            if n == 0 { break }
            try writer.write(bytes: UnsafeRawBufferPointer(rebasing: chunk[0..<n]))
        }
        try writer.commit()
    }
}

extension ArchiveReader {
    /// ``nextMember()`` with the error as a ``DatasetError`` `.io` that names archive and member.
    func nextEntry() throws(DatasetError) -> ArchiveMember? {
        do { return try nextMember() } catch { throw DatasetError(.io, subject: sourcePath, error.description) }
    }

    /// ``read(into:)`` with the error as a ``DatasetError`` `.io` that names archive and member.
    func readChunk(into buffer: UnsafeMutableRawBufferPointer) throws(DatasetError) -> Int {
        do { return try read(into: buffer) } catch { throw DatasetError(.io, subject: sourcePath, error.description) }
    }
}

extension CommonVoiceRelease {
    /// Finds one split of a release archive and copies its TSV to `tsvCopy` in the same pass,
    /// reading the archive only as far as that TSV: at once when the TSVs come first, to its
    /// end when they come after the clips.
    /// - Parameters:
    ///   - path: The release archive.
    ///   - split: The split wanted.
    ///   - tsvCopy: Where the split's TSV is written (atomically), for reading more than once.
    /// - Returns: The release, whose ``splits`` holds the splits seen before the wanted one.
    /// - Throws: ``DatasetError`` `.unknownFormat` when the file is not an archive or holds no
    ///   Common Voice layout, `.missingField` when the split is not there, `.io` when reading fails.
    public static func archive(_ path: String, split: String, copyingTSVTo tsvCopy: String) throws(DatasetError) -> CommonVoiceRelease {
        guard let found = try CommonVoiceLayout.detect(path, wanted: split, copy: tsvCopy), case .archive = found.layout else {
            throw DatasetError(.unknownFormat, subject: path, "is a folder, not a release archive")
        }
        return CommonVoiceRelease(path: path, layout: found.layout, splits: ordered(found.splits))
    }

    /// A release archive whose TSV folder is already known (from an earlier
    /// ``archive(_:split:copyingTSVTo:)``), opened without reading the archive.
    /// - Parameters:
    ///   - path: The archive.
    ///   - memberFolder: The member folder holding the TSVs and `clips/`.
    ///   - splits: The splits known.
    /// - Returns: The release.
    public static func archive(_ path: String, memberFolder: String, splits: [String]) -> CommonVoiceRelease {
        CommonVoiceRelease(path: path, layout: .archive(folder: memberFolder), splits: splits)
    }

    /// Where a clip is, as a path for manifests and messages: in `clips/` of a folder, or the
    /// archive's path followed by the member's (`….tar.gz/cv-corpus-…/yue/clips/x.mp3`), or the
    /// hub's shard folder followed by the clip's name.
    /// - Parameters:
    ///   - clip: The TSV `path` value.
    ///   - split: The split (it names the hub's shard folder).
    /// - Returns: The path.
    public func location(ofClip clip: String, split: String) -> String {
        switch layout {
        case .folder: "\(path)/clips/\(clip)"
        case .archive(let folder): "\(path)/\(folder.isEmpty ? "" : folder + "/")clips/\(clip)"
        case .hubShards(let language): "\(path)/audio/\(language)/\(split)/\(clip)"
        case .tarShards: "\(path)/\(clip)"
        }
    }

    /// Whether a folder is a Hugging Face hub copy or a folder of `.tar` shards with TSVs.
    /// - Parameter path: A folder.
    /// - Returns: `true` when ``init(path:)`` would see ``CommonVoiceLayout/hubShards(language:)``
    ///   or ``CommonVoiceLayout/tarShards``.
    public static func isShardFolder(_ path: String) -> Bool {
        guard FileSystem.isDirectory(path), let found = try? CommonVoiceLayout.detect(path) else { return false }
        return found.layout != .folder
    }

    /// The split's TSV file, for the layouts that keep it as a file.
    func tsvPath(split: String) -> String {
        switch layout {
        case .hubShards(let language): "\(path)/transcript/\(language)/\(split).tsv"
        default: "\(path)/\(split).tsv"
        }
    }

    /// The clips of a split as one forward stream of archive members (for every layout but
    /// ``CommonVoiceLayout/folder``, whose clips are files), with the rule that maps a member to
    /// the TSV `path` value it holds.
    /// - Parameter split: The split (it picks the hub's shard folder).
    /// - Returns: The stream.
    /// - Throws: ``DatasetError`` `.io` when the archive or shards cannot be opened, or
    ///   `n_shards.json` declares shards that are missing.
    public func clips(split: String) throws(DatasetError) -> CommonVoiceClips {
        switch layout {
        case .folder:
            do { return CommonVoiceClips(source: try FolderMembers(path: "\(path)/clips"), clipFolder: "") } catch {
                throw DatasetError(.io, subject: path, error.description)
            }
        case .archive(let folder):
            return CommonVoiceClips(source: try CommonVoiceLayout.openArchive(path), clipFolder: (folder.isEmpty ? "" : folder + "/") + "clips/")
        case .hubShards(let language):
            let folder = "\(path)/audio/\(language)/\(split)"
            let shards = try Self.shardFiles(in: folder)
            if let declared = Self.declaredShardCount(path, language: language, split: split), declared != shards.count {
                throw DatasetError(.io, subject: folder, "n_shards.json declares \(declared) shards for \(split) but \(shards.count) are here")
            }
            return CommonVoiceClips(source: ConcatenatedMembers(shardPaths: shards), clipFolder: nil)
        case .tarShards:
            return CommonVoiceClips(source: ConcatenatedMembers(shardPaths: try Self.shardFiles(in: path)), clipFolder: nil)
        }
    }

    /// The `.tar` shards of a folder in numeric order (`en_train_2` before `en_train_10`).
    private static func shardFiles(in folder: String) throws(DatasetError) -> [String] {
        let names = try FileSystem.contentsOfDirectory(folder).filter {
            $0.hasSuffix(".tar") || $0.hasSuffix(".tar.gz") || $0.hasSuffix(".tgz") || $0.hasSuffix(".tar.zst") || $0.hasSuffix(".tar.xz")
        }
        func key(_ name: String) -> (String, Int) {
            let stem = name.prefix { $0 != "." }
            let digits = stem.reversed().prefix { $0.isNumber }
            return (String(stem.dropLast(digits.count)), Int(String(digits.reversed())) ?? -1)
        }
        return names.sorted { a, b in
            let (ka, kb) = (key(a), key(b))
            return ka != kb ? (ka.0 != kb.0 ? byteOrder(ka.0, kb.0) : ka.1 < kb.1) : byteOrder(a, b)
        }.map { "\(folder)/\($0)" }
    }

    /// The shard count `n_shards.json` gives for a split, when the file says.
    private static func declaredShardCount(_ path: String, language: String, split: String) -> Int? {
        guard let data = FileManager.default.contents(atPath: "\(path)/n_shards.json"),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return nil }
        let counts = (object[language] as? [String: Any]) ?? object
        return (counts[split] as? NSNumber)?.intValue
    }

    init(path: String, layout: CommonVoiceLayout, splits: [String]) {
        self.path = path
        self.layout = layout
        self.splits = splits
    }
}

/// The clips of a Common Voice split as archive members read in the archive's own order.
public struct CommonVoiceClips {
    /// The members, one forward pass.
    public let source: any MemberSource
    /// For a release archive, the member folder of the clips (`cv-corpus-…/yue/clips/`); `nil`
    /// for shards, whose members are matched by file name.
    let clipFolder: String?

    /// The TSV `path` value a member holds, or `nil` for a member that is not a clip (a TSV, a
    /// folder, a file outside `clips/`, an unsafe name). A link or device keeps its name, so a
    /// wanted clip stored as one can be reported; its data is never read.
    /// - Parameter member: A member from ``source``.
    /// - Returns: The clip name as the TSV writes it (e.g. `common_voice_yue_31172849.mp3`).
    public func clipName(of member: ArchiveMember) -> String? {
        guard let path = member.path, member.kind != .directory else { return nil }
        guard let clipFolder else { return member.fileName.flatMap { $0.hasSuffix(".tsv") || $0.hasSuffix(".json") ? nil : $0 } }
        guard path.hasPrefix(clipFolder), path.count > clipFolder.count else { return nil }
        return String(path.dropFirst(clipFolder.count))
    }
}
