import Foundation
import PCM
import Testing
import Transcription

@Suite("PocketSphinx on Debian's test recordings", .enabled(if: SphinxTestData.isInstalled))
struct PocketSphinxTestDataTests {
    @Test func goForward() throws {
        let engine = try PocketSphinxTranscriber()
        let transcript = try engine.transcribe(SphinxTestData.raw("goforward.raw"))
        print(transcript)
        #expect(transcript.text == "go forward ten meters")
    }

    @Test func numbers() throws {
        let engine = try PocketSphinxTranscriber()
        let transcript = try engine.transcribe(SphinxTestData.raw("numbers.raw"))
        print(transcript.text)
    }

    @Test func librivox() throws {
        let engine = try PocketSphinxTranscriber()
        for (path, reference) in try SphinxTestData.librivox() {
            var data = try Data(contentsOf: URL(fileURLWithPath: path))
            data.removeFirst(44)
            let transcript = try engine.transcribe(SphinxTestData.int16Buffer(data))
            print(localWER(reference: reference, hypothesis: transcript.text), transcript.text)
        }
    }
}
