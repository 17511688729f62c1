import Foundation

/// What a worker reports to the collecting thread.
enum WorkerMessage: Sendable {
    case finished(ItemOutcome)
    /// The worker's recogniser could not be made; the run cannot continue.
    case engineFailed(PipelineError)
    case workerExited
}

/// One finished item with the measurements the summary adds up.
struct ItemOutcome: Sendable {
    var record: TranscriptRecord
    var audioSeconds: Double
    var engineSeconds: Double
    /// Set when the item failed because of the environment (a full disk, …), not itself: the
    /// run stops and the item is not recorded.
    var fault: PipelineError?
}

/// An item after the audio stages: its converted clip (when a recogniser needs it), or the
/// finished outcome (plain conversion, or a failure).
struct DecodedItem: Sendable {
    var item: SelectedItem
    var audio: PCMBuffer?
    var outcome: ItemOutcome?
}

/// The per-item stages: decode → downmix → resample (AudioCodec's converter) → optional WAV →
/// optional transcription. A failure of any stage becomes the record's `error`; it never stops
/// the worker.
///
/// With a recogniser the stages run on two sets of threads joined by a bounded queue: audio
/// threads decode the next clips while recogniser threads work, so the decoding is hidden
/// behind recognition instead of adding to it. Without one, the audio threads hand their
/// outcomes straight to the collector.
struct ItemProcessor: Sendable {
    let configuration: PipelineConfiguration

    /// An audio thread's loop: convert items until the queue ends, handing each to `deliver`
    /// (the recognisers' queue, or straight to the collector when nothing is transcribed).
    /// The thread's converter keeps its resamplers and buffers from clip to clip.
    func runAudioStage(work: BlockingQueue<SelectedItem>, shouldStop: () -> Bool, deliver: (DecodedItem) -> Void) {
        var options = ConversionOptions(
            sampleRate: configuration.targetSampleRate, channelCount: 1, fileType: .wav16,
            quality: configuration.resampleQuality)
        options.durability = .deferred  // made durable in batches before journaling
        var converter = AudioConverter(options: options)
        while let item = work.pop() {
            // Items still queued when a stop is asked for are left for the next run.
            if shouldStop() { continue }
            deliver(convert(item, keepAudio: configuration.transcriber != nil, with: &converter))
        }
    }

    /// A recogniser thread's loop: make one recogniser, then transcribe converted clips until
    /// the queue ends (items that failed before reaching it are passed on as they are).
    func runRecognizerStage(
        decoded: BlockingQueue<DecodedItem>, results: BlockingQueue<WorkerMessage>, shouldStop: () -> Bool
    ) {
        defer { results.push(.workerExited) }
        guard let factory = configuration.transcriber else { return }
        let transcriber: any Transcriber
        do { transcriber = try factory.makeTranscriber() } catch {
            results.push(.engineFailed(PipelineError.wrapping(.engineUnavailable, error, subject: factory.engineName)))
            return
        }
        while let next = decoded.pop() {
            if let outcome = next.outcome {
                results.push(.finished(outcome))
            } else if !shouldStop(), let audio = next.audio {
                results.push(.finished(transcribe(next.item, audio: audio, with: transcriber)))
            }
        }
    }

