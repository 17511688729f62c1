import Testing
import SpeechDataset

@Test func errorNamesItsSubject() {
    let error = DatasetError(.init("example"), subject: "clip.wav", "it broke")
    #expect(error.description == "clip.wav: it broke")
}
