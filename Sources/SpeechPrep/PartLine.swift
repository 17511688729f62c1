import Foundation
import SpeechDataset

/// One line of a shard part file, a view of its bytes in the reader's buffer, so a merge can
/// copy its strings to the final files without copying the line or decoding its strings into
/// `String`s and encoding them again.
///
/// ``ShardPart/Writer`` spells every line the same way: `{"audioPath":"…","index":N,
/// "metadata":{…},"record":{…}}` with sorted keys (`metadata` absent in parts written before it
/// was carried). A line in that spelling whose strings hold no escape (almost every line) is
/// scanned in place: such a string's JSON text is exactly what `JSONText` writes for it. Any
/// other line is decoded in full, and ``PipelineOutputs`` writes it the usual way — the outputs
/// are the same bytes either way.
struct PartLine {
    /// The line, without its newline: valid until its reader moves to the next line.
    private(set) var bytes = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    /// The input position.
    private(set) var index = 0
    /// Where the fields' texts are in ``bytes`` (strings without their quotes), when scanned.
    private(set) var fields: Fields?
    /// The record, when the line had to be decoded in full.
    private(set) var decoded: IndexedRecord?

    struct Fields {
        var audioPath: Range<Int>
        /// The input position's digits.
        var index: Range<Int>
        var id: Range<Int>
        var truth: Range<Int>?
        var asr: Range<Int>?
        var error: Range<Int>?
        var duration: Range<Int>?
        /// The metadata object's members, `"key":"value",…` without the braces: string values,
        /// keys in strictly increasing byte order (the order `metadata.jsonl` writes) and no
        /// `id` key, so the text only needs spaces to become that file's members.
        var metadata: Range<Int>?
    }

    /// Scans a line in the part writer's exact spelling, on any thread.
    /// - Parameter line: The line's bytes.
    /// - Returns: Its input position and fields, or `nil` for a line that must be decoded in full.
    static func scan(_ line: UnsafeBufferPointer<UInt8>) -> (index: Int, fields: Fields)? {
        var scanner = PartLineScanner(bytes: line)
        return scanner.scan()
    }

    /// Takes a line already scanned (``scan(_:)``).
    mutating func use(_ line: UnsafeBufferPointer<UInt8>, index: Int, fields: Fields) {
        bytes = line
        decoded = nil
        self.index = index
        self.fields = fields
    }

    /// Takes a line that ``scan(_:)`` did not: decoded in full.
    /// - Returns: `false` when the line is not a part record at all.
    /// - Parameters:
    ///   - line: The line's bytes, which must stay valid while this value describes them.
    ///   - path: The part file (for messages).
    ///   - lineNumber: The line's number in it (for messages).
    mutating func decode(_ line: UnsafeBufferPointer<UInt8>, path: String, lineNumber: Int) -> Bool {
        bytes = line
        fields = nil
        decoded = nil
        guard let parsed = try? TranscriptRecord.parsePartLine(line, file: path, line: lineNumber) else { return false }
        decoded = IndexedRecord(
            index: parsed.index, audioPath: parsed.audioPath, record: parsed.record, metadata: parsed.metadata)
        index = parsed.index
        return true
    }

    /// The record's id, as bytes (compared between neighbours to find duplicates).
    /// - Parameter body: Takes the id's bytes.
    /// - Returns: What `body` returns.
    func withIDBytes<T>(_ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        if let fields { return body(field(fields.id)) }
        var id = decoded!.record.id
        return id.withUTF8(body)
    }

    /// The whole record (for the outputs that need one: chunk files).
    func record(path: String) -> IndexedRecord {
        if let decoded { return decoded }
        // A scanned line is valid JSON in the writer's spelling: this cannot fail.
        let parsed = try? TranscriptRecord.parsePartLine(bytes, file: path, line: 0)
        return IndexedRecord(
            index: parsed!.index, audioPath: parsed!.audioPath, record: parsed!.record, metadata: parsed!.metadata)
    }

    /// Whether the record is a success (no `error`): one `results.json` holds.
    var isSuccess: Bool {
        if let fields { fields.error == nil } else { decoded!.record.error == nil }
    }

