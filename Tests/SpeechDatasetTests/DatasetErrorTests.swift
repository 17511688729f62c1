import Testing
import SpeechDataset

@Test func errorNamesItsSubject() {
    let error = DatasetError(.init("example"), subject: "clip.wav", "it broke")
    #expect(error.description == "clip.wav: it broke")
}

@Test func errorNamesFileLineAndField() {
    let error = DatasetError(.invalidValue, subject: "train.jsonl", line: 12, field: "duration", "expected a number")
    #expect(error.description == "train.jsonl:12: field \"duration\": expected a number")
}
