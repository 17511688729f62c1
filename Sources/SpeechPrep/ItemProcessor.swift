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

/// The per-item stages: decode → downmix → resample → optional WAV → optional transcription.
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
            // The recogniser and excerpts need the whole clip; plain conversion streams, so its
            // memory does not grow with the file.
            let needsWholeClip = transcriber != nil || entry.offset != nil || entry.duration != nil
            let streamingEncoder = configuration.writeAudio && !needsWholeClip
                ? try SndFileEncoder(path: wavPath, format: format, fileType: .wav16) : nil
            var audio = PCMBuffer(format: format)
            let frames = try Self.convert(entry.audioPath, to: format, quality: configuration.resampleQuality) {
                chunk throws(PipelineError) in
                if let streamingEncoder {
                    do { try streamingEncoder.write(chunk) } catch { throw PipelineError.wrapping(.outputFailed, error) }
                } else {
                    do { try audio.append(chunk) } catch { throw PipelineError.wrapping(.invalidInput, error) }
                }
            }
            guard frames > 0 else {
                throw PipelineError(.invalidInput, subject: entry.audioPath, "holds no audio frames")
            }
            var duration = format.duration(ofFrames: frames)
            if let streamingEncoder {
                try streamingEncoder.finish()
            } else {
                audio = try excerpt(of: audio, entry: entry)
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

    /// decode → downmix → resample, chunk by chunk; each converted chunk goes to `sink`.
    /// - Returns: The number of converted frames.
    static func convert(
        _ path: String, to format: AudioFormat, quality: Resampler.Quality,
        sink: (PCMBuffer) throws(PipelineError) -> Void
    ) throws -> Int {
        let decoder = try AudioFile.open(path, mixToMono: true)
        defer { decoder.close() }
        let source = decoder.format
        var resampler = source.sampleRate == format.sampleRate
            ? nil
            : try Resampler(
                inputRate: source.sampleRate, outputRate: format.sampleRate, channelCount: 1,
                quality: quality)
        var chunk = PCMBuffer(format: source, frameCapacity: Self.chunkFrames)
        var frames = 0
        func emit(_ buffer: PCMBuffer) throws(PipelineError) {
            guard !buffer.isEmpty else { return }
            frames += buffer.frameCount
            try sink(buffer)
        }
        while true {
            chunk.removeAll()
            guard try decoder.read(into: &chunk, maxFrames: Self.chunkFrames) > 0 else { break }
            let mono = try Self.downmix(chunk, to: format.sampleRate == source.sampleRate ? format : nil)
            try emit(resampler != nil ? try resampler!.process(mono) : mono)
        }
        if resampler != nil { try emit(resampler!.flush()) }
        return frames
    }

    static let chunkFrames = 16_384

    /// Averages the channels of each frame (decoders that can mix earlier already did).
    /// - Parameter format: The format to label the result with, or `nil` for mono at the source rate.
    static func downmix(_ buffer: PCMBuffer, to format: AudioFormat?) throws(PCMError) -> PCMBuffer {
        let channels = buffer.format.channelCount
        let mono: AudioFormat
        if let format { mono = format } else { mono = try AudioFormat(sampleRate: buffer.format.sampleRate, channelCount: 1) }
        guard channels > 1 else { return try PCMBuffer(format: mono, interleaved: buffer.samples) }
        var samples = [Float](repeating: 0, count: buffer.frameCount)
        let scale = 1 / Float(channels)
        buffer.withUnsafeSamples { input in
            for frame in 0..<samples.count {
                var sum: Float = 0
                for channel in 0..<channels { sum += input[frame * channels + channel] }
                samples[frame] = sum * scale
            }
        }
        return try PCMBuffer(format: mono, interleaved: samples)
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
