import Foundation
public import SpeechPrep

/// A custom recogniser of the kind a downstream project writes: it does not recognise words,
/// it reports how many stretches of sound a clip holds ("sound sound …"), using SpeechPrep's
/// own conversion to 16 kHz mono (`SpeechInput`) and its silence segmenter.
public final class SoundCounter: Transcriber {
    public let engineName = "sound-counter"

    /// Creates the recogniser.
    public init() {}

    /// Counts the stretches of sound in a clip.
    /// - Parameter samples: Any clip.
    /// - Returns: One word "sound" per stretch.
    /// - Throws: `TranscriptionError` when the clip cannot be converted or segmented.
    public func transcribe(_ samples: PCMBuffer) throws(TranscriptionError) -> Transcript {
        let speech = try SpeechInput.mono16k(samples)
        do {
            var segmenter = try SilenceSegmenter(sampleRate: SpeechInput.format.sampleRate)
            let count = try segmenter.segments(of: speech).count
            return Transcript(text: Array(repeating: "sound", count: count).joined(separator: " "), engine: engineName)
        } catch {
            throw TranscriptionError(.engineFailed, subject: engineName, error.description)
        }
    }
}

/// Makes ``SoundCounter``s for the pipeline.
public struct SoundCounterFactory: TranscriberFactory {
    public init() {}
    public var engineName: String { "sound-counter" }
    public var checkpointSettings: [String: String] { ["engine": engineName] }
    public func makeTranscriber() throws(TranscriptionError) -> any Transcriber { SoundCounter() }
}

/// Converts every audio file of a folder to a 16 kHz mono dataset with SpeechPrep's pipeline.
/// - Parameters:
///   - folder: A folder of audio files (or any input `PipelineInput.detect` recognises).
///   - output: The output folder.
///   - workers: Worker threads.
/// - Returns: The run's summary.
/// - Throws: `PipelineError` when the run cannot start or its outputs cannot be written.
public func prepareDataset(from folder: String, to output: String, workers: Int = 2) async throws(PipelineError) -> PipelineSummary {
    var configuration = PipelineConfiguration(input: try PipelineInput.detect(folder), outputDirectory: output)
    configuration.writeAudio = true
    configuration.workerCount = workers
    return try await Pipeline(configuration).run()
}
