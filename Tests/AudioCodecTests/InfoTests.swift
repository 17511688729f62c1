import AudioCodec
import Foundation
import Testing
import TestSupport

@Suite("AudioInfo agrees with soxi")
struct InfoTests {
    @Test("Rate, channels, length and bit depth equal soxi's", arguments: Recipes.lossless + [Recipes.vorbis])
    func matchesSoxi(fixture: Fixture) throws {
        let info = try AudioFile.info(fixture.path)
        #expect(info.sampleRate == Double(try Reference.soxi("-r", fixture.path)))
        #expect(info.channelCount == Int(try Reference.soxi("-c", fixture.path)))
        #expect(info.frameCount == Int(try Reference.soxi("-s", fixture.path)))
        #expect((info.bitDepth ?? 0) == Int(try Reference.soxi("-b", fixture.path)))
        #expect(info.fileSize == (try FileManager.default.attributesOfItem(atPath: fixture.path)[.size] as? Int))
        let seconds = try #require(info.durationSeconds)
        #expect(abs(seconds - Double(try Reference.soxi("-D", fixture.path))!) < 1e-3)
    }

    @Test("MP3 rate and channels equal soxi's; the length is mpg123's", arguments: Recipes.mpeg.filter { $0.name.hasSuffix(".mp3") })
    func mp3MatchesSoxi(fixture: Fixture) throws {
        let info = try AudioFile.info(fixture.path)
        #expect(info.container == "MP3")
        #expect(info.codec.hasSuffix("Layer III"))
        #expect(info.bitDepth == nil)
        #expect(info.sampleRate == Double(try Reference.soxi("-r", fixture.path)))
        #expect(info.channelCount == Int(try Reference.soxi("-c", fixture.path)))
        #expect(info.frameCount == (try Reference.mpg123(fixture.path)).count / fixture.channels)
    }

    @Test("Containers and codecs are named", arguments: [
        (Recipes.lossless[0], "WAV", "PCM_16"), (Recipes.lossless[4], "WAV", "FLOAT"),
        (Recipes.lossless[8], "FLAC", "PCM_24"), (Recipes.lossless[12], "RF64", "PCM_16"),
        (Recipes.lossless[11], "W64", "PCM_16"), (Recipes.lossless[9], "AIFF", "PCM_16"),
        (Recipes.mpeg[10], "MP3", "MPEG-1 Layer II"), (Recipes.mpeg[3], "MP3", "MPEG-2 Layer III"),
        (Recipes.mpeg[8], "MP3", "MPEG-2.5 Layer III"), (Recipes.vorbis, "OGG", "VORBIS"),
        (Recipes.lossless[13], "NIST", "PCM_16"),
    ])
    func names(fixture: Fixture, container: String, codec: String) throws {
        let info = try AudioFile.info(fixture.path)
        #expect(info.container == container)
        #expect(info.codec == codec)
    }
}
