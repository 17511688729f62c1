import Testing
import SpeechDataset
import TestSupport

@Suite struct BadInputTests {
    func expectError(_ code: DatasetError.Code, line: Int?, field: String? = nil, _ body: () throws -> Void) {
        #expect {
            try body()
        } throws: { error in
            guard let error = error as? DatasetError else { return false }
            return error.code == code && error.line == line && (field == nil || error.field == field)
                && error.description.contains(error.subject ?? "\u{0}")
        }
    }

    @Test func malformedJSONNamesTheLine() throws {
        let dir = try TemporaryDirectory()
        try writeText("{\"0\": {\"wav_path\": \"a.wav\",\n  \"sentence\": \"x\"\n,}", to: dir.file("m.json"))
        expectError(.malformedJSON, line: 3) { _ = try LegacyManifestReader(path: dir.file("m.json")) }
    }

    @Test func badJSONLLineStrictAndLenient() throws {
        let dir = try TemporaryDirectory()
        try writeText(
            """
            {"audio_filepath": "a.wav", "duration": 1.0}
            {"audio_filepath": "b.wav", "duration": 1.0
            {"duration": 2.0}
            {"audio_filepath": "c.wav", "duration": "abc"}
            {"audio_filepath": "a.wav", "duration": 1.0}
            {"audio_filepath": "d.wav"}

            """, to: dir.file("m.jsonl"))
        var strict = try NeMoManifestReader(path: dir.file("m.jsonl"))
        _ = try strict.next()
        expectError(.malformedJSON, line: 2) { _ = try strict.next() }

        var lenient = try NeMoManifestReader(path: dir.file("m.jsonl"), options: ReadOptions(mode: .lenient))
        #expect(try lenient.readAll().map(\.id) == ["a", "d"])
        #expect(lenient.issues.map(\.code) == [.malformedJSON, .missingField, .invalidValue, .duplicateID])
        #expect(lenient.issues.map(\.line) == [2, 3, 4, 5])
        #expect(lenient.issues.map(\.field) == [nil, "audio_filepath", "duration", "id"])
    }

    @Test func duplicateIDsAllowedWhenDetectionIsOff() throws {
        let dir = try TemporaryDirectory()
        try writeText("{\"audio_filepath\": \"a.wav\"}\n{\"audio_filepath\": \"a.wav\"}\n", to: dir.file("m.jsonl"))
        var reader = try NeMoManifestReader(path: dir.file("m.jsonl"), options: ReadOptions(detectDuplicateIDs: false))
        #expect(try reader.readAll().count == 2)
    }

    @Test func invalidUTF8InJSONL() throws {
        let dir = try TemporaryDirectory()
        let bytes = Array("{\"audio_filepath\": \"a.wav\", \"text\": \"ok\"}\n{\"audio_filepath\": \"b.wav\", \"text\": \"".utf8) + [0xC3, 0x28] + Array("\"}\n".utf8)
        try writeBytes(bytes, to: dir.file("m.jsonl"))
        var reader = try NeMoManifestReader(path: dir.file("m.jsonl"))
        _ = try reader.next()
        expectError(.invalidUTF8, line: 2) { _ = try reader.next() }
    }

    @Test func tsvRowWithWrongColumnCountAndInvalidUTF8() throws {
        let dir = try TemporaryDirectory()
        let header = "client_id\tpath\tsentence\tlocale\n"
        let bytes = Array((header + "c1\ta.mp3\tgood\ten\nc2\tb.mp3\tmissing a column\nc3\tc.mp3\t").utf8) + [0xFF, 0xFE] + Array("\ten\nc4\td.mp3\talso good\ten\n".utf8)
        try writeBytes(bytes, to: dir.file("train.tsv"))
        var strict = try CommonVoiceReader(path: dir.file("train.tsv"))
        _ = try strict.next()
        expectError(.wrongColumnCount, line: 3, field: "locale") { _ = try strict.next() }

        var lenient = try CommonVoiceReader(path: dir.file("train.tsv"), options: ReadOptions(mode: .lenient))
        #expect(try lenient.readAll().map(\.id) == ["a", "d"])
        #expect(lenient.issues.map(\.code) == [.wrongColumnCount, .invalidUTF8])
        #expect(lenient.issues.map(\.field) == ["locale", "sentence"])
        #expect(lenient.issues.map(\.line) == [3, 4])
    }

    @Test func tsvWithoutRequiredColumn() throws {
        let dir = try TemporaryDirectory()
        try writeText("client_id\tfile\tsentence\n", to: dir.file("dev.tsv"))
        expectError(.missingField, line: 1, field: "path") { _ = try CommonVoiceReader(path: dir.file("dev.tsv")) }
    }

    @Test func legacyRecordMissingKeyAndDuplicate() throws {
        let dir = try TemporaryDirectory()
        try writeText(#"{"0": {"sentence": "no path"}, "1": {"wav_path": "a.wav"}, "2": {"wav_path": "a.wav"}, "3": "text"}"#, to: dir.file("m.json"))
        expectError(.missingField, line: nil, field: "wav_path") { _ = try LegacyManifestReader(path: dir.file("m.json")) }
        let lenient = try LegacyManifestReader(path: dir.file("m.json"), options: ReadOptions(mode: .lenient))
        #expect(lenient.issues.map(\.code) == [.missingField, .duplicateID, .malformedJSON])
    }

    @Test func unknownFormatIsReported() throws {
        let dir = try TemporaryDirectory()
        try writeText("just some text\n", to: dir.file("notes.txt"))
        expectError(.unknownFormat, line: nil) { _ = try Manifest.open(path: dir.file("notes.txt")) }
    }
}