    /// The audio stages. Returns the clip for the recogniser, or the finished outcome.
    /// - Parameter converter: Converts to the target format (16-bit WAV, mono, the
    ///   configuration's rate and resampler preset, deferred durability).
    func convert(_ item: SelectedItem, keepAudio: Bool, with converter: inout AudioConverter) -> DecodedItem {
        let entry = item.entry
        do {
            if let problem = item.pathProblem { throw PipelineError(.invalidInput, subject: entry.id, problem) }
            let format = try AudioFormat(sampleRate: configuration.targetSampleRate, channelCount: 1)
            let wavPath = "\(configuration.outputDirectory)/\(PipelineConfiguration.convertedAudioPath(forID: entry.id))"
            // Plain conversion streams file to file, so its memory does not grow with the clip;
            // the recogniser and manifest excerpts need the whole clip in memory.
            if configuration.writeAudio && !keepAudio && entry.offset == nil && entry.duration == nil {
                let report = if let bytes = item.audioBytes {
                    try converter.convert(bytes: bytes, name: entry.audioPath, to: wavPath)
                } else {
                    try converter.convert(from: entry.audioPath, to: wavPath)
                }
                guard report.outputFrames > 0 else {
                    try? FileManager.default.removeItem(atPath: wavPath)
                    throw PipelineError(.invalidInput, subject: entry.audioPath, "holds no audio frames")
                }
                return DecodedItem(item: item, outcome: success(entry, duration: report.outputDurationSeconds))
            }
            let decoded = if let bytes = item.audioBytes {
                try converter.read(bytes: bytes, name: entry.audioPath, as: format)
            } else {
                try converter.read(entry.audioPath, as: format)
            }
            let audio = try excerpt(of: decoded, entry: entry)
            guard audio.frameCount > 0 else {
                throw PipelineError(.invalidInput, subject: entry.audioPath, "holds no audio frames")
            }
            if configuration.writeAudio {
                let encoder = try SndFileEncoder(path: wavPath, format: format, fileType: .wav16, durability: .deferred)
                try encoder.write(audio)
                try encoder.finish()
            }
            if keepAudio { return DecodedItem(item: item, audio: audio) }
            return DecodedItem(item: item, outcome: success(entry, duration: audio.durationSeconds))
        } catch {
            return DecodedItem(item: item, outcome: failure(entry, error))
        }
    }

    /// The recogniser stage.
    func transcribe(_ item: SelectedItem, audio: PCMBuffer, with transcriber: any Transcriber) -> ItemOutcome {
        let start = Date()
        do {
            let context = ClipContext(id: item.entry.id, language: item.entry.language)
            let text = try transcriber.transcribe(audio, context: context).text
            var outcome = success(item.entry, duration: audio.durationSeconds, asr: text)
            outcome.engineSeconds = Date().timeIntervalSince(start)
            return outcome
        } catch {
            var outcome = failure(item.entry, error)
            outcome.engineSeconds = Date().timeIntervalSince(start)
            return outcome
        }
    }

    private func success(_ entry: ManifestEntry, duration: Double, asr: String? = nil) -> ItemOutcome {
        let record = TranscriptRecord(
            id: entry.id, truth: entry.text, asr: asr, duration: duration,
            engine: configuration.transcriber?.engineName, error: nil)
        return ItemOutcome(record: record, audioSeconds: duration, engineSeconds: 0)
    }

    private func failure(_ entry: ManifestEntry, _ error: any Error) -> ItemOutcome {
        let record = TranscriptRecord(
            id: entry.id, truth: entry.text, asr: nil, duration: nil,
            engine: configuration.transcriber?.engineName, error: String(describing: error))
        return ItemOutcome(
            record: record, audioSeconds: 0, engineSeconds: 0,
            fault: EnvironmentFault.classify(error, outputDirectory: configuration.outputDirectory))
    }

    /// The part of the clip a manifest entry names with `offset`/`duration` (Kaldi segments,
    /// NeMo offsets), or the whole clip.
    private func excerpt(of audio: PCMBuffer, entry: ManifestEntry) throws(PipelineError) -> PCMBuffer {
        guard entry.offset != nil || entry.duration != nil else { return audio }
        let rate = audio.format.sampleRate
        let start = Int(((entry.offset ?? 0) * rate).rounded())
        let end = entry.duration.map { start + Int(($0 * rate).rounded()) } ?? audio.frameCount
        guard start >= 0, start < audio.frameCount else {
            throw PipelineError(
                .invalidInput, subject: entry.id,
                "offset \(entry.offset ?? 0) s lies beyond the end of \(entry.audioPath)")
        }
        return audio.frames(start..<min(end, audio.frameCount))
    }
}
