import Testing
import SpeechPrep

@Test func umbrellaReexportsTheLibraries() throws {
    #expect(AudioFormat.speech16kMono.sampleRate == 16_000)
}
