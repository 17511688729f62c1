/// One utterance of a dataset: where its audio is and what is said in it.
///
/// Every reader produces these and every manifest writer consumes them. Fields a format has
/// but this type does not name are kept in ``extra`` (as text; a non-string JSON value keeps
/// its JSON spelling) so that nothing a dataset carries is lost on the way through.
public struct ManifestEntry: Codable, Sendable, Hashable {
    /// A stable identifier, unique within the manifest (e.g. the clip's file name without extension).
    public var id: String
    /// The audio file, as written in the manifest (often relative to the manifest's folder;
    /// resolve it with ``DatasetRoot``).
    public var audioPath: String
    /// Where the utterance starts inside the audio file, in seconds, when it is a segment.
    public var offset: Double?
    /// The utterance's length in seconds, when known.
    public var duration: Double?
    /// The reference transcript.
    public var text: String?
    /// The language code (e.g. `en`, `zh-HK`).
    public var language: String?
    /// The speaker (or client) id.
    public var speaker: String?
    /// Every other field of the source record, by its original name.
    public var extra: [String: String]

    /// Creates an entry.
    /// - Parameters:
    ///   - id: A stable identifier, unique within the manifest.
    ///   - audioPath: The audio file.
    ///   - offset: Start inside the file in seconds, for segments.
    ///   - duration: Length in seconds.
    ///   - text: The reference transcript.
    ///   - language: The language code.
    ///   - speaker: The speaker id.
    ///   - extra: Other fields to carry along.
    public init(
        id: String, audioPath: String, offset: Double? = nil, duration: Double? = nil, text: String? = nil,
        language: String? = nil, speaker: String? = nil, extra: [String: String] = [:]
    ) {
        self.id = id
        self.audioPath = audioPath
        self.offset = offset
        self.duration = duration
        self.text = text
        self.language = language
        self.speaker = speaker
        self.extra = extra
    }
}

/// The outcome of transcribing one utterance: the reference, the recogniser's output, and
/// what went wrong if anything did.
public struct TranscriptRecord: Codable, Sendable, Hashable {
    /// The utterance id (``ManifestEntry/id``).
    public var id: String
    /// The reference transcript.
    public var truth: String?
    /// The recogniser's transcript.
    public var asr: String?
    /// The audio's length in seconds.
    public var duration: Double?
    /// The engine that produced ``asr``.
    public var engine: String?
    /// Why there is no transcript, when transcription failed.
    public var error: String?

    /// Creates a record.
    /// - Parameters:
    ///   - id: The utterance id.
    ///   - truth: The reference transcript.
    ///   - asr: The recogniser's transcript.
    ///   - duration: The audio's length in seconds.
    ///   - engine: The engine's name.
    ///   - error: Why transcription failed.
    public init(
        id: String, truth: String? = nil, asr: String? = nil, duration: Double? = nil, engine: String? = nil,
        error: String? = nil
    ) {
        self.id = id
        self.truth = truth
        self.asr = asr
        self.duration = duration
        self.engine = engine
        self.error = error
    }
}

extension ManifestEntry {
    /// The id the readers give an entry that has none of its own: the audio file's name
    /// without folder and extension, as the old workflow did (`clips/abc.mp3` → `abc`).
    /// - Parameter audioPath: The audio file's path.
    /// - Returns: Its stem.
    public static func defaultID(forAudioPath audioPath: String) -> String {
        // Byte scanning, not Character splitting: this runs once per line of a large manifest.
        let utf8 = audioPath.utf8
        let nameStart = utf8.lastIndex(of: UInt8(ascii: "/")).map { utf8.index(after: $0) } ?? utf8.startIndex
        let name = utf8[nameStart...]
        guard let dot = name.lastIndex(of: UInt8(ascii: ".")), dot != nameStart else { return String(audioPath[nameStart...]) }
        return String(audioPath[nameStart..<dot])
    }
}
