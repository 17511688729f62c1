import AudioCodec
import PCM
import Testing
import TestSupport

/// The committed espeak-ng fixtures made by Scripts/make-codec-fixtures.sh.
@Suite("Committed speech fixtures, including misnamed files")
struct SpeechFixtureTests {
    static func path(_ name: String) -> String { Fixtures.path("codec/\(name)") }

    @Test("An MP3 named .wav decodes as MP3, to mpg123's samples")
    func mp3NamedWAV() throws {
        let decoder = try AudioFile.open(Self.path("mp3-named.wav"))
        #expect(decoder is MPG123Decoder)
        #expect(decoder.format == (try AudioFormat(sampleRate: 48_000, channelCount: 1)))
        expectWithinOneLSB(try decoder.readAll().samples, try Reference.mpg123(Self.path("mp3-named.wav")))
        #expect(try AudioFile.read(Self.path("mp3-named.wav")) == (try AudioFile.read(Self.path("speech-48k-mono.mp3"))))
    }

    @Test("A WAV named .mp3 decodes as WAV, to sox's samples")
    func wavNamedMP3() throws {
        let decoder = try AudioFile.open(Self.path("wav-named.mp3"))
        #expect(decoder is SndFileDecoder)
        #expect(decoder.info.container == "WAV")
        #expect(try decoder.readAll().samples == (try Reference.sox(Self.path("wav-named.mp3"))))
    }

    @Test("Speech survives 48 kHz MP3 → 16 kHz: same length as the 16 kHz WAV of the same speech")
    func speechConversion() throws {
        let converted = try AudioFile.read(Self.path("speech-48k-mono.mp3"), as: .speech16kMono)
        let reference = try AudioFile.read(Self.path("wav-named.mp3"))
        // lame's gapless data makes the decoded MP3 as long as its source, so the conversion
        // lands on the same number of 16 kHz frames.
        #expect(converted.frameCount == reference.frameCount)
        let flac = try AudioFile.info(Self.path("speech-22k-mono.flac"))
        #expect(flac.container == "FLAC" && flac.sampleRate == 22_050 && flac.bitDepth == 16)
    }
}
