/// An error raised by the `SpeechDataset` module.
///
/// Errors are a struct with static codes, so new codes never break clients. Every message
/// names the file (and, for bad input, the line and field) and the cause, in words a user
/// understands, e.g. `train.jsonl:12: field "duration": expected a number, found "abc"`.
public struct DatasetError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// A short stable name for the code, for logs and JSON output.
        public let name: String
        /// Creates a code.
        /// - Parameter name: A short stable name.
        public init(_ name: String) { self.name = name }
        /// The code's name.
        public var description: String { name }
    }

    /// What went wrong.
    public var code: Code
    /// The file, record id or other subject the error is about, when there is one.
    public var subject: String?
    /// The 1-based line of ``subject`` where the problem was found, for bad input.
    public var line: Int?
    /// The field (JSON key, TSV column, Kaldi file) that was wrong, for bad input.
    public var field: String?
    /// A sentence that says what was wrong.
    public var message: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - subject: The file or record concerned.
    ///   - line: The 1-based line in that file, when known.
    ///   - field: The field that was wrong, when known.
    ///   - message: The cause in plain words.
    public init(_ code: Code, subject: String? = nil, line: Int? = nil, field: String? = nil, _ message: String) {
        self.code = code
        self.subject = subject
        self.line = line
        self.field = field
        self.message = message
    }

    /// `subject[:line]: [field "name": ]message`.
    public var description: String {
        var text = ""
        if let subject { text = line.map { "\(subject):\($0): " } ?? "\(subject): " }
        if let field { text += "field \"\(field)\": " }
        return text + message
    }
}

extension DatasetError.Code {
    /// A file could not be opened, read, written, synced or renamed.
    public static let io = Self("io")
    /// A file is not valid JSON (or a JSONL line is not).
    public static let malformedJSON = Self("malformedJSON")
    /// A required field is missing.
    public static let missingField = Self("missingField")
    /// A field has the wrong type or an unusable value.
    public static let invalidValue = Self("invalidValue")
    /// Two records share one id.
    public static let duplicateID = Self("duplicateID")
    /// Text is not valid UTF-8.
    public static let invalidUTF8 = Self("invalidUTF8")
    /// A TSV/CSV/Kaldi row has the wrong number of columns.
    public static let wrongColumnCount = Self("wrongColumnCount")
    /// Kaldi files are not sorted in C-locale byte order, or disagree with each other.
    public static let notSorted = Self("notSorted")
    /// A path escapes the dataset root.
    public static let pathEscape = Self("pathEscape")
    /// A checkpoint journal was written by a run with a different configuration.
    public static let configurationMismatch = Self("configurationMismatch")
    /// A checkpoint journal is damaged somewhere other than its last line.
    public static let corruptJournal = Self("corruptJournal")
    /// The format of a manifest could not be recognised.
    public static let unknownFormat = Self("unknownFormat")
}
