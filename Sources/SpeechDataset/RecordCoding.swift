// Reading fields out of parsed records with errors that name the file, line and field, and
// the fixed JSON spelling of a TranscriptRecord used by journals and JSONL outputs.

/// Reads typed fields of one JSON object, naming file, line and field in every error.
struct FieldReader {
    let object: JSONObject
    let file: String
    let line: Int?

    func error(_ code: DatasetError.Code, _ field: String?, _ message: String) -> DatasetError {
        DatasetError(code, subject: file, line: line, field: field, message)
    }

    /// A string field; numbers are accepted and kept as their text (ids are often numbers).
    func string(_ key: String) throws(DatasetError) -> String? { try string(object[key], key: key) }

    /// `value` (of member `key`) as a string field.
    func string(_ value: JSONValue?, key: String) throws(DatasetError) -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let s)?: return s
        case .number(let text)?: return text
        case let value?: throw error(.invalidValue, key, "expected a string, found \(value.typeName)")
        }
    }

    /// The first of `keys` that is present.
    func firstString(_ keys: String...) throws(DatasetError) -> String? {
        for key in keys { if let value = try string(key) { return value } }
        return nil
    }

    func requiredString(_ key: String) throws(DatasetError) -> String {
        guard let value = try string(key) else { throw error(.missingField, key, "required field is missing") }
        return value
    }

    /// A number field; numeric strings are accepted (some tools quote durations).
    func double(_ key: String) throws(DatasetError) -> Double? { try double(object[key], key: key) }

    /// `value` (of member `key`) as a number field.
    func double(_ value: JSONValue?, key: String) throws(DatasetError) -> Double? {
        switch value {
        case nil, .null?: return nil
        case let value?:
            guard let number = value.double, number.isFinite else {
                throw error(.invalidValue, key, "expected a number, found \(value.typeName) \(value.extraText.prefix(40))")
            }
            return number
        }
    }

    /// Every member not in `known`, as text.
    func extras(excluding known: Set<String>) -> [String: String] {
        var extra: [String: String] = [:]
        for member in object.members where !known.contains(member.key) { extra[member.key] = member.value.extraText }
        return extra
    }
}

extension JSONSyntaxError {
    /// The error as a `DatasetError` for `file`; `line` is the line of a JSONL record, or `nil`
    /// to compute it from the byte offset within the whole document `bytes`.
    func datasetError(file: String, line: Int?, bytes: UnsafeBufferPointer<UInt8>? = nil) -> DatasetError {
        var lineNumber = line
        var column = offset + 1
        if lineNumber == nil, let bytes {
            var count = 1
            var lineStart = 0
            for k in 0..<min(offset, bytes.count) where bytes[k] == 0x0A {
                count += 1
                lineStart = k + 1
            }
            lineNumber = count
            column = offset - lineStart + 1
        }
        let code: DatasetError.Code = message.contains("UTF-8") ? .invalidUTF8 : .malformedJSON
        return DatasetError(code, subject: file, line: lineNumber, "invalid JSON at column \(column): \(message)")
    }
}

/// Parses one JSON object from bytes, turning syntax errors into `DatasetError`.
func parseObject(_ bytes: UnsafeBufferPointer<UInt8>, file: String, line: Int?) throws(DatasetError) -> JSONObject {
    let value: JSONValue
    do { value = try JSONParser.parse(bytes) } catch { throw error.datasetError(file: file, line: line, bytes: bytes) }
    guard case .object(let object) = value else {
        throw DatasetError(.malformedJSON, subject: file, line: line, "expected a JSON object, found \(value.typeName)")
    }
    return object
}

extension TranscriptRecord {
    /// How ``jsonLine`` begins for a record of `id`: `{"id": "…"`, followed by `,` or `}`.
    static func jsonLinePrefix(id: String) -> String {
        var out = "{"
        var first = true
        JSONText.appendMember("id", id, to: &out, first: &first)
        return out
    }

    /// The record as one JSON object in fixed key order (id, truth, asr, duration, engine,
    /// error), absent fields left out — the spelling of journals and JSONL results.
    var jsonLine: String {
        var out = Self.jsonLinePrefix(id: id)
        var first = false
        JSONText.appendMember("truth", truth, to: &out, first: &first)
        JSONText.appendMember("asr", asr, to: &out, first: &first)
        JSONText.appendMember("duration", duration, to: &out, first: &first)
        JSONText.appendMember("engine", engine, to: &out, first: &first)
        JSONText.appendMember("error", error, to: &out, first: &first)
        out.append("}")
        return out
    }

    init(object: JSONObject, file: String, line: Int?) throws(DatasetError) {
        let fields = FieldReader(object: object, file: file, line: line)
        self.init(
            id: try fields.requiredString("id"), truth: try fields.string("truth"), asr: try fields.string("asr"),
            duration: try fields.double("duration"), engine: try fields.string("engine"), error: try fields.string("error"))
    }
}

extension TranscriptRecord {
    /// Parses one line of a shard part file — `{"audioPath": …, "index": …, "record": {…}}` —
    /// with this module's byte-level JSON reader (Foundation's `JSONDecoder` is several times
    /// slower, and a merge reads every line of every part).
    /// - Parameters:
    ///   - bytes: The line, without its newline.
    ///   - file: The part file, for errors.
    ///   - line: The line number, for errors.
    /// - Returns: The record's input position, audio path and record.
    /// - Throws: ``DatasetError`` when the line is not such an object.
    package static func parsePartLine(
        _ bytes: UnsafeBufferPointer<UInt8>, file: String, line: Int
    ) throws(DatasetError) -> (index: Int, audioPath: String, record: TranscriptRecord, metadata: [String: String]?) {
        let object = try parseObject(bytes, file: file, line: line)
        guard case .number(let indexText)? = object["index"], let index = Int(indexText),
            let audioPath = object["audioPath"]?.string, case .object(let record)? = object["record"]
        else {
            throw DatasetError(.malformedJSON, subject: file, line: line, "expected index, audioPath and record")
        }
        // The item's metadata columns (`metadata.jsonl`), absent in parts written before it was carried.
        var metadata: [String: String]?
        if case .object(let columns)? = object["metadata"] {
            var values: [String: String] = [:]
            for member in columns.members {
                guard let value = member.value.string else {
                    throw DatasetError(.malformedJSON, subject: file, line: line, "metadata '\(member.key)' is not a string")
                }
                values[member.key] = value
            }
            metadata = values
        }
        return (index, audioPath, try TranscriptRecord(object: record, file: file, line: line), metadata)
    }
}
