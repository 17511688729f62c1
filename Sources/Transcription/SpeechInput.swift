public import PCM

/// Turns any clip into the 16 kHz mono 16-bit samples recognisers consume — the conversion
/// the built-in engines use, for custom ``Transcriber``s to reuse instead of copying.
///
/// ```swift
/// let samples: [Int16] = try SpeechInput.int16Mono16k(clip)   // any rate, any channels
/// ```
public enum SpeechInput {
    /// The format recognisers are given: 16 kHz mono.
    public static let format = AudioFormat.speech16kMono
    /// Resampling quality for recognition input: 95 dB stopband is far below what a
    /// recogniser can hear, and faster than the library default.
    public static let quality = Resampler.Quality.medium

    /// Converts a clip to 16 kHz mono `Int16`, clipping samples beyond full scale.
    /// - Parameter buffer: A clip in any format.
    /// - Returns: The samples.
    /// - Throws: `TranscriptionError.Code.invalidAudio` when the clip cannot be converted.
    public static func int16Mono16k(_ buffer: PCMBuffer) throws(TranscriptionError) -> [Int16] {
        try mono16k(buffer).int16Samples().samples
    }

    /// Downmixes (averaging the channels) and resamples a clip to 16 kHz mono.
    /// - Parameter buffer: A clip in any format.
    /// - Returns: The clip as 16 kHz mono; the same buffer when it already is.
    /// - Throws: `TranscriptionError.Code.invalidAudio` when the rate cannot be converted
    ///   or the clip holds NaN or infinite samples.
    public static func mono16k(_ buffer: PCMBuffer) throws(TranscriptionError) -> PCMBuffer {
        let mono = buffer.downmixedToMono()
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
}
