import Foundation

/// A Common Voice release read from its archive (or from tar shards) instead of an extracted
/// folder: where the selection's TSV comes from, and the reader stage that streams the clips.
///
/// The TSV decides what is wanted, but a release archive may store its TSVs after its clips,
/// so they cannot be known while the clips stream past. The split's TSV is therefore copied
/// out first, in a pass that stops as soon as it is read (at once when the TSVs come first; a
/// decompression of the whole archive, without decoding anything, when they come last), to
/// `<out>/.archive-<split>.tsv` beside a note of the archive's size and time, so a resumed run
/// does not look for it again. The clips are then read in one pass in the archive's own order.
struct ArchiveInput: Sendable {
    let release: CommonVoiceRelease
    let split: String
    /// The TSV the selection reads (a copy taken from the archive, or the shards' own file).
    let tsvCopy: String?

    /// The archive input of a configuration, or `nil` when its input is not a Common Voice
    /// archive or shard folder.
    static func open(_ configuration: PipelineConfiguration) throws(PipelineError) -> ArchiveInput? {
        guard case .commonVoice(let path, let split) = configuration.input else { return nil }
        var isDirectory: ObjCBool = false
        let isArchiveFile = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
        if !isArchiveFile, FileManager.default.fileExists(atPath: "\(path)/clips") { return nil }
        do {
            guard isArchiveFile else {
                let release = try CommonVoiceRelease(path: path)
                guard release.layout != .folder else { return nil }
                return ArchiveInput(release: release, split: split, tsvCopy: nil)
            }
            let copy = "\(configuration.outputDirectory)/.archive-\(split).tsv"
            let note = "\(configuration.outputDirectory)/.archive-\(split).json"
            let stamp = archiveStamp(path)
            if let saved = try? JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: note))) as? [String: String],
                saved["archive"] == stamp, let folder = saved["folder"], FileManager.default.fileExists(atPath: copy)
            {
                return ArchiveInput(release: .archive(path, memberFolder: folder, splits: [split]), split: split, tsvCopy: copy)
            }
            let release = try CommonVoiceRelease.archive(path, split: split, copyingTSVTo: copy)
            guard case .archive(let folder) = release.layout else { return nil }
            let json = try JSONSerialization.data(withJSONObject: ["archive": stamp, "folder": folder], options: [.sortedKeys])
            try AtomicFile.write(json, to: note)
            return ArchiveInput(release: release, split: split, tsvCopy: copy)
        } catch let error as DatasetError {
            throw PipelineError.wrapping(.invalidInput, error)
        } catch {
            throw PipelineError(.invalidInput, subject: path, "\(error)")
        }
    }

    /// Size and modification time: a replaced archive is read for its TSV again.
    private static func archiveStamp(_ path: String) -> String {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let size = (attributes?[.size] as? NSNumber)?.intValue ?? -1
        let time = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return "\(size)@\(time)"
    }

    /// The split's entries.
    func reader() throws(DatasetError) -> any ManifestReader {
        if let tsvCopy { return try CommonVoiceReader(path: tsvCopy, language: release.language) }
        return try release.reader(split: split)
    }

    /// The item as the selection hands it on: the clip's name inside the archive, a path that
    /// names archive and member for the outputs, and a problem for a name that is absolute or
    /// climbs with `..` (it could never be a member, and is never looked up).
    func prepare(_ entry: ManifestEntry, index: Int) -> SelectedItem {
        var entry = entry
        let clip = entry.audioPath.hasPrefix("clips/") ? String(entry.audioPath.dropFirst(6)) : entry.audioPath
        var problem: String?
        if ArchiveMember.safePath(clip) != clip {
            problem = "the clip path \"\(clip)\" is absolute, climbs with \"..\" or is not a plain member name"
        }
        entry.audioPath = release.location(ofClip: clip, split: split)
        return SelectedItem(index: index, entry: entry, pathProblem: problem, clipName: clip)
    }

    /// The reader stage: reads the clips in the archive's order and pushes each wanted one, with
    /// its bytes, to the workers. Members not wanted are skipped inside the decompressor.
    /// Wanted clips the archive does not hold, and those after a break in the archive, are
    /// pushed as failed items saying why.
    /// - Parameters:
    ///   - selection: The run's items.
    ///   - isDone: Whether an id is already journaled (skipped while streaming).
    ///   - work: The workers' queue; a closed queue (a stop) ends the stage.
    func stream(_ selection: InputSelection, isDone: (String) -> Bool, into work: BlockingQueue<SelectedItem>) throws(PipelineError) {
        // The wanted items by clip name; a problem item is handed on as it is.
        var wanted: [String: SelectedItem] = [:]
        var open = true
        try selection.forEach { item throws(PipelineError) in
            if isDone(item.entry.id) { return true }
            if item.pathProblem != nil || item.clipName == nil {
                open = work.push(item)
                return open
            }
            wanted[item.clipName!] = item
            return true
        }
        guard open, !wanted.isEmpty else { return }
        let clips: CommonVoiceClips
        do { clips = try release.clips(split: split) } catch {
            fail(wanted.values, error.description, into: work)
            return
        }
        var breakOff: String?
        var current: SelectedItem?
        do {
            while let member = try clips.source.nextMember() {
                guard let name = clips.clipName(of: member), var item = wanted.removeValue(forKey: name) else { continue }
                current = item
                if member.kind != .file {
                    item.pathProblem = "\(clips.source.sourcePath): member \(member.rawPath) is a \(member.kind), not a regular file; links are never followed"
                } else {
                    do { item.audioBytes = try clips.source.readMember() } catch where error.code == .memberTooLarge {
                        item.pathProblem = error.description
                    }
                }
                current = nil
                guard work.push(item) else { return }
                if wanted.isEmpty { return }
            }
        } catch {
            if let current { wanted[current.clipName!] = current }
            breakOff = error.code == .truncated
                ? "\(error.archive): the archive ends early, before this clip (\(error.message))"
                : "\(error.archive): the archive breaks off before this clip: \(error.description)"
        }
        fail(wanted.values, breakOff ?? "not in the archive \(release.path)", into: work)
    }

    /// Pushes items as failed, in selection order so the journal's order does not depend on
    /// hashing.
    private func fail(_ items: some Collection<SelectedItem>, _ reason: String, into work: BlockingQueue<SelectedItem>) {
        for var item in items.sorted(by: { $0.index < $1.index }) {
            item.pathProblem = reason
            guard work.push(item) else { return }
        }
    }
}
