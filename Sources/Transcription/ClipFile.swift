import Foundation
import PCM

/// Writes the temporary clip files handed to external recognisers.
enum ClipFile {
    /// Writes 16 kHz mono samples as a 16-bit WAV file.
    /// - Throws: ``TranscriptionError/Code/temporaryFileFailed`` naming the file.
    static func write(_ buffer: PCMBuffer, to path: String) throws(TranscriptionError) {
        let samples = try SpeechInput.int16Mono16k(buffer)
        var data = Data()
        func put<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        data.append(contentsOf: Array("RIFF".utf8)); put(UInt32(36 + samples.count * 2))
        data.append(contentsOf: Array("WAVEfmt ".utf8)); put(UInt32(16)); put(UInt16(1)); put(UInt16(1))
        put(UInt32(16_000)); put(UInt32(32_000)); put(UInt16(2)); put(UInt16(16))
        data.append(contentsOf: Array("data".utf8)); put(UInt32(samples.count * 2))
        samples.withUnsafeBytes { data.append(contentsOf: $0) }
        do { try data.write(to: URL(fileURLWithPath: path)) } catch {
            throw TranscriptionError(.temporaryFileFailed, subject: path, "could not write the clip: \(error.localizedDescription)")
        }
    }
}
