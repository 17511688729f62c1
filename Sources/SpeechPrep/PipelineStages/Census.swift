import Foundation
import SystemSupport

/// What the first pass over the selection found: how much work there is, and how much of it
/// the journal already holds.
struct WorkCensus {
    /// Items selected for the run.
    var total = 0
    /// Items the journal already holds, from earlier runs.
    var resumed = 0
    /// Items left for this run.
    var remaining: Int { total - resumed }
}

extension Pipeline {
    /// The first pass over the selection: counts the work, so progress has a total and an ETA,
    /// and removes the temporary files a killed run left of this run's items and outputs.
    /// One pass serves both, since reading the input is what it costs.
    func takeCensus(journal: CheckpointJournal) throws(PipelineError) -> WorkCensus {
        var census = WorkCensus()
        let wavs = "\(configuration.outputDirectory)/wavs"
        var audio = OwnedLeftovers(in: wavs, configuration.writeAudio ? leftovers(in: wavs) : [])
        try InputSelection(configuration: configuration).forEach { item throws(PipelineError) in
            census.total += 1
            if journal.contains(item.entry.id) { census.resumed += 1 }
            audio.claim(id: item.entry.id)
            return true
        }
        audio.removeClaimed()
        removeOutputLeftovers()
        return census
    }

    /// Removes the temporary final files of a killed run: a shard's own part files, or, for a
    /// whole run, the final files, chunks, progress and exit records.
    private func removeOutputLeftovers() {
        let folder = configuration.outputDirectory
        for leftover in leftovers(in: folder) {
            let owned = if let shard = configuration.shard {
                leftover.target.hasPrefix(shard.partName + ".")
            } else {
                PipelineOutputs.finalNames.contains(leftover.target)
                    || (leftover.target.hasPrefix("asr_") && leftover.target.hasSuffix(".json"))
                    || leftover.target == "progress.json" || leftover.target == "job.exit.json"
            }
            if owned { try? FileManager.default.removeItem(atPath: "\(folder)/\(leftover.name)") }
        }
    }

    /// The temporary files a killed run left in `folder` (SystemSupport's `AtomicOutput` names
    /// them) with the name each was to become. Only those of files this run owns are removed,
    /// so shards sharing a folder never touch each other's work in progress.
    private func leftovers(in folder: String) -> [(name: String, target: String)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.compactMap { entry in AtomicOutput.leftoverTarget(entry).map { (entry, $0) } }
    }
}

/// The temporary WAVs a killed run left in `wavs/`, and which of them belong to this run's
/// items: only those are removed, so shards sharing a folder never touch each other's work in
/// progress.
private struct OwnedLeftovers {
    let folder: String
    let files: [(name: String, target: String)]
    /// The WAVs the files were to become, as paths relative to the output folder.
    let targets: Set<String>
    private var owned = Set<String>()

    init(in folder: String, _ files: [(name: String, target: String)]) {
        self.folder = folder
        self.files = files
        targets = Set(files.map { "wavs/\($0.target)" })
    }

    /// Notes that an item of this run writes its WAV under `id`.
    mutating func claim(id: String) {
        guard !targets.isEmpty else { return }
        let path = PipelineConfiguration.convertedAudioPath(forID: id)
        if targets.contains(path) { owned.insert(path) }
    }

    func removeClaimed() {
        for file in files where owned.contains("wavs/\(file.target)") {
            try? FileManager.default.removeItem(atPath: "\(folder)/\(file.name)")
        }
    }
}
