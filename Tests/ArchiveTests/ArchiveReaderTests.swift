import Archive
import Foundation
import Testing
import TestSupport

/// Reads every member of a source, returning (path, size, kind, bytes when readable).
private func readAll(_ source: any MemberSource) throws -> [(ArchiveMember, [UInt8]?)] {
    var out: [(ArchiveMember, [UInt8]?)] = []
    while let member = try source.nextMember() {
        out.append((member, member.isReadableFile ? try source.readMember() : nil))
    }
    return out
}

private let sample: [TestMember] = [
    TestMember(name: "cv-corpus-1/yue/", type: "dir"),
    TestMember(name: "cv-corpus-1/yue/clips/a.mp3", data: String(repeating: "a", count: 3000)),
    TestMember(name: "./cv-corpus-1/yue/clips/b.mp3", data: "bb"),
    TestMember(name: "cv-corpus-1/yue/empty.txt", data: ""),
    TestMember(name: "cv-corpus-1/yue/test.tsv", data: "path\tsentence\na.mp3\thello\n"),
]

@Suite("ArchiveReader")
struct ArchiveReaderTests {
    @Test("tar, tar.gz, tar.xz, tar.zst and tar.bz2 are recognised by their bytes and read alike",
          arguments: ["", "gz", "xz", "zst", "bz2"])
    func compressions(compression: String) throws {
        let folder = try TemporaryDirectory()
        // A misleading extension: only the bytes count.
        let path = folder.file("archive.bin")
        try ArchiveBuilder.make(path, compression: compression, members: sample)
        #expect(ArchiveReader.looksLikeArchive(path))
        let reader = try ArchiveReader(path: path)
        let members = try readAll(reader)
        #expect(members.map(\.0.path) == ["cv-corpus-1/yue", "cv-corpus-1/yue/clips/a.mp3", "cv-corpus-1/yue/clips/b.mp3", "cv-corpus-1/yue/empty.txt", "cv-corpus-1/yue/test.tsv"])
        #expect(members.map(\.0.kind) == [.directory, .file, .file, .file, .file])
        #expect(members.map(\.0.size) == [0, 3000, 2, 0, 26])
        #expect(members[1].1 == Array(String(repeating: "a", count: 3000).utf8))
        #expect(members[4].1.map { String(decoding: $0, as: UTF8.self) } == "path\tsentence\na.mp3\thello\n")
        #expect(reader.compression == (compression == "" ? [] : [["gz": "gzip", "xz": "xz", "zst": "zstd", "bz2": "bzip2"][compression]!]))
    }

