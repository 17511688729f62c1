import Testing
import Scoring

@Test func errorNamesItsSubject() {
    let error = ScoringError(.init("example"), subject: "clip.wav", "it broke")
    #expect(error.description == "clip.wav: it broke")
}
