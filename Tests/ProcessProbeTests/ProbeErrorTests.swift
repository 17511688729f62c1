import Testing
import ProcessProbe

@Test func errorNamesItsSubject() {
    let error = ProbeError(.init("example"), subject: "clip.wav", "it broke")
    #expect(error.description == "clip.wav: it broke")
}
