import Foundation

/// A finished item with its position in the input, the unit shard part files hold.
struct IndexedRecord: Codable, Sendable, Hashable {
    /// Position among all selected items (before sharding).
    var index: Int
    /// The audio the output manifest points at: the converted file (relative to the output
    /// folder) or the source file.
    var audioPath: String
    var record: TranscriptRecord
}

/// Writes a run's final files from its records in input order. Both a single run and
/// ``ShardMerger`` use it, which is what makes merged shards byte-identical to one run.
///
/// Files (each written atomically):
/// - `results.json` — the legacy `{idx: {ID, truth, asr}}` shape, when there was a recogniser;
/// - `manifest.jsonl` — NeMo (`audio_filepath`, `duration`, `text`, plus `pred_text`);
/// - `failures.jsonl` — `{id, audio, error}` for every failed item;
/// - `asr_<n>.json` chunk files every K items, when asked.
enum PipelineOutputs {
    static let resultsFile = "results.json"
    static let manifestFile = "manifest.jsonl"
    static let failuresFile = "failures.jsonl"
    static let finalNames: Set<String> = [resultsFile, manifestFile, failuresFile]

    static func write(
        _ records: [IndexedRecord], transcribed: Bool, chunkInterval: Int?, to directory: String
    ) throws(PipelineError) -> [String] {
        let succeeded = records.filter { $0.record.error == nil }
        var written: [String] = []
        func put(_ text: String, _ name: String) throws(PipelineError) {
            let path = "\(directory)/\(name)"
            do { try AtomicFile.write(Data(text.utf8), to: path) } catch {
                throw PipelineError.wrapping(.outputFailed, error, subject: path)
            }
            written.append(path)
        }
        if transcribed {
            try put(legacyResults(succeeded), resultsFile)
            if let interval = chunkInterval, interval > 0, let last = records.last?.index {
                // Chunks follow the old workflow: asr_3000.json holds items 0..<3000, …, and
                // the last chunk is named after the item count.
                var start = 0
                while start <= last {
                    let end = min(start + interval, last + 1)
                    let chunk = succeeded.filter { (start..<end).contains($0.index) }
                    try put(legacyResults(chunk), "asr_\(end).json")
                    start = end
                }
            }
        }
        try put(succeeded.map { nemoLine($0, transcribed: transcribed) }.joined(), manifestFile)
        try put(records.filter { $0.record.error != nil }.map(failureLine).joined(), failuresFile)
        return written
    }

    // MARK: - Encoding with a fixed key order, so files are byte-stable

    static func legacyResults(_ records: [IndexedRecord]) -> String {
        guard !records.isEmpty else { return "{}\n" }
        let lines = records.map { item in
            "  \(json(String(item.index))): {\"ID\": \(json(item.record.id)), "
                + "\"truth\": \(json(item.record.truth ?? "")), \"asr\": \(json(item.record.asr ?? ""))}"
        }
        return "{\n" + lines.joined(separator: ",\n") + "\n}\n"
    }

    static func nemoLine(_ item: IndexedRecord, transcribed: Bool) -> String {
        var line = "{\"audio_filepath\": \(json(item.audioPath)), "
            + "\"duration\": \(number(item.record.duration ?? 0)), \"text\": \(json(item.record.truth ?? ""))"
        if transcribed { line += ", \"pred_text\": \(json(item.record.asr ?? ""))" }
        return line + "}\n"
    }

    static func failureLine(_ item: IndexedRecord) -> String {
        "{\"id\": \(json(item.record.id)), \"audio\": \(json(item.audioPath)), "
            + "\"error\": \(json(item.record.error ?? ""))}\n"
    }

    static func json(_ string: String) -> String { JSONText.quoted(string) }

    static func number(_ value: Double) -> String {
        String(format: "%.3f", value)
    }
}
