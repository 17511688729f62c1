import AudioCodec
import Foundation
import PCM
import SystemPackage
import Testing
import TestSupport

/// What a damaged file must produce.
enum Outcome: Sendable {
    /// Opening or reading throws this code.
    case error(CodecError.Code)
    /// The whole file decodes to this many frames.
    case decodes(frames: Int)
    /// Decoding yields some frames, then throws this code (the data breaks off).
    case partialThen(CodecError.Code)
}

/// The corpus made by Scripts/make-bad-audio-corpus.sh, once per test run.
let badCorpus: TemporaryDirectory = {
    let folder = try! TemporaryDirectory(prefix: "bad-audio")
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let script = root.appendingPathComponent("Scripts/make-bad-audio-corpus.sh").path
    let result = try! ExternalTool.run(["bash", script, folder.path])
    precondition(result.status == 0, String(decoding: result.stderr, as: UTF8.self))
    return folder
}()

@Suite("Bad input gives the right CodecError, never a crash or hang", .timeLimit(.minutes(1)))
struct BadInputTests {
    /// Every file the script makes, with its expected outcome. `good.wav` is 1 s of 16 kHz
    /// mono 16-bit; `good.mp3` is 1 s that lame stores as 24 kHz stereo.
    static let expected: [String: Outcome] = [
        "zero-byte.wav": .error(.unrecognisedFormat),
        "zero-byte.mp3": .error(.unrecognisedFormat),
        "zero-byte.flac": .error(.unrecognisedFormat),
        "header-only.wav": .decodes(frames: 0),
        "header-only.flac": .error(.truncated),
        "truncated-10pc.wav": .decodes(frames: 1_600),
        "truncated-half.wav": .decodes(frames: 8_000),
        "truncated-mid-sample.wav": .decodes(frames: 500),
        // What `mpg123 -s` outputs: the Info header's encoder delay is still removed.
        "truncated-1k.mp3": .decodes(frames: 1_199),
        "truncated-half.mp3": .decodes(frames: 10_991),
        // Starts with an MPEG frame header but ends inside that first frame.
        "cut-in-first-frame.mp3": .error(.truncated),
        "truncated-half.flac": .partialThen(.truncated),
        "truncated-half.ogg": .error(.corrupt),
        "random.wav": .error(.unrecognisedFormat),
        "random.mp3": .error(.unrecognisedFormat),
        "random.flac": .error(.unrecognisedFormat),
        "random.ogg": .error(.unrecognisedFormat),
        "riff-then-random.wav": .error(.corrupt),
        "mpeg-sync-then-random.mp3": .error(.unrecognisedFormat),
        "claims-more-data.wav": .decodes(frames: 16_000),
        "channels-1000.wav": .error(.corrupt),
        "channels-100.wav": .error(.corrupt),
        "channels-0.wav": .error(.corrupt),
        "rate-0.wav": .error(.corrupt),
        "rate-4000000000.wav": .error(.corrupt),
        // 7 bits per sample is stored in 8-bit containers, which libsndfile reads as such.
        "bits-7.wav": .decodes(frames: 32_000),
        "format-tag-0x1234.wav": .error(.corrupt),
        "fmt-chunk-huge.wav": .error(.corrupt),
        "id3-huge.mp3": .error(.unrecognisedFormat),
        "id3-broken-size.mp3": .decodes(frames: 24_000),
        "id3-only.mp3": .error(.unrecognisedFormat),
        "junk-in-middle.mp3": .partialThen(.corrupt),
        "damaged-middle.flac": .partialThen(.truncated),
        // Decodes what is there, then says the rest is missing; nothing is allocated up front
        // for the promised 2^35 frames.
        "claims-2^35-frames.flac": .partialThen(.truncated),
        "text.mp3": .error(.unrecognisedFormat),
        "html.wav": .error(.unrecognisedFormat),
        "mp3-named.wav": .decodes(frames: 24_000),
        "wav-named.mp3": .decodes(frames: 16_000),
        "directory.wav": .error(.isDirectory),
        // chmod 000; root reads it anyway, so the outcome depends on who runs the tests.
        "unreadable.mp3": getuid() == 0 ? .decodes(frames: 24_000) : .error(.permissionDenied),
    ]

