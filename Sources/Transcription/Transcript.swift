/// What a recogniser heard in one clip.
public struct Transcript: Codable, Sendable, Hashable {
    /// The recognised words separated by single spaces, without filler tokens such as
    /// `<sil>`; empty when nothing was recognised.
    public var text: String
    /// The recognised words with their times, when the engine reports them; empty otherwise.
    public var words: [WordTiming]
    /// The name of the engine that produced the transcript (for example `pocketsphinx`).
    public var engine: String
    /// The language the engine detected or used, when it reports one.
    public var language: String?

    /// Creates a transcript.
    /// - Parameters:
    ///   - text: The recognised text.
    ///   - words: Per-word timings, if the engine reports them.
    ///   - engine: The engine's name.
    ///   - language: The language the engine reports, if any.
    public init(text: String, words: [WordTiming] = [], engine: String, language: String? = nil) {
        self.text = text
        self.words = words
        self.engine = engine
        self.language = language
    }
}

/// One recognised word and where it lies in the clip.
public struct WordTiming: Codable, Sendable, Hashable {
    /// The word as spelled in the engine's dictionary (alternate-pronunciation markers such as
    /// `(2)` removed).
    public var word: String
    /// Where the word starts, in seconds from the start of the clip.
    public var startSeconds: Double
    /// Where the word ends, in seconds from the start of the clip.
    public var endSeconds: Double
    /// The engine's confidence in the word from 0 to 1 (a posterior probability), when known.
    public var confidence: Double?

    /// Creates a word timing.
    /// - Parameters:
    ///   - word: The word.
    ///   - startSeconds: Its start in seconds.
    ///   - endSeconds: Its end in seconds.
    ///   - confidence: A confidence from 0 to 1, if the engine reports one.
    public init(word: String, startSeconds: Double, endSeconds: Double, confidence: Double? = nil) {
        self.word = word
        self.startSeconds = startSeconds
        self.endSeconds = endSeconds
        self.confidence = confidence
    }
}
