import Testing
import AudioCodec

@Test func errorNamesItsSubject() {
    let error = CodecError(.init("example"), subject: "clip.wav", "it broke")
    #expect(error.description == "clip.wav: it broke")
}
