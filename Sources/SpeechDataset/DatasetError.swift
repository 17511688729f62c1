// The error shape lives in SystemSupport; re-exported so `error.code` needs no second import.
@_exported public import SystemSupport

/// The domain of ``DatasetError``: the module it comes from.
public enum DatasetErrorDomain: ErrorDomain {
    /// Where in the file bad input was found.
    public struct Detail: ErrorDetail {
        /// The 1-based line, when known.
        public var line: Int?
        /// The field (JSON key, TSV column, Kaldi file) that was wrong, when known.
        public var field: String?

        /// No line, no field.
        public init() {}
    }

    /// `subject[:line]: [field "name": ]message`.
    /// - Parameter error: The error to describe.
    /// - Returns: One line for a log or a terminal.
    public static func describe(_ error: DatasetError) -> String {
        var text = ""
        if let subject = error.subject { text = error.line.map { "\(subject):\($0): " } ?? "\(subject): " }
        if let field = error.field { text += "field \"\(field)\": " }
        return text + error.message
    }
}

/// An error raised by the `SpeechDataset` module.
///
/// Errors are a struct with static codes, so new codes never break clients. Every message
/// names the file (and, for bad input, the line and field) and the cause, in words a user
/// understands, e.g. `train.jsonl:12: field "duration": expected a number, found "abc"`.
public typealias DatasetError = DomainError<DatasetErrorDomain>

extension DatasetError {
    /// The 1-based line of `subject` where the problem was found, for bad input.
    public var line: Int? {
        get { detail.line }
        set { detail.line = newValue }
    }

    /// The field (JSON key, TSV column, Kaldi file) that was wrong, for bad input.
    public var field: String? {
        get { detail.field }
        set { detail.field = newValue }
    }

    /// Creates an error about a line of a file.
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - subject: The file or record concerned.
    ///   - line: The 1-based line in that file.
    ///   - field: The field that was wrong, when known.
    ///   - message: The cause in plain words.
    public init(_ code: Code, subject: String? = nil, line: Int?, field: String? = nil, _ message: String) {
        self.init(code, subject: subject, message)
        detail.line = line
        detail.field = field
    }

    /// Creates an error about a field.
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - subject: The file or record concerned.
    ///   - field: The field that was wrong.
    ///   - message: The cause in plain words.
    public init(_ code: Code, subject: String? = nil, field: String?, _ message: String) {
        self.init(code, subject: subject, line: nil, field: field, message)
    }
}

extension DatasetError.Code {
    /// A file could not be opened, read, written, synced or renamed.
    public static var io: Self { Self("io") }
    /// A file is not valid JSON (or a JSONL line is not).
    public static var malformedJSON: Self { Self("malformedJSON") }
    /// A required field is missing.
    public static var missingField: Self { Self("missingField") }
    /// A field has the wrong type or an unusable value.
    public static var invalidValue: Self { Self("invalidValue") }
    /// Two records share one id.
    public static var duplicateID: Self { Self("duplicateID") }
    /// Text is not valid UTF-8.
    public static var invalidUTF8: Self { Self("invalidUTF8") }
    /// A TSV/CSV/Kaldi row has the wrong number of columns.
    public static var wrongColumnCount: Self { Self("wrongColumnCount") }
    /// Kaldi files are not sorted in C-locale byte order, or disagree with each other.
    public static var notSorted: Self { Self("notSorted") }
    /// A path escapes the dataset root.
    public static var pathEscape: Self { Self("pathEscape") }
    /// A checkpoint journal was written by a run with a different configuration.
    public static var configurationMismatch: Self { Self("configurationMismatch") }
    /// A checkpoint journal is damaged somewhere other than its last line.
    public static var corruptJournal: Self { Self("corruptJournal") }
    /// The format of a manifest could not be recognised.
    public static var unknownFormat: Self { Self("unknownFormat") }
}
