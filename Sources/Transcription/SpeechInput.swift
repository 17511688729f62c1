import PCM

/// Turns any clip into the 16 kHz mono 16-bit samples the engines consume.
enum SpeechInput {
    /// The format both engines hand to the recogniser.
    static let format = AudioFormat.speech16kMono
    /// Resampling quality for recognition input: 95 dB stopband is far below what a
    /// recogniser can hear, and faster than the library default.
    static let quality = Resampler.Quality.medium

    /// Converts a clip to 16 kHz mono `Int16`, clipping samples beyond full scale.
    /// - Parameter buffer: A clip in any format.
    /// - Returns: The samples.
    /// - Throws: ``TranscriptionError/Code/invalidAudio`` when the clip cannot be converted.
    static func int16Mono16k(_ buffer: PCMBuffer) throws(TranscriptionError) -> [Int16] {
        let speech = try mono16k(buffer)
        return speech.withUnsafeSamples { samples in
            samples.map { Int16(max(-32768, min(32767, ($0 * 32768).rounded()))) }
        }
    }

    /// Downmixes (averaging the channels) and resamples a clip to 16 kHz mono.
    /// - Parameter buffer: A clip in any format.
    /// - Returns: The clip as 16 kHz mono; the same buffer when it already is.
    /// - Throws: ``TranscriptionError/Code/invalidAudio`` when the rate cannot be converted
    ///   or the clip holds NaN or infinite samples.
    static func mono16k(_ buffer: PCMBuffer) throws(TranscriptionError) -> PCMBuffer {
        let mono = try downmixed(buffer)
        guard mono.format.sampleRate != format.sampleRate else { return mono }
        do {
            var resampler = try Resampler(
                inputRate: mono.format.sampleRate, outputRate: format.sampleRate, channelCount: 1, quality: quality)
            var output = try resampler.process(mono)
            try output.append(resampler.flush())
            return output
        } catch {
            throw TranscriptionError(
                .invalidAudio, "cannot convert the \(buffer.format) clip to \(format): \(error.message)")
        }
    }

    private static func downmixed(_ buffer: PCMBuffer) throws(TranscriptionError) -> PCMBuffer {
        let channels = buffer.format.channelCount
        guard channels > 1 else { return buffer }
        let mono = buffer.withUnsafeSamples { samples in
            (0..<buffer.frameCount).map { frame in
                var sum: Float = 0
                for channel in 0..<channels { sum += samples[frame * channels + channel] }
                return sum / Float(channels)
            }
        }
        do {
            return try PCMBuffer(
                format: AudioFormat(sampleRate: buffer.format.sampleRate, channelCount: 1), interleaved: mono)
        } catch {
            throw TranscriptionError(.invalidAudio, "cannot downmix the \(buffer.format) clip: \(error.message)")
        }
    }
}
