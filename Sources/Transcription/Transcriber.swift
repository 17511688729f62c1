public import PCM

/// A speech recogniser that turns samples into a ``Transcript``.
///
/// An engine instance is not thread-safe: create one per worker with a
/// ``TranscriberFactory`` and use it from one task at a time.
public protocol Transcriber: AnyObject {
    /// The engine's name, recorded with every transcript.
    var engineName: String { get }

    /// Transcribes one clip.
    ///
    /// Engines accept any format `PCM` can convert and turn it into what they need (for the
    /// built-in engines, 16 kHz mono). An engine checks for task cancellation before it starts
    /// on a clip and then throws `TranscriptionError.Code.cancelled`; whether it can also stop
    /// in the middle of a clip depends on the engine (a child process can be killed, an
    /// in-process library such as PocketSphinx finishes the clip in hand).
    /// - Parameter samples: The clip.
    /// - Returns: What the engine recognised.
    /// - Throws: ``TranscriptionError`` when the engine fails on this clip or is cancelled.
    func transcribe(_ samples: PCMBuffer) throws(TranscriptionError) -> Transcript

    /// Transcribes one clip, knowing which item it is and its language.
    ///
    /// Engines that can use the item's id or language (engine workers pass both to their
    /// child) implement this; the default ignores the context.
    /// - Parameters:
    ///   - samples: The clip.
    ///   - context: The item's id and language, when known.
    /// - Returns: What the engine recognised.
    /// - Throws: ``TranscriptionError`` when the engine fails on this clip or is cancelled.
    func transcribe(_ samples: PCMBuffer, context: ClipContext) throws(TranscriptionError) -> Transcript
}

extension Transcriber {
    /// Ignores the context and calls ``transcribe(_:)``.
    /// - Parameters:
    ///   - samples: The clip.
    ///   - context: Not used.
    /// - Returns: What the engine recognised.
    /// - Throws: ``TranscriptionError`` when the engine fails on this clip or is cancelled.
    public func transcribe(_ samples: PCMBuffer, context: ClipContext) throws(TranscriptionError) -> Transcript {
        try transcribe(samples)
    }
}

/// What an engine may know about a clip besides its samples.
public struct ClipContext: Sendable, Hashable {
    /// The item's id (for example a Common Voice clip name), when known.
    public var id: String?
    /// The item's language (a BCP 47 tag or Common Voice locale), when known.
    public var language: String?

    /// Creates a context.
    /// - Parameters:
    ///   - id: The item's id.
    ///   - language: The item's language.
    public init(id: String? = nil, language: String? = nil) {
        self.id = id
        self.language = language
    }
}

/// Makes ``Transcriber`` instances, one per worker, and describes their configuration.
///
/// The ``checkpointSettings`` are recorded in checkpoints, so a run resumed with a different model
/// or different options is detected instead of silently mixing results.
public protocol TranscriberFactory: Sendable {
    /// The engine's name, as it appears in transcripts.
    var engineName: String { get }
    /// Every setting that changes the engine's output (model paths, options, command line),
    /// as the strings the checkpoint journal records.
    var checkpointSettings: [String: String] { get }

    /// Creates an engine instance.
    /// - Returns: A new, independent engine.
    /// - Throws: ``TranscriptionError`` when the engine cannot be set up (for example a
    ///   missing model).
    func makeTranscriber() throws(TranscriptionError) -> any Transcriber
}
