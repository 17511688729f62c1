import Foundation

/// One item chosen for a run: its position among all chosen items (before sharding) and its
/// manifest entry. The position keys the final outputs, so shards merge back in input order.
struct SelectedItem: Sendable {
    var index: Int
    /// The entry, its audio path resolved against the dataset root.
    var entry: ManifestEntry
    /// Why the entry's audio path was refused (it escapes the dataset root), if it was.
    var pathProblem: String?
    /// For a clip read from an archive: its name as the TSV gives it.
    var clipName: String?
    /// For a clip read from an archive: its bytes, handed over by the archive reader stage.
    var audioBytes: [UInt8]?
}

/// Reads the input in order and applies, deterministically, the item limit, the per-language
/// limits, duplicate-id removal and the shard filter. Reading twice gives the same items.
struct InputSelection {
    let configuration: PipelineConfiguration

    /// Calls `body` for each selected item, in input order, until it returns `false`.
    func forEach(_ body: (SelectedItem) throws(PipelineError) -> Bool) throws(PipelineError) {
        let archive = try ArchiveInput.open(configuration)
        var reader: any ManifestReader
        if let archive {
            do { reader = try archive.reader() } catch { throw PipelineError.wrapping(.invalidInput, error) }
        } else {
            reader = try openReader()
        }
        let root = datasetRoot()
        var perLanguage: [String: Int] = [:]
        // On disk beyond 16,384 ids, so a manifest of millions does not grow the run's memory.
        let seen = ExactIDSet(scratchFolder: configuration.outputDirectory)
        var chosen = 0
        while true {
            if let limit = configuration.limit, chosen >= limit { return }
            let next: ManifestEntry?
            do { next = try reader.next() } catch {
                throw PipelineError.wrapping(.invalidInput, error)
            }
            guard let entry = next else { return }
            do { guard try seen.insert(entry.id) else { continue } } catch {
                throw PipelineError.wrapping(.outputFailed, error, subject: configuration.outputDirectory)
            }
            let languageKey = entry.language ?? ""
            if let languageLimit = configuration.languageLimits.limit(for: entry.language),
                perLanguage[languageKey, default: 0] >= languageLimit
            {
                continue
            }
            perLanguage[languageKey, default: 0] += 1
            let index = chosen
            chosen += 1
            if let shard = configuration.shard, !shard.contains(id: entry.id) { continue }
            if let archive {
                guard try body(archive.prepare(entry, index: index)) else { return }
                continue
            }
            var resolved = entry
            var problem: String?
            do { resolved.audioPath = try root.resolve(entry.audioPath) } catch { problem = error.description }
            guard try body(SelectedItem(index: index, entry: resolved, pathProblem: problem)) else { return }
        }
    }

    /// Relative audio paths are relative to the release folder or the manifest's folder; a
    /// release may not point outside itself, a manifest may (NeMo manifests hold absolute paths).
    private func datasetRoot() -> DatasetRoot {
        switch configuration.input {
        case .manifest(let path): DatasetRoot.forManifest(path, allowEscapes: true)
        case .commonVoice(let path, _): DatasetRoot(path: path)
        case .audioFolder(let path): DatasetRoot(path: path, allowEscapes: true)
        case .custom(let input): DatasetRoot(path: input.root ?? FileManager.default.currentDirectoryPath, allowEscapes: true)
        }
    }

    private func openReader() throws(PipelineError) -> any ManifestReader {
        do {
            switch configuration.input {
            case .manifest(let path):
                return try Manifest.open(path: path)
            case .commonVoice(let path, let split):
                return try CommonVoiceRelease(path: path).reader(split: split)
            case .audioFolder(let path):
                return try AudioFileFolderReader(path: path)
            case .custom(let input):
                return try input.makeReader()
            }
        } catch let error as PipelineError {
            throw error
        } catch {
            throw PipelineError.wrapping(.invalidInput, error)
        }
    }
}
