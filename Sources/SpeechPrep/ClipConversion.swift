/// Converts one file with the pipeline's own stages (decode → downmix → resample → encode),
/// streaming, so memory does not grow with the file. `speechprep convert` calls it.
public enum ClipConversion {
    /// Converts a file to mono at a sample rate, written atomically.
    /// - Parameters:
    ///   - input: Any file `AudioFile.open` reads.
    ///   - output: The file to write.
    ///   - sampleRate: The output rate in hertz.
    ///   - fileType: WAV or FLAC sample format.
    ///   - quality: The resampler quality.
    /// - Returns: The output's duration in seconds.
    /// - Throws: ``PipelineError`` naming the file: `invalidInput` when it cannot be decoded,
    ///   `outputFailed` when the output cannot be written.
    public static func convert(
        from input: String, to output: String, sampleRate: Double = 16_000, fileType: AudioFileType = .wav16,
        quality: Resampler.Quality = .high
    ) throws(PipelineError) -> Double {
        do {
            let format = try AudioFormat(sampleRate: sampleRate, channelCount: 1)
            let encoder = try SndFileEncoder(path: output, format: format, fileType: fileType)
            let frames = try ItemProcessor.convert(input, to: format, quality: quality) { chunk throws(PipelineError) in
                do { try encoder.write(chunk) } catch { throw PipelineError.wrapping(.outputFailed, error, subject: output) }
            }
            try encoder.finish()
            return format.duration(ofFrames: frames)
        } catch let error as PipelineError {
            throw error
        } catch {
            throw PipelineError.wrapping(.invalidInput, error)
        }
    }
}
