import Archive
import Foundation
import SpeechDataset
import Testing
import TestSupport

/// The committed Common Voice fixtures, packed by `tar` the way releases are downloaded, read
/// in place and compared with the same release read from its folder.
@Suite struct CommonVoiceArchiveTests {
    static let root = Fixtures.path("dataset")
    static let releases = ["cv-corpus-4-2019-12-10/en", "cv-corpus-8.0-2022-01-19/de", "cv-corpus-12.0-2022-12-07/zh-HK"]

    /// `tar` of a release's language folder under its `cv-corpus-*` folder, compressed with
    /// `compressor` (gzip, xz, zstd), written to `archive`.
    static func pack(_ release: String, compressor: String, into archive: String) throws {
        let corpus = String(release.split(separator: "/")[0])
        let result = try ExternalTool.run([
            "sh", "-c", "tar -C \"$1\" --sort=name -cf - \"$2\" | \(compressor) -c > \"$3\"", "sh", root, release, archive,
        ])
        #expect(result.status == 0, "\(corpus): \(String(decoding: result.stderr, as: UTF8.self))")
    }

    @Test(arguments: releases, ["gzip", "xz", "zstd"])
    func archiveReadsLikeItsFolder(release: String, compressor: String) throws {
        let folder = try TemporaryDirectory()
        let archive = folder.file("release.tar.\(compressor)")
        try Self.pack(release, compressor: compressor, into: archive)
        let fromFolder = try CommonVoiceRelease(path: "\(Self.root)/\(release)")
        let fromArchive = try CommonVoiceRelease(path: archive)
        #expect(fromArchive.layout == .archive(folder: release))
        #expect(fromArchive.splits == fromFolder.splits)
        #expect(fromArchive.language == fromFolder.language)
        for split in fromFolder.splits {
            var a = try fromArchive.reader(split: split, options: ReadOptions(mode: .lenient))
            var b = try fromFolder.reader(split: split, options: ReadOptions(mode: .lenient))
            #expect(try a.readAll() == (try b.readAll()), "\(release) \(split)")
        }
        // The single-split opening copies the TSV out byte for byte.
        let split = fromFolder.splits[0]
        let copied = try CommonVoiceRelease.archive(archive, split: split, copyingTSVTo: folder.file("copy.tsv"))
        #expect(copied.layout == .archive(folder: release))
        #expect(try readBytes(folder.file("copy.tsv")) == (try readBytes("\(Self.root)/\(release)/\(split).tsv")))
        #expect(copied.location(ofClip: "a.mp3", split: split) == "\(archive)/\(release)/clips/a.mp3")
    }

    @Test func folderOfTarShardsWithTSVs() throws {
        let folder = try TemporaryDirectory()
        try writeText("path\tsentence\nx.mp3\tHello.\ny.mp3\tWorld.\n", to: folder.file("test.tsv"))
        try writeText("not a split\n", to: folder.file("notes.tsv"))
        for (n, name) in [(10, "y.mp3"), (2, "x.mp3")] {
            let staging = folder.file("s\(n)")
            try FileManager.default.createDirectory(atPath: "\(staging)/inner", withIntermediateDirectories: true)
            try writeText(name, to: "\(staging)/inner/\(name)")
            #expect(try ExternalTool.run(["tar", "-C", staging, "-cf", folder.file("xx_test_\(n).tar"), "inner"]).status == 0)
        }
        #expect(CommonVoiceRelease.isShardFolder(folder.path))
        let release = try CommonVoiceRelease(path: folder.path)
        #expect(release.layout == .tarShards)
        #expect(release.splits == ["test"])
        var reader = try release.reader(split: "test")
        #expect(try reader.readAll().map(\.id) == ["x", "y"])
        // Shards are read in numeric order (2 before 10), members matched by file name.
        let clips = try release.clips(split: "test")
        var names: [String] = []
        while let member = try clips.source.nextMember() {
            if let name = clips.clipName(of: member) { names.append(name + "=" + String(decoding: try clips.source.readMember(), as: UTF8.self)) }
        }
        #expect(names == ["x.mp3=x.mp3", "y.mp3=y.mp3"])
    }

    @Test func badArchives() throws {
        let folder = try TemporaryDirectory()
        let text = folder.file("text.tar.gz")
        try writeText("hello\n", to: text)
        let notArchive = #expect(throws: DatasetError.self) { _ = try CommonVoiceRelease(path: text) }
        #expect(notArchive?.code == .unknownFormat)
        #expect(notArchive?.description.contains(text) == true)

        let staging = folder.file("photos")
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        try writeText("jpg", to: "\(staging)/a.jpg")
        let layoutless = folder.file("photos.tar")
        #expect(try ExternalTool.run(["tar", "-C", folder.path, "-cf", layoutless, "photos"]).status == 0)
        let noLayout = #expect(throws: DatasetError.self) { _ = try CommonVoiceRelease(path: layoutless) }
        #expect(noLayout?.code == .unknownFormat)
        #expect(noLayout?.description.contains("no Common Voice layout") == true)

        let archive = folder.file("release.tar.gz")
        try Self.pack(Self.releases[0], compressor: "gzip", into: archive)
        let missing = #expect(throws: DatasetError.self) {
            _ = try CommonVoiceRelease.archive(archive, split: "nosuch", copyingTSVTo: folder.file("x.tsv"))
        }
        #expect(missing?.description.contains("nosuch") == true)
        #expect(!FileManager.default.fileExists(atPath: folder.file("x.tsv")))
    }
}
