// Harnesses for the dataset readers: the byte-level JSON parser, the legacy JSON manifest and
// results, NeMo JSONL, Common Voice TSV, Kaldi data folders and checkpoint-journal recovery.

@testable import SpeechDataset

let datasetHarnesses: [Harness] = [
    Harness(name: "json", run: fuzzJSON),
    Harness(name: "legacy-json", run: fuzzLegacyJSON),
    Harness(name: "nemo", run: fuzzNeMo),
    Harness(name: "commonvoice", run: fuzzCommonVoice),
    Harness(name: "kaldi", run: fuzzKaldi),
    Harness(name: "journal", run: fuzzJournal),
]

/// The parser must not crash on any bytes, and whatever it accepts must survive our writer:
/// parse → write → parse → write gives the same text both times.
func fuzzJSON(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard let value = try? JSONParser.parse(bytes) else { return }
    var first = ""
    JSONText.append(value, to: &first)
    let reparsed: JSONValue
    do { reparsed = try Array(first.utf8).withUnsafeBufferPointer { (b) throws(JSONSyntaxError) in try JSONParser.parse(b) } } catch {
        preconditionFailure("our own JSON text does not parse: \(error.message) at \(error.offset) in \(first)")
    }
    var second = ""
    JSONText.append(reparsed, to: &second)
    precondition(first == second, "JSON round trip changed the text: \(first) → \(second)")
}

/// Reads `path` strictly and leniently. Lenient reading of what strict reading accepts must
/// give the same entries and no issues.
func readBothWays<Reader: ManifestReader>(
    _ open: (ReadOptions) throws(DatasetError) -> Reader, issues: (Reader) -> [DatasetError]
) {
    let strict: [ManifestEntry]? = {
        guard var reader = try? open(ReadOptions(mode: .strict)) else { return nil }
        return try? reader.readAll()
    }()
    guard var lenient = try? open(ReadOptions(mode: .lenient)) else {
        precondition(strict == nil, "lenient open failed where strict reading succeeded")
        return
    }
    let entries = try? lenient.readAll()
    if let strict {
        precondition(entries == strict, "lenient reading differs from strict reading of a clean file")
        precondition(issues(lenient).isEmpty, "lenient reading reports issues in a file strict reading accepts")
    }
}

func fuzzLegacyJSON(_ bytes: UnsafeBufferPointer<UInt8>) {
    let path = Scratch.write(bytes, to: "manifest.json")
    readBothWays({ (options) throws(DatasetError) in try LegacyManifestReader(path: path, options: options) }, issues: \.issues)
    _ = try? LegacyResults.read(path)
    _ = try? LegacyResults.read(path, options: ReadOptions(mode: .lenient))
}

func fuzzNeMo(_ bytes: UnsafeBufferPointer<UInt8>) {
    let path = Scratch.write(bytes, to: "manifest.jsonl")
    readBothWays({ (options) throws(DatasetError) in try NeMoManifestReader(path: path, options: options) }, issues: \.issues)
}

func fuzzCommonVoice(_ bytes: UnsafeBufferPointer<UInt8>) {
    let path = Scratch.write(bytes, to: "train.tsv")
    readBothWays(
        { (options) throws(DatasetError) in try CommonVoiceReader(path: path, language: "en", options: options) },
        issues: \.issues)
}

/// The files of a Kaldi data folder, in the order the input's NUL-separated sections fill them.
/// `segments` comes last, so most inputs (fewer sections) exercise the folder without it.
let kaldiFiles = ["wav.scp", "text", "utt2spk", "utt2dur", "utt2lang", "segments"]

func fuzzKaldi(_ bytes: UnsafeBufferPointer<UInt8>) {
    let sections = bytes.split(separator: 0, maxSplits: kaldiFiles.count - 1, omittingEmptySubsequences: false)
    for (k, name) in kaldiFiles.enumerated() {
        if k < sections.count {
            _ = Array(sections[k]).withUnsafeBufferPointer { Scratch.write($0, to: name) }
        } else {
            Scratch.remove(name)
        }
    }
    readBothWays(
        { (options) throws(DatasetError) in try KaldiDataDirectoryReader(path: Scratch.folder, options: options) },
        issues: \.issues)
}

/// The configuration every journal seed is written with.
let journalConfiguration = ["engine": "fuzz", "sample_rate": "16000"]

/// Opening recovers a torn tail or refuses with a typed error; a journal that opens must take
/// an append and then reopen with every record it had plus the new one.
func fuzzJournal(_ bytes: UnsafeBufferPointer<UInt8>) {
    let path = Scratch.write(bytes, to: "journal.jsonl")
    let before: Set<String>
    do {
        let journal = try CheckpointJournal(path: path, configuration: journalConfiguration, syncInterval: 1_000)
        before = try journal.completedIDs
        for id in before { _ = try journal.record(for: id) }
        try journal.append(TranscriptRecord(id: "fuzz-appended", truth: "a", asr: "b", duration: 1.5, engine: "fuzz"))
    } catch {
        return
    }
    do {
        let reopened = try CheckpointJournal(path: path, configuration: journalConfiguration)
        precondition(reopened.recoveredBytes == 0, "an append after recovery left a torn tail")
        let after = try reopened.completedIDs
        precondition(after == before.union(["fuzz-appended"]), "reopening lost or invented records")
    } catch {
        preconditionFailure("a recovered journal with one append does not reopen: \(error.message)")
    }
}
