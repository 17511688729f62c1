import AudioCodec
import Foundation
import PCM
import Scoring
import Testing
import Transcription

/// Debian's `pocketsphinx-testdata` recordings.
enum SphinxTestData {
    static let directory = "/usr/share/pocketsphinx/test/data"
    static var isInstalled: Bool { FileManager.default.fileExists(atPath: "\(directory)/goforward.raw") }

    /// The LibriVox clips with their reference transcripts (`librivox/transcription`).
    static func librivox() throws -> [(path: String, reference: String)] {
        try references("librivox/transcription")
    }

    /// The `cards` clips with their references (`cards/cards.transcription`).
    static func cards() throws -> [(path: String, reference: String)] {
        try references("cards/cards.transcription")
    }

    /// Reads a Sphinx transcription file: `<s> words </s> (id)` per line, audio in `id.wav`
    /// next to it.
    static func references(_ file: String) throws -> [(path: String, reference: String)] {
        let folder = "\(directory)/\(file.split(separator: "/")[0])"
        let text = try String(contentsOfFile: "\(directory)/\(file)", encoding: .utf8)
        return text.split(separator: "\n").compactMap { line in
            guard let open = line.lastIndex(of: "("), let close = line.lastIndex(of: ")") else { return nil }
            let id = line[line.index(after: open)..<close]
            let words = line[..<open].split(separator: " ").filter { $0 != "<s>" && $0 != "</s>" }
            return ("\(folder)/\(id).wav", words.joined(separator: " "))
        }
    }

    /// Headerless 16 kHz mono little-endian 16-bit audio.
    static func raw(_ name: String) throws -> PCMBuffer {
        let data = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/\(name)"))
        let samples = data.withUnsafeBytes { bytes in
            (0..<(bytes.count / 2)).map { Float(Int16(littleEndian: bytes.loadUnaligned(fromByteOffset: $0 * 2, as: Int16.self))) / 32768 }
        }
        return try PCMBuffer(format: .speech16kMono, interleaved: samples)
    }
}

/// Transcribes every clip and scores the corpus (jiwer semantics: errors over reference
/// words), checking each clip's WER against a bound on the way.
func corpusScore(
    _ engine: some Transcriber, _ clips: [(path: String, reference: String)], worstClipAtMost bound: Double
) throws -> ScoreReport {
    var hypotheses: [String] = []
    for (path, reference) in clips {
        let text = try engine.transcribe(AudioFile.read(path)).text
        #expect(wordErrorRate(reference: reference, hypothesis: text) <= bound, "\(path): \(text)")
        hypotheses.append(text)
    }
    return try score(references: clips.map(\.reference), hypotheses: hypotheses)
}
