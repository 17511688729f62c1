import Testing
import Transcription

@Test func errorNamesItsSubject() {
    let error = TranscriptionError(.init("example"), subject: "clip.wav", "it broke")
    #expect(error.description == "clip.wav: it broke")
}
