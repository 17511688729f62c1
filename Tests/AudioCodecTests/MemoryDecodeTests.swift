import AudioCodec
import Foundation
import PCM
import Testing
import TestSupport

/// Decoding from memory (archive members) against decoding the same file from disk.
@Suite("Decoding from memory")
struct MemoryDecodeTests {
    static let generated: [Fixture] = Recipes.lossless + Recipes.mpeg + [Recipes.vorbis, Recipes.opus] + Recipes.ffmpegOnly
    static let committed = ["mp3-named.wav", "wav-named.mp3", "speech-22k-mono.flac", "speech-48k-mono.mp3"]

    static func bytes(_ path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }

    static func expectIdentical(_ path: String) throws {
        let fromDisk = try AudioFile.open(path)
        defer { fromDisk.close() }
        let fromMemory = try AudioFile.open(bytes: try bytes(path), name: "member/" + path)
        defer { fromMemory.close() }
        #expect(type(of: fromMemory) == type(of: fromDisk))
        #expect(fromMemory.format == fromDisk.format)
        #expect(fromMemory.info.container == fromDisk.info.container)
        #expect(fromMemory.info.codec == fromDisk.info.codec)
        #expect(fromMemory.info.fileSize == fromDisk.info.fileSize)
        #expect(fromMemory.info.path == "member/" + path)
        // MP3: the exact gapless length comes from a scan, which works on memory too.
        #expect(fromMemory.frameCount == fromDisk.frameCount)
        let diskSamples = try fromDisk.readAll()
        let memorySamples = try fromMemory.readAll()
        #expect(memorySamples.frameCount > 0)
        #expect(memorySamples == diskSamples)
    }

    @Test("every generated codec fixture decodes to the same samples from memory as from disk", arguments: generated)
    func generatedFixtures(fixture: Fixture) throws {
        try Self.expectIdentical(fixture.path)
    }

    @Test("the committed speech fixtures, misnamed ones included, decode alike from memory", arguments: committed)
    func committedFixtures(name: String) throws {
        try Self.expectIdentical(Fixtures.path("codec/\(name)"))
    }

    @Test("converting from memory writes the same WAV, byte for byte, as converting the file",
          arguments: [Fixtures.path("codec/speech-48k-mono.mp3"), Fixtures.path("codec/speech-22k-mono.flac")])
    func conversion(path: String) throws {
        let folder = try TemporaryDirectory()
        var converter = AudioConverter(options: ConversionOptions(sampleRate: 16_000, channelCount: 1))
        let fromDisk = try converter.convert(from: path, to: folder.file("disk.wav"))
        let fromMemory = try converter.convert(bytes: try Self.bytes(path), name: "x.tar.gz/clips/a", to: folder.file("memory.wav"))
        #expect(fromMemory.outputFrames == fromDisk.outputFrames)
        #expect(try Self.bytes(folder.file("memory.wav")) == (try Self.bytes(folder.file("disk.wav"))))
        let read = try converter.read(bytes: try Self.bytes(path), name: "a", as: .speech16kMono)
        #expect(read == (try converter.read(path, as: .speech16kMono)))
    }

    @Test("bad bytes fail with the member's name: unknown format, truncated MP3 header, cut FLAC")
    func badBytes() throws {
        let unknown = #expect(throws: CodecError.self) { _ = try AudioFile.open(bytes: Array("hello".utf8), name: "a.tgz/x.mp3") }
        #expect(unknown?.code == .unrecognisedFormat)
        #expect(unknown?.subject == "a.tgz/x.mp3")
        let flac = try Self.bytes(Fixtures.path("codec/speech-22k-mono.flac"))
        let cut = #expect(throws: CodecError.self) {
            let decoder = try AudioFile.open(bytes: Array(flac.prefix(flac.count / 2)), name: "a.tgz/cut.flac")
            _ = try decoder.readAll()
        }
        #expect(cut?.subject == "a.tgz/cut.flac")
        let empty = #expect(throws: CodecError.self) { _ = try AudioFile.open(bytes: [], name: "a.tgz/empty.mp3") }
        #expect(empty?.code == .unrecognisedFormat)
    }
}
