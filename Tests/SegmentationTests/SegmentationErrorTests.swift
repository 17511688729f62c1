import Testing
import Segmentation

@Test func errorNamesItsSubject() {
    let error = SegmentationError(.init("example"), subject: "clip.wav", "it broke")
    #expect(error.description == "clip.wav: it broke")
}
