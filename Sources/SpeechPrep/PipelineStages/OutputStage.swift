extension Pipeline {
    /// The output stage: writes the final files (or, for a shard, its part file and done
    /// marker) from the journal's records, in input order, reading one record at a time.
    /// - Returns: The paths written.
    /// - Throws: ``PipelineError`` when the input or the journal cannot be read again, or an
    ///   output cannot be written.
    func writeOutputs(from journal: CheckpointJournal) throws(PipelineError) -> [String] {
        let config = configuration
        let transcribed = config.transcriber != nil
        var sink: any OrderedRecordSink = if let shard = config.shard {
            try ShardPart.Writer(
                shard: shard, transcribed: transcribed, chunkInterval: config.chunkFileInterval,
                configuration: config.checkpointConfiguration,
                scoring: ShardMerger.Scoring(normalizer: config.normalizer, language: config.input.commonVoiceLocale),
                in: config.outputDirectory)
        } else {
            try PipelineOutputs(
                directory: config.outputDirectory, transcribed: transcribed, chunkInterval: config.chunkFileInterval)
        }
        try InputSelection(configuration: config).forEach { item throws(PipelineError) in
            let found: TranscriptRecord?
            do { found = try journal.record(for: item.entry.id) } catch {
                throw PipelineError.wrapping(.outputFailed, error, subject: config.journalPath)
            }
            if let record = found {
                let audio = config.writeAudio
                    ? PipelineConfiguration.convertedAudioPath(forID: item.entry.id) : item.entry.audioPath
                try sink.add(IndexedRecord(index: item.index, audioPath: audio, record: record, metadata: item.entry.outputMetadata))
            }
            return true
        }
        return try sink.finish()
    }
}