    /// Appends the utterance of a success (``isSuccess``) as `results.json` holds it (id,
    /// truth, asr) to `batch`.
    func appendUtterance(to batch: inout UtteranceBatch) {
        guard let fields else {
            let record = decoded!.record
            for text in [record.id, record.truth ?? "", record.asr ?? ""] {
                var text = text
                text.withUTF8 { batch.append($0) }
            }
            return
        }
        let empty = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
        batch.append(field(fields.id))
        batch.append(fields.truth.map(field) ?? empty)
        batch.append(fields.asr.map(field) ?? empty)
    }

    /// The bytes of a field's text.
    private func field(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: bytes[range]) }

    /// Appends `"text"` for a field (`""` when absent).
    func appendQuoted(_ range: Range<Int>?, to out: LineBuffer) {
        out.append(0x22)
        if let range { out.append(field(range)) }
        out.append(0x22)
    }

    /// Appends the input position in decimal, as the line spells it.
    func appendIndex(to out: LineBuffer) {
        guard let fields else { return out.append(contentsOf: String(index)) }
        out.append(field(fields.index))
    }

    /// Appends the metadata members as ``PipelineOutputs`` spells them after the id,
    /// `, "key": "value"` each (nothing when there are none).
    func appendMetadata(to out: LineBuffer) {
        guard let range = fields?.metadata, !range.isEmpty, let base = bytes.baseAddress else { return }
        out.append(", ")
        // The scanner took `"key":"value"` members joined by `,`, whose strings hold no quote:
        // after each string's closing quote comes a separator, which gets its space.
        var start = base + range.lowerBound  // an opening quote
        let end = base + range.upperBound
        while true {
            let close = UnsafePointer(memchr(start + 1, 0x22, end - start - 1)!.assumingMemoryBound(to: UInt8.self))
            guard close + 1 < end else { break }
            out.append(UnsafeBufferPointer(start: start, count: close + 2 - start))
            out.append(0x20)
            start = close + 2
        }
        out.append(UnsafeBufferPointer(start: start, count: end - start))
    }

    /// Appends the duration as `%.3f` prints it.
    func appendDuration(to out: LineBuffer) {
        guard let range = fields?.duration else { return out.append("0.000") }
        let text = field(range)
        let isDigit = { (byte: UInt8) in (0x30...0x39).contains(byte) }
        let point = text.firstIndex(of: 0x2E)
        let integer = UnsafeBufferPointer(rebasing: text[..<(point ?? text.endIndex)])
        let decimals = point.map { UnsafeBufferPointer(rebasing: text[($0 + 1)...]) } ?? UnsafeBufferPointer(start: nil, count: 0)
        // Up to 3 decimals: the digits themselves, padded (the nearest double prints back to them).
        if !integer.isEmpty, integer.allSatisfy(isDigit), decimals.allSatisfy(isDigit), decimals.count <= 3,
            point == nil || !decimals.isEmpty {
            out.append(integer)
            out.append(0x2E)
            out.append(decimals)
            for _ in decimals.count..<3 { out.append(0x30) }
            return
        }
        out.append(contentsOf: PipelineOutputs.number(Double(String(decoding: text, as: UTF8.self)) ?? 0))
    }
}

