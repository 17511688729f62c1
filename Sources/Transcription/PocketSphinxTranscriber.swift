public import PCM

/// An in-process speech recogniser backed by CMU PocketSphinx (Debian's `libpocketsphinx3`),
/// using the US English model from `pocketsphinx-en-us` unless configured otherwise.
///
/// One instance owns one decoder, which is freed when the instance is released. Instances are
/// not thread-safe; make one per worker with ``PocketSphinxFactory``.
///
/// ```swift
/// let engine = try PocketSphinxTranscriber()
/// let transcript = try engine.transcribe(clip)   // any rate, any channel count
/// print(transcript.text)
/// ```
public final class PocketSphinxTranscriber: Transcriber {
    /// The engine name recorded in transcripts: `pocketsphinx`.
    public static let engineName = "pocketsphinx"

    /// The configuration the decoder was made from.
    public let configuration: PocketSphinxConfiguration
    private let decoder: PocketSphinxDecoder

    /// `pocketsphinx`.
    public var engineName: String { Self.engineName }

    /// Loads the models and creates a decoder.
    /// - Parameter configuration: The models and options; the installed US English model by
    ///   default.
    /// - Throws: `TranscriptionError.Code.modelNotFound` naming the missing file (and, for
    ///   the default model, the package to install), or
    ///   `TranscriptionError.Code.invalidConfiguration` when the decoder rejects an option
    ///   (or it is `-logfn`: the library's log is process-wide and kept off).
    public init(configuration: PocketSphinxConfiguration = .default) throws(TranscriptionError) {
        try configuration.validate()
        self.configuration = configuration
        self.decoder = try PocketSphinxDecoder(arguments: configuration.decoderArguments)
    }

    /// Transcribes one clip as a single utterance.
    ///
    /// The clip is downmixed to mono and resampled to 16 kHz when it is in another format,
    /// and given to the decoder whole, so that batch normalisation sees all of it and the
    /// transcript does not depend on the clips decoded before. Cancellation is checked
    /// before decoding starts: a clip in progress is finished (segment long recordings
    /// first — a clip is a few seconds of speech).
    /// - Parameter samples: The clip, in any format.
    /// - Returns: The recognised text with per-word timings and posterior confidences.
    /// - Throws: `TranscriptionError.Code.cancelled` when the task is cancelled,
    ///   `TranscriptionError.Code.invalidAudio` when the clip cannot be converted, or
    ///   `TranscriptionError.Code.engineFailed`.
    public func transcribe(_ samples: PCMBuffer) throws(TranscriptionError) -> Transcript {
        let pcm = try SpeechInput.int16Mono16k(samples)
        if Task.isCancelled {
            throw TranscriptionError(.cancelled, "transcription was cancelled")
        }
        try decoder.startUtterance()
        var finished = false
        defer { if !finished { decoder.endUtterance() } }
        try pcm.withUnsafeBufferPointer { (all) throws(TranscriptionError) in
            try decoder.process(all, wholeUtterance: true)
        }
        finished = true
        guard decoder.endUtterance() else {
            throw TranscriptionError(.engineFailed, "PocketSphinx could not finish the utterance")
        }
        return Transcript(text: decoder.hypothesis(), words: wordTimings(), engine: Self.engineName)
    }

    /// The best path's words without fillers (`<s>`, `<sil>`, `[NOISE]`, …), with
    /// alternate-pronunciation markers (`word(2)`) removed.
    private func wordTimings() -> [WordTiming] {
        let fps = decoder.framesPerSecond
        return decoder.segments().compactMap { segment in
            guard let first = segment.word.first, first != "<", first != "[", first != "+" else { return nil }
            var word = Substring(segment.word)
            if word.hasSuffix(")"), let open = word.lastIndex(of: "(") { word = word[..<open] }
            return WordTiming(
                word: String(word), startSeconds: Double(segment.startFrame) / fps,
                endSeconds: Double(segment.endFrame + 1) / fps, confidence: segment.confidence)
        }
    }
}

/// Makes ``PocketSphinxTranscriber`` instances that share one configuration.
public struct PocketSphinxFactory: TranscriberFactory {
    /// The configuration every engine is made from: the one the factory was created with.
    public var configuration: PocketSphinxConfiguration

    /// Creates a factory.
    /// - Parameter configuration: The models and options; the installed US English model by
    ///   default.
    public init(configuration: PocketSphinxConfiguration = .default) {
        self.configuration = configuration
    }

    /// `pocketsphinx`.
    public var engineName: String { PocketSphinxTranscriber.engineName }

    /// The engine name and every decoder option (`-hmm`, `-lm`, `-dict`, extra options).
    public var checkpointSettings: [String: String] {
        configuration.dictionaryRepresentation.merging(["engine": engineName]) { $1 }
    }

    /// Creates a decoder with the factory's configuration.
    /// - Returns: A new ``PocketSphinxTranscriber``.
    /// - Throws: ``TranscriptionError`` as ``PocketSphinxTranscriber/init(configuration:)``.
    public func makeTranscriber() throws(TranscriptionError) -> any Transcriber {
        try PocketSphinxTranscriber(configuration: configuration)
    }
}
