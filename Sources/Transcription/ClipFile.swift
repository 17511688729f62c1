import AudioCodec
import PCM

/// Writes the temporary clip files handed to external recognisers.
enum ClipFile {
    /// Writes a clip as a 16 kHz mono 16-bit WAV file with the canonical 44-byte header, atomically.
    ///
    /// Never fsynced: the file lives only until the engine has read it, and two `fsync`s per
    /// clip would cost more than a fast engine's whole answer.
    /// - Parameters:
    ///   - buffer: The clip, already 16 kHz mono.
    ///   - path: Where the file goes.
    /// - Throws: `TranscriptionError.Code.temporaryFileFailed` naming the file.
    static func write(_ buffer: PCMBuffer, to path: String) throws(TranscriptionError) {
        do {
            let encoder = try SndFileEncoder(path: path, format: buffer.format, fileType: .wav16, durability: .deferred)
            try encoder.write(buffer)
            try encoder.finish()
        } catch {
            throw TranscriptionError(.temporaryFileFailed, subject: path, "could not write the clip: \(error.message)")
        }
    }
}
