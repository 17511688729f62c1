// Splitting TSV (Common Voice) and CSV (Hugging Face audiofolder) records into fields.

/// How a delimited file quotes fields.
enum QuoteStyle {
    /// RFC 4180 (CSV): a field starting with `"` is quoted, `""` is a quote, and a quoted field
    /// may span lines; anything after a closing quote other than the separator is an error.
    case strict
    /// Common Voice TSV: releases are written both with and without quoting, and sentences may
    /// begin with a quotation mark, so a field is taken as quoted only when it is a complete
    /// quoted field on its line; otherwise its bytes are taken literally.
    case lenient
}

/// Reads records of separated fields from a ``LineReader``.
struct DelimitedRecords {
    let lines: LineReader
    let separator: UInt8
    let quoting: QuoteStyle

    /// Why a record's fields could not be read, with the 0-based field index.
    enum Failure: Error {
        case invalidUTF8(field: Int)
        case badQuote(field: Int)
    }

    /// The fields of the next non-blank record and its first line number, or `nil` at the end.
    func next() throws(DatasetError) -> (fields: Result<[String], Failure>, line: Int)? {
        while let line = try lines.next() {
            if line.isEmpty { continue }
            let number = lines.lineNumber
            var record = Array(line)
            if number == 1, record.starts(with: [0xEF, 0xBB, 0xBF]) { record.removeFirst(3) }  // UTF-8 BOM
            while quoting == .strict, Self.endsInsideQuotes(record, separator: separator), let more = try lines.next() {
                record.append(0x0A)
                record.append(contentsOf: more)
            }
            return (Result { () throws(Failure) in try split(record) }, number)
        }
        return nil
    }

    static func endsInsideQuotes(_ record: [UInt8], separator: UInt8) -> Bool {
        // In a field that opened with a quote every quote toggles, so `""` leaves us inside.
        var inside = false
        var quotedField = false
        var atFieldStart = true
        for byte in record {
            if byte == UInt8(ascii: "\"") {
                if atFieldStart || quotedField {
                    inside.toggle()
                    quotedField = true
                }
            } else if byte == separator && !inside {
                quotedField = false
                atFieldStart = true
                continue
            }
            atFieldStart = false
        }
        return inside
    }

    func split(_ record: [UInt8]) throws(Failure) -> [String] {
        var fields: [String] = []
        var i = 0
        let n = record.count
        while true {
            let index = fields.count
            var bytes: [UInt8] = []
            var quotedEnd: Int?
            if i < n, record[i] == UInt8(ascii: "\"") {
                var j = i + 1
                while j < n {
                    if record[j] == UInt8(ascii: "\"") {
                        if j + 1 < n, record[j + 1] == UInt8(ascii: "\"") { bytes.append(0x22); j += 2; continue }
                        if j + 1 == n || record[j + 1] == separator { quotedEnd = j + 1 }
                        break
                    }
                    bytes.append(record[j])
                    j += 1
                }
                if quotedEnd == nil && quoting == .strict { throw .badQuote(field: index) }
            }
            if let end = quotedEnd {
                i = end
            } else {
                var j = i
                while j < n && record[j] != separator { j += 1 }
                bytes = Array(record[i..<j])
                i = j
            }
            guard let text = bytes.withUnsafeBufferPointer({ $0.validatedString }) else { throw .invalidUTF8(field: index) }
            fields.append(text)
            if i >= n { return fields }
            i += 1  // the separator; a trailing one means a last empty field
            if i == n { fields.append(""); return fields }
        }
    }
}

/// A delimited file with a header line, yielding each row as a `[column: value]` dictionary and
/// reporting rows with the wrong column count, invalid UTF-8 or bad quoting.
struct HeaderedTable {
    let records: DelimitedRecords
    let header: [String]
    var path: String { records.lines.path }

    init(path: String, separator: UInt8, quoting: QuoteStyle) throws(DatasetError) {
        try self.init(lines: LineReader(path: path), separator: separator, quoting: quoting)
    }

    init(lines: LineReader, separator: UInt8, quoting: QuoteStyle) throws(DatasetError) {
        let path = lines.path
        records = DelimitedRecords(lines: lines, separator: separator, quoting: quoting)
        guard let first = try records.next() else {
            throw DatasetError(.missingField, subject: path, line: 1, "the file is empty; expected a header line")
        }
        switch first.fields {
        case .success(let names): header = names
        case .failure: throw DatasetError(.invalidValue, subject: path, line: 1, field: "header", "the header line is not valid UTF-8 text")
        }
    }

    /// Throws unless every name in `required` is a column.
    func require(_ required: [String]) throws(DatasetError) {
        for name in required where !header.contains(name) {
            throw DatasetError(.missingField, subject: path, line: 1, field: name, "the header has no \"\(name)\" column (columns: \(header.joined(separator: ", ")))")
        }
    }

    /// The next row by column name and its line, or `nil` at the end; errors name the column.
    func next() throws(DatasetError) -> Result<(row: [String: String], line: Int), DatasetError>? {
        guard let record = try records.next() else { return nil }
        let line = record.line
        switch record.fields {
        case .failure(.invalidUTF8(let index)):
            return .failure(DatasetError(.invalidUTF8, subject: path, line: line, field: column(index), "the text is not valid UTF-8"))
        case .failure(.badQuote(let index)):
            return .failure(DatasetError(.invalidValue, subject: path, line: line, field: column(index), "a quoted field is not closed properly"))
        case .success(let fields):
            guard fields.count == header.count else {
                return .failure(DatasetError(
                    .wrongColumnCount, subject: path, line: line, field: fields.count > header.count ? column(header.count) : column(fields.count),
                    "expected \(header.count) columns (\(header.joined(separator: ", "))), found \(fields.count)"))
            }
            var row: [String: String] = [:]
            for (name, value) in zip(header, fields) { row[name] = value }
            return .success((row, line))
        }
    }

    private func column(_ index: Int) -> String { index < header.count ? header[index] : "column \(index + 1)" }
}