    @Test("The script makes at least 25 files, all of them listed here")
    func corpusIsComplete() throws {
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: badCorpus.path))
        #expect(names.count >= 25)
        #expect(names == Set(Self.expected.keys))
    }

    @Test("An MP3 cut inside its first frame says so, instead of 'not a recognised audio file'")
    func cutInFirstFrame() throws {
        let error = #expect(throws: CodecError.self) { try AudioFile.info(badCorpus.file("cut-in-first-frame.mp3")) }
        #expect(error?.message.hasPrefix("truncated MP3") == true, "\(String(describing: error))")
    }

    @Test("Each file gives its expected outcome", arguments: expected.keys.sorted())
    func outcome(name: String) throws {
        let path = badCorpus.file(name)
        var frames = 0
        var failure: CodecError?
        do {
            let decoder = try AudioFile.open(path)
            var chunk = PCMBuffer(format: decoder.format)
            while try decoder.read(into: &chunk, maxFrames: 4_096) > 0 {
                frames += chunk.frameCount
                chunk.removeAll()
            }
        } catch {
            failure = error
        }
        if let failure {
            #expect(failure.subject == path, "errors name the file")
            #expect(!failure.message.isEmpty)
        }
        switch Self.expected[name]! {
        case .error(let code):
            #expect(failure?.code == code, "\(failure.map(String.init(describing:)) ?? "no error")")
            #expect(frames == 0)
        case .decodes(let expectedFrames):
            #expect(failure == nil, "\(failure.map(String.init(describing:)) ?? "")")
            #expect(frames == expectedFrames)
        case .partialThen(let code):
            #expect(failure?.code == code, "\(failure.map(String.init(describing:)) ?? "no error")")
            #expect(frames > 0)
        }
    }

    @Test("Failed and finished opens leave no file descriptor behind")
    func noDescriptorLeaks() throws {
        // Copies in a folder of this test's own, so descriptors other tests hold do not count.
        let folder = try TemporaryDirectory(prefix: "fd-leak")
        for name in Self.expected.keys where name != "directory.wav" && name != "unreadable.mp3" {
            try FileManager.default.copyItem(atPath: badCorpus.file(name), toPath: folder.file(name))
        }
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            for _ in 0..<3 {
                if let decoder = try? AudioFile.open(folder.file(name)) {
                    var chunk = PCMBuffer(format: decoder.format)
                    _ = try? decoder.read(into: &chunk, maxFrames: 100)
                }
            }
        }
        let open = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").compactMap {
            try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\($0)")
        }
        #expect(!open.contains { $0.hasPrefix(folder.path) }, "\(open.filter { $0.hasPrefix(folder.path) })")
    }

    @Test("A truncated WAV decodes to exactly the frames that are there")
    func partialDecodeIsCorrect() throws {
        let whole = try AudioFile.read(badCorpus.file("wav-named.mp3"))
        let part = try AudioFile.read(badCorpus.file("truncated-half.wav"))
        #expect(part == whole.frames(0..<8_000))
    }

    @Test("Unrecognised files show their first bytes")
    func firstBytesInMessage() throws {
        let error = #expect(throws: CodecError.self) { try AudioFile.open(badCorpus.file("text.mp3")) }
        #expect(error?.message.contains("54 68 69 73") == true)
        #expect(error?.message.contains("This is not") == true)
    }

    @Test("A missing file is notFound")
    func missing() {
        let error = #expect(throws: CodecError.self) { try AudioFile.open(badCorpus.file("no-such-file.wav")) }
        #expect(error?.code == .notFound)
        #expect(error?.errno == Errno.noSuchFileOrDirectory)
        #expect(error?.description == badCorpus.file("no-such-file.wav") + ": no such file")
    }
}

@Suite("Damaged copies of valid files never crash, hang or run away", .timeLimit(.minutes(1)))
struct MutationTests {
    /// A small deterministic generator (SplitMix64), so failures reproduce.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test("Flipped bytes and cut tails in WAV, FLAC, Ogg and MP3", arguments: [
        Recipes.lossless[1], Recipes.lossless[8], Recipes.vorbis, Recipes.mpeg[0], Recipes.mpeg[1],
    ])
    func mutations(fixture: Fixture) throws {
        let original = try Data(contentsOf: URL(fileURLWithPath: fixture.path))
        let expectedFrames = try AudioFile.info(fixture.path).frameCount ?? 0
        let folder = try TemporaryDirectory()
        var random = SplitMix(state: UInt64(original.count))
        for variant in 0..<12 {
            var bytes = [UInt8](original)
            // Damage the header region most often: that is where lengths and counts live.
            for _ in 0..<(1 + variant % 4) {
                let limit = variant % 2 == 0 ? min(bytes.count, 256) : bytes.count
                bytes[Int.random(in: 0..<limit, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
            if variant % 3 == 0 { bytes.removeLast(Int.random(in: 0..<(bytes.count / 2), using: &random)) }
            let path = folder.file("variant-\(variant)-\(fixture.name)")
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            var frames = 0
            do {
                let decoder = try AudioFile.open(path)
                var chunk = PCMBuffer(format: decoder.format)
                while try decoder.read(into: &chunk, maxFrames: 8_192) > 0 {
                    frames += chunk.frameCount
                    chunk.removeAll()
                    // A damaged header must not make a small file decode without end.
                    if frames > 64 * max(expectedFrames, 48_000) { break }
                }
            } catch {
                #expect(error.subject == path)
            }
            #expect(frames <= 64 * max(expectedFrames, 48_000), "variant \(variant) decoded \(frames) frames")
        }
    }
}
