import AudioCodec
import Foundation
import PCM
import Testing
import TestSupport

@Suite("Decoding matches sox and mpg123")
struct DecodeTests {
    @Test("PCM and lossless files decode to sox's samples", arguments: Recipes.lossless)
    func losslessEqualsSox(fixture: Fixture) throws {
        let decoded = try AudioFile.read(fixture.path)
        let reference = try Reference.sox(fixture.path)
        #expect(decoded.format.sampleRate == Double(fixture.sampleRate))
        #expect(decoded.format.channelCount == fixture.channels)
        #expect(decoded.samples.count == reference.count)
        // Integer files must match exactly. sox carries float files through 32-bit integers,
        // so for those it is only exact to 2^-31.
        let tolerance: Float = fixture.name.hasPrefix("f32") ? 0x1p-30 : 0
        let worst = zip(decoded.samples, reference).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= tolerance, "largest difference \(worst)")
    }

    @Test("Ogg Vorbis decodes like sox within float rounding")
    func vorbisNearSox() throws {
        let path = Recipes.vorbis.path
        let decoded = try AudioFile.read(path)
        let reference = try Reference.sox(path)
        #expect(decoded.samples.count == reference.count)
        let worst = zip(decoded.samples, reference).map { abs($0 - $1) }.max() ?? 1
        #expect(worst < 1e-4, "largest difference \(worst)")
    }

    @Test("Ogg Opus decodes through libsndfile to ffmpeg's length and level")
    func opus() throws {
        let path = Recipes.opus.path
        let decoder = try AudioFile.open(path)
        #expect(decoder is SndFileDecoder)
        #expect(decoder.info.container == "OGG" && decoder.info.codec == "OPUS")
        #expect(decoder.format == (try AudioFormat(sampleRate: 48_000, channelCount: 2)))
        let ours = try decoder.readAll()
        let reference = try Reference.ffmpeg(path)
        // Both strip Opus's pre-skip; two decoders of a lossy stream agree on length and level.
        #expect(ours.samples.count == reference.count)
        let level = { (s: [Float]) in (s.map { Double($0) * Double($0) }.reduce(0, +) / Double(max(1, s.count))).squareRoot() }
        #expect(abs(20 * log10(level(ours.samples) / level(reference))) < 0.1)
    }

    @Test("MPEG audio decodes within 1 LSB of mpg123 -s, with mpg123's length", arguments: Recipes.mpeg)
    func mpegEqualsMpg123(fixture: Fixture) throws {
        let decoder = try AudioFile.open(fixture.path)
        let decoded = try decoder.readAll()
        let reference = try Reference.mpg123(fixture.path)
        #expect(decoder.format.sampleRate == Double(fixture.sampleRate))
        #expect(decoder.format.channelCount == fixture.channels)
        #expect(decoded.samples.count == reference.count)
        #expect(decoder.frameCount == reference.count / fixture.channels, "frameCount must be exact before decoding")
        expectWithinOneLSB(decoded.samples, reference)
    }

    @Test("Mixing to mono inside libmpg123 matches mpg123 -m")
    func monoMixMatchesMpg123() throws {
        let path = Recipes.mpeg[0].path
        let decoder = try MPG123Decoder(path: path, mixToMono: true)
        #expect(decoder.format.channelCount == 1)
        #expect(decoder.sourceChannelCount == 2)
        expectWithinOneLSB(try decoder.readAll().samples, try Reference.mpg123(path, mono: true))
    }

    @Test("Seeking then reading gives the same frames as reading through", arguments: [
        Recipes.lossless[1], Recipes.lossless[8], Recipes.mpeg[0], Recipes.mpeg[1],
    ])
    func seekMatchesLinearRead(fixture: Fixture) throws {
        let whole = try AudioFile.read(fixture.path)
        let decoder = try AudioFile.open(fixture.path)
        let target = whole.frameCount / 3
        try decoder.seek(toFrame: target)
        var rest = PCMBuffer(format: decoder.format)
        while try decoder.read(into: &rest, maxFrames: 1000) > 0 {}
        #expect(rest.frameCount == whole.frameCount - target)
        let expected = whole.frames(target..<whole.frameCount).samples
        let worst = zip(rest.samples, expected).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= 1e-6)
        #expect(throws: CodecError.self) { try decoder.seek(toFrame: whole.frameCount + 1) }
    }

    @Test("Reads append in chunks no larger than asked, and end with 0")
    func chunkedReads() throws {
        let decoder = try AudioFile.open(Recipes.lossless[0].path)
        var buffer = PCMBuffer(format: decoder.format)
        var reads: [Int] = []
        while true {
            let n = try decoder.read(into: &buffer, maxFrames: 1234)
            reads.append(n)
            if n == 0 { break }
        }
        #expect(reads.dropLast().allSatisfy { $0 > 0 && $0 <= 1234 })
        #expect(buffer.frameCount == decoder.frameCount)
        decoder.close()
        #expect(throws: CodecError.self) { try decoder.read(into: &buffer, maxFrames: 10) }
    }

    @Test("A buffer of the wrong format is refused")
    func wrongBufferFormat() throws {
        let decoder = try AudioFile.open(Recipes.lossless[0].path)
        var buffer = PCMBuffer(format: try AudioFormat(sampleRate: 12_345, channelCount: 2))
        let error = #expect(throws: CodecError.self) { try decoder.read(into: &buffer, maxFrames: 10) }
        #expect(error?.code == .invalidArgument)
    }
}

/// Checks float samples against 16-bit integers to within one step of 16-bit.
func expectWithinOneLSB(_ samples: [Float], _ reference: [Int16], sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(samples.count == reference.count, sourceLocation: sourceLocation)
    var worst: Float = 0
    for (sample, integer) in zip(samples, reference) {
        worst = max(worst, abs(min(max(sample * 32_768, -32_768), 32_767) - Float(integer)))
    }
    #expect(worst <= 1, "largest difference \(worst) LSB", sourceLocation: sourceLocation)
}
