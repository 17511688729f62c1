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
}

/// The per-item stages: decode → downmix → resample (AudioCodec's converter) → optional WAV →
/// optional transcription.
/// A failure of any stage becomes the record's `error`; it never stops the worker.
struct ItemProcessor: Sendable {
    let configuration: PipelineConfiguration

    /// A worker thread's loop: make one recogniser, then process items until the queue ends.
    func runWorker(
        work: BlockingQueue<SelectedItem>, results: BlockingQueue<WorkerMessage>,
        shouldStop: () -> Bool
    ) {
        defer { results.push(.workerExited) }
        var transcriber: (any Transcriber)?
        if let factory = configuration.transcriber {
            do { transcriber = try factory.makeTranscriber() } catch {
                results.push(.engineFailed(PipelineError.wrapping(.engineUnavailable, error, subject: factory.engineName)))
                return
            }
        }
        while let item = work.pop() {
            // Items still queued when a stop is asked for are left for the next run.
            if shouldStop() { continue }
            results.push(.finished(process(item, transcriber: transcriber)))
        }
    }

    func process(_ item: SelectedItem, transcriber: (any Transcriber)?) -> ItemOutcome {
        let entry = item.entry
        let engine = configuration.transcriber?.engineName
        var engineSeconds = 0.0
        do {
            if let problem = item.pathProblem { throw PipelineError(.invalidInput, subject: entry.id, problem) }
            let format = try AudioFormat(sampleRate: configuration.targetSampleRate, channelCount: 1)
            let wavPath = "\(configuration.outputDirectory)/\(PipelineConfiguration.convertedAudioPath(forID: entry.id))"
            // Plain conversion streams file to file, so its memory does not grow with the clip;
            // the recogniser and manifest excerpts need the whole clip in memory.
            let needsWholeClip = transcriber != nil || entry.offset != nil || entry.duration != nil
            var audio = PCMBuffer(format: format)
            let duration: Double
            if configuration.writeAudio && !needsWholeClip {
                let options = ConversionOptions(
                    sampleRate: format.sampleRate, channelCount: 1, fileType: .wav16,
                    quality: configuration.resampleQuality)
                let report = try AudioConverter.convert(from: entry.audioPath, to: wavPath, options: options)
                guard report.outputFrames > 0 else {
                    try? FileManager.default.removeItem(atPath: wavPath)
                    throw PipelineError(.invalidInput, subject: entry.audioPath, "holds no audio frames")
                }
                duration = report.outputDurationSeconds
            } else {
                audio = try excerpt(
                    of: AudioFile.read(entry.audioPath, as: format, quality: configuration.resampleQuality),
                    entry: entry)
                guard audio.frameCount > 0 else {
                    throw PipelineError(.invalidInput, subject: entry.audioPath, "holds no audio frames")
                }
                duration = audio.durationSeconds
                if configuration.writeAudio {
                    let encoder = try SndFileEncoder(path: wavPath, format: format, fileType: .wav16)
                    try encoder.write(audio)
                    try encoder.finish()
                }
            }
            var asr: String?
            if let transcriber {
                let start = Date()
                asr = try transcriber.transcribe(audio).text
                engineSeconds = Date().timeIntervalSince(start)
            }
            let record = TranscriptRecord(
                id: entry.id, truth: entry.text, asr: asr, duration: duration, engine: engine, error: nil)
            return ItemOutcome(record: record, audioSeconds: duration, engineSeconds: engineSeconds)
        } catch {
            let record = TranscriptRecord(
                id: entry.id, truth: entry.text, asr: nil, duration: nil, engine: engine,
                error: String(describing: error))
            return ItemOutcome(record: record, audioSeconds: 0, engineSeconds: engineSeconds)
        }
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