    @Test("members not read are skipped, and streaming reads give the same bytes as whole reads")
    func skipAndStream() throws {
        let folder = try TemporaryDirectory()
        let path = folder.file("a.tar.gz")
        let big = String((0..<200_000).map { Character(UnicodeScalar(UInt8(97 + $0 % 26))) })
        try ArchiveBuilder.make(path, compression: "gz", members: [
            TestMember(name: "skip-me", data: big), TestMember(name: "stream-me", data: big), TestMember(name: "last", data: "end"),
        ])
        let reader = try ArchiveReader(path: path)
        #expect(try reader.nextMember()?.path == "skip-me")
        #expect(try reader.nextMember()?.path == "stream-me")
        var streamed: [UInt8] = []
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 7_777, alignment: 1)
        defer { chunk.deallocate() }
        while case let n = try reader.read(into: chunk), n > 0 { streamed += chunk.prefix(n) }
        #expect(streamed == Array(big.utf8))
        #expect(try reader.nextMember()?.path == "last")
        #expect(try reader.readMember() == Array("end".utf8))
        #expect(try reader.nextMember() == nil)
    }

    @Test("names with .. or an absolute path are reported but never read")
    func unsafeNames() throws {
        let folder = try TemporaryDirectory()
        let path = folder.file("evil.tar")
        try ArchiveBuilder.make(path, members: [
            TestMember(name: "../../etc/passwd", data: "x"), TestMember(name: "/etc/shadow", data: "y"),
            TestMember(name: "a/../../b.mp3", data: "z"), TestMember(name: "ok.mp3", data: "ok"),
        ])
        let reader = try ArchiveReader(path: path)
        for raw in ["../../etc/passwd", "/etc/shadow", "a/../../b.mp3"] {
            let member = try #require(try reader.nextMember())
            #expect(member.rawPath == raw)
            #expect(member.path == nil)
            #expect(!member.isReadableFile)
            let error = #expect(throws: ArchiveError.self) { try reader.readMember() }
            #expect(error?.code == .unsafeMember)
            #expect(error?.description.contains(path) == true)
            #expect(error?.description.contains(raw) == true)
        }
        #expect(try reader.nextMember()?.path == "ok.mp3")
        #expect(try reader.readMember() == Array("ok".utf8))
    }

    @Test("symbolic links, hard links and devices are reported as such and never followed")
    func linksAndDevices() throws {
        let folder = try TemporaryDirectory()
        let path = folder.file("links.tar")
        try ArchiveBuilder.make(path, members: [
            TestMember(name: "real.mp3", data: "data"),
            TestMember(name: "soft.mp3", type: "symlink", target: "/etc/passwd"),
            TestMember(name: "hard.mp3", type: "hardlink", target: "real.mp3"),
            TestMember(name: "dev.mp3", type: "chr"),
            TestMember(name: "fifo.mp3", type: "fifo"),
        ])
        let members = try readAll(try ArchiveReader(path: path))
        #expect(members.map(\.0.kind) == [.file, .symbolicLink, .hardLink, .special, .special])
        #expect(members.map(\.1) == [Array("data".utf8), nil, nil, nil, nil])
        let reader = try ArchiveReader(path: path)
        _ = try reader.nextMember()
        _ = try reader.nextMember()
        #expect(throws: ArchiveError.self) { try reader.readMember() }
    }

    @Test("a member over the size cap fails with a clear error and the members after it are still read")
    func sizeCap() throws {
        let folder = try TemporaryDirectory()
        let path = folder.file("cap.tar.zst")
        try ArchiveBuilder.make(path, compression: "zst", members: [
            TestMember(name: "big.mp3", data: String(repeating: "x", count: 5_000)), TestMember(name: "small.mp3", data: "s"),
        ])
        let reader = try ArchiveReader(path: path, memberSizeLimit: 4_096)
        #expect(try reader.nextMember()?.size == 5_000)
        let error = #expect(throws: ArchiveError.self) { try reader.readMember() }
        #expect(error?.code == .memberTooLarge)
        #expect(error?.member == "big.mp3")
        #expect(try reader.nextMember()?.path == "small.mp3")
        #expect(try reader.readMember() == Array("s".utf8))
    }

    @Test("a header declaring 5 GiB is refused without reading, then the archive ends early")
    func hugeDeclaredMember() throws {
        let folder = try TemporaryDirectory()
        let path = folder.file("huge.tar")
        try ArchiveBuilder.make(path, members: [
            TestMember(name: "first.mp3", data: "1"), TestMember(name: "huge.mp3", type: "huge", size: 5 << 30),
        ])
        #expect(ArchiveBuilder.size(path) < 10_000)
        let reader = try ArchiveReader(path: path)
        _ = try reader.nextMember()
        #expect(try reader.readMember() == [0x31])
        #expect(try reader.nextMember()?.size == 5 << 30)
        let tooLarge = #expect(throws: ArchiveError.self) { try reader.readMember() }
        #expect(tooLarge?.code == .memberTooLarge)
        let end = #expect(throws: ArchiveError.self) { try reader.nextMember() }
        #expect(end?.code == .truncated)
        #expect(end?.description.contains("ends early") == true)
    }

    @Test("an archive cut mid-member gives the members before the cut, then 'ends early'",
          arguments: ["", "gz", "xz"])
    func truncated(compression: String) throws {
        let folder = try TemporaryDirectory()
        let path = folder.file("cut.tar")
        // Random-looking data, so compression does not shrink the cut away.
        var generator = SeededRandom(seed: 7)
        // Decompressors hand out 64 KiB blocks, so the cut is placed well after the first member.
        let noise = String((0..<400_000).map { _ in Character(UnicodeScalar(UInt8(33 + generator.next() % 90))) })
        try ArchiveBuilder.make(path, compression: compression, members: [
            TestMember(name: "a.mp3", data: "first"), TestMember(name: "b.mp3", data: noise), TestMember(name: "c.mp3", data: "third"),
        ])
        try ArchiveBuilder.truncate(path, to: ArchiveBuilder.size(path) * 2 / 3)
        let reader = try ArchiveReader(path: path)
        #expect(try reader.nextMember()?.path == "a.mp3")
        #expect(try reader.readMember() == Array("first".utf8))
        #expect(try reader.nextMember()?.path == "b.mp3")
        let error = #expect(throws: ArchiveError.self) { try reader.readMember() }
        #expect(error?.code == .truncated)
        #expect(error?.member == "b.mp3")
        #expect(error?.description.contains(path) == true)
    }

    @Test("a corrupt gzip or xz stream is an error naming the archive", arguments: ["gz", "xz"])
    func corruptStream(compression: String) throws {
        let folder = try TemporaryDirectory()
        let path = folder.file("bad.tar.\(compression)")
        var generator = SeededRandom(seed: 3)
        let noise = String((0..<40_000).map { _ in Character(UnicodeScalar(UInt8(33 + generator.next() % 90))) })
        try ArchiveBuilder.make(path, compression: compression, members: [
            TestMember(name: "a.mp3", data: noise), TestMember(name: "b.mp3", data: noise),
        ])
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        for offset in (bytes.count / 3)..<(bytes.count / 3 + 4_096) { bytes[offset] = 0xFF }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: ArchiveError.self) { _ = try readAll(try ArchiveReader(path: path)) }
        #expect(error?.code == .corrupt || error?.code == .truncated)
        #expect(error?.archive == path)
    }

    @Test("a file that is not an archive, an empty file, a folder and a missing path are refused")
    func notArchives() throws {
        let folder = try TemporaryDirectory()
        let text = folder.file("notes.tar.gz")
        try Data("just some text, not a tarball\n".utf8).write(to: URL(fileURLWithPath: text))
        let empty = folder.file("empty.tar")
        try Data().write(to: URL(fileURLWithPath: empty))
        #expect(!ArchiveReader.looksLikeArchive(text))
        #expect(!ArchiveReader.looksLikeArchive(folder.path))
        for path in [text, empty] {
            let error = #expect(throws: ArchiveError.self) { _ = try readAll(try ArchiveReader(path: path)) }
            #expect(error?.code == .notAnArchive)
            #expect(error?.description.hasPrefix(path) == true)
        }
        #expect(throws: ArchiveError.self) { _ = try ArchiveReader(path: folder.path) }
        let missing = #expect(throws: ArchiveError.self) { _ = try ArchiveReader(path: folder.file("nope.tar")) }
        #expect(missing?.code == .notFound)
    }

    @Test("a folder and a sequence of shards read like one archive")
    func folderAndShards() throws {
        let folder = try TemporaryDirectory()
        try ArchiveBuilder.make(folder.file("s0.tar"), members: [TestMember(name: "x/1.mp3", data: "one")])
        try ArchiveBuilder.make(folder.file("s1.tar.gz"), compression: "gz", members: [TestMember(name: "x/2.mp3", data: "two")])
        let shards = ConcatenatedMembers(shardPaths: [folder.file("s0.tar"), folder.file("s1.tar.gz")])
        let read = try readAll(shards)
        #expect(read.map(\.0.path) == ["x/1.mp3", "x/2.mp3"])
        #expect(read.map(\.1) == [Array("one".utf8), Array("two".utf8)])

        let tree = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: tree.file("clips"), withIntermediateDirectories: true)
        try Data("b".utf8).write(to: URL(fileURLWithPath: tree.file("clips/b.mp3")))
        try Data("a".utf8).write(to: URL(fileURLWithPath: tree.file("a.tsv")))
        try FileManager.default.createSymbolicLink(atPath: tree.file("clips/link.mp3"), withDestinationPath: "/etc/passwd")
        let listed = try readAll(try FolderMembers(path: tree.path))
        #expect(listed.map(\.0.path) == ["a.tsv", "clips", "clips/b.mp3", "clips/link.mp3"])
        #expect(listed.map(\.0.kind) == [.file, .directory, .file, .symbolicLink])
        #expect(listed.map(\.1) == [Array("a".utf8), nil, Array("b".utf8), nil])
    }
}
