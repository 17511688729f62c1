import Foundation
import SpeechDataset
import Testing
import TestSupport

/// Hugging Face audio folders given as folders (flat or with split subfolders), and plain
/// folders of audio files.
@Suite struct AudioFolderLayoutTests {
    static func readAll(_ reader: consuming some ManifestReader) throws -> [ManifestEntry] {
        var reader = reader
        var entries: [ManifestEntry] = []
        while let entry = try reader.next() { entries.append(entry) }
        return entries
    }

    @Test("Split subfolders are read split by split; ids are the stems, paths relative to the root")
    func splitSubfolders() throws {
        let dir = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir.file("train"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir.file("test"), withIntermediateDirectories: true)
        try writeText("file_name,transcription\nt1.wav,one\nt2.wav,two\n", to: dir.file("train/metadata.csv"))
        try writeText("{\"file_name\": \"e1.flac\", \"text\": \"eins\"}\n", to: dir.file("test/metadata.jsonl"))
        #expect(try ManifestFormat.detect(path: dir.path) == .audioFolder)
        #expect(ManifestFormat.isAudioFolderSplit(dir.file("train")))
        #expect(!ManifestFormat.isAudioFolderSplit(dir.path))
        let entries = try Self.readAll(Manifest.open(path: dir.path))
        #expect(entries.map(\.id) == ["e1", "t1", "t2"])
        #expect(entries.map(\.audioPath) == ["test/e1.flac", "train/t1.wav", "train/t2.wav"])
        #expect(entries.map(\.text) == ["eins", "one", "two"])
        // The split's own metadata file gives the same ids and texts.
        let train = try Self.readAll(Manifest.open(path: dir.file("train/metadata.csv")))
        #expect(train.map(\.id) == ["t1", "t2"])
        #expect(train.map(\.text) == ["one", "two"])
    }

    @Test("A folder that is no other layout is a folder of audio files, hidden files skipped")
    func plainFolder() throws {
        let dir = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir.file("deep/.cache"), withIntermediateDirectories: true)
        for name in ["b.M4A", "a.wav", "deep/c.webm", "deep/.cache/x.wav", ".hidden.mp3", "notes.txt"] {
            try writeText("", to: dir.file(name))
        }
        #expect(try ManifestFormat.detect(path: dir.path) == .audioFiles)
        let entries = try Self.readAll(Manifest.open(path: dir.path))
        #expect(entries.map(\.id) == ["a", "b", "deep/c"])
        #expect(entries.map(\.audioPath) == [dir.file("a.wav"), dir.file("b.M4A"), dir.file("deep/c.webm")])
        #expect(entries.allSatisfy { $0.text == nil })
    }
}