/// Scans a line in the part writer's exact spelling; `nil` for anything else.
private struct PartLineScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var i = 0

    mutating func scan() -> (Int, PartLine.Fields)? {
        guard literal("{\"audioPath\":"), let audioPath = string(), literal(",\"index\":"), let indexRange = number(),
            let index = decimal(indexRange)
        else { return nil }
        var metadata: Range<Int>?
        if literal(",\"metadata\":{") {
            guard let members = metadataMembers() else { return nil }
            metadata = members
        }
        guard literal(",\"record\":{") else { return nil }
        var id: Range<Int>?, truth: Range<Int>?, asr: Range<Int>?, error: Range<Int>?, duration: Range<Int>?
        var first = true
        while i < bytes.count, bytes[i] != 0x7D {
            if !first { guard literal(",") else { return nil } }
            first = false
            if literal("\"id\":") { id = string() } else if literal("\"truth\":") { truth = string() }
            else if literal("\"asr\":") { asr = string() } else if literal("\"error\":") { error = string() }
            else if literal("\"engine\":") { guard string() != nil else { return nil } }
            else if literal("\"duration\":") { duration = number() } else { return nil }
        }
        guard literal("}}"), i == bytes.count, let id else { return nil }
        return (
            index,
            PartLine.Fields(
                audioPath: audioPath, index: indexRange, id: id, truth: truth, asr: asr, error: error, duration: duration, metadata: metadata)
        )
    }

    /// The members of the metadata object after its `{`, through its `}`: their range, or `nil`
    /// unless every value is a string and the keys increase in byte order without `id` (what
    /// ``PartLine/appendMetadata(to:)`` needs to copy them as they are).
    private mutating func metadataMembers() -> Range<Int>? {
        let start = i
        var previousKey: Range<Int>?
        while i < bytes.count, bytes[i] != 0x7D {
            if previousKey != nil { guard literal(",") else { return nil } }
            guard let key = string(), literal(":"), string() != nil else { return nil }
            if key.count == 2, bytes[key.lowerBound] == 0x69, bytes[key.lowerBound + 1] == 0x64 { return nil }  // "id"
            if let previousKey, !precedes(previousKey, key) { return nil }
            previousKey = key
        }
        guard literal("}") else { return nil }
        return start..<(i - 1)
    }

    /// The value of plain decimal digits as `String(Int)` spells them (no sign, no leading
    /// zero), or `nil` for any other number (the line is then decoded in full).
    private func decimal(_ range: Range<Int>) -> Int? {
        guard (1...18).contains(range.count), range.count == 1 || bytes[range.lowerBound] != 0x30 else { return nil }
        var value = 0
        for k in range {
            let digit = Int(bytes[k]) &- 0x30
            guard (0...9).contains(digit) else { return nil }
            value = value * 10 + digit
        }
        return value
    }

    /// Whether the bytes of `a` come strictly before those of `b` (memcmp order).
    private func precedes(_ a: Range<Int>, _ b: Range<Int>) -> Bool {
        let base = bytes.baseAddress!
        let order = memcmp(base + a.lowerBound, base + b.lowerBound, min(a.count, b.count))
        return order < 0 || (order == 0 && a.count < b.count)
    }

    private mutating func literal(_ text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard i + count <= bytes.count else { return false }
        for k in 0..<count where bytes[i + k] != text.utf8Start[k] { return false }
        i += count
        return true
    }

    /// A string without escapes or control characters, valid UTF-8: its content's range.
    private mutating func string() -> Range<Int>? {
        guard i < bytes.count, bytes[i] == 0x22 else { return nil }
        let start = i + 1
        var k = start
        // Eight bytes at a time while none is a quote, a backslash or a control byte (the
        // byte loop below takes the word that holds one, and the rest).
        var seen: UInt64 = 0
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        /// Whether some byte of `word` is below `n` (n ≤ 128), exactly.
        func anyBelow(_ word: UInt64, _ n: UInt64) -> Bool { (word &- ones &* n) & ~word & highs != 0 }
        if let base = bytes.baseAddress {
            while k + 8 <= bytes.count {
                let word = UnsafeRawPointer(base + k).loadUnaligned(as: UInt64.self)
                if anyBelow(word, 0x20) || anyBelow(word ^ (ones &* 0x22), 1) || anyBelow(word ^ (ones &* 0x5C), 1) { break }
                seen |= word
                k += 8
            }
        }
        var ascii = seen & highs == 0
        while k < bytes.count, bytes[k] != 0x22 {
            let byte = bytes[k]
            if byte == 0x5C || byte < 0x20 { return nil }
            if byte >= 0x80 { ascii = false }
            k += 1
        }
        guard k < bytes.count else { return nil }
        if !ascii, String(validating: UnsafeBufferPointer(rebasing: bytes[start..<k]), as: UTF8.self) == nil { return nil }
        i = k + 1
        return start..<k
    }

    /// A JSON number's text.
    private mutating func number() -> Range<Int>? {
        let start = i
        scanning: while i < bytes.count {
            switch bytes[i] {
            case 0x30...0x39, 0x2D, 0x2B, 0x2E, 0x65, 0x45: i += 1  // 0-9 - + . e E
            default: break scanning
            }
        }
        guard i > start else { return nil }
        // Plain digits with at most one point (what the writer spells) need no further check.
        var points = 0
        for k in start..<i where bytes[k] > 0x39 || bytes[k] < 0x30 {
            guard bytes[k] == 0x2E else { return Double(String(decoding: bytes[start..<i], as: UTF8.self)) != nil ? start..<i : nil }
            points += 1
        }
        return points <= 1 && bytes[start] != 0x2E && bytes[i - 1] != 0x2E ? start..<i : nil
    }
}
