import Foundation
import PCM

/// Debian's `pocketsphinx-testdata` recordings.
enum SphinxTestData {
    static let directory = "/usr/share/pocketsphinx/test/data"
    static var isInstalled: Bool { FileManager.default.fileExists(atPath: "\(directory)/goforward.raw") }

    /// The LibriVox clips with their reference transcripts (`librivox/transcription`).
    static func librivox() throws -> [(path: String, reference: String)] {
        let text = try String(contentsOfFile: "\(directory)/librivox/transcription", encoding: .utf8)
        return text.split(separator: "\n").compactMap { line in
            guard let open = line.lastIndex(of: "("), let close = line.lastIndex(of: ")") else { return nil }
            let id = line[line.index(after: open)..<close]
            let words = line[..<open].split(separator: " ").filter { $0 != "<s>" && $0 != "</s>" }
            return ("\(directory)/librivox/\(id).wav", words.joined(separator: " "))
        }
    }

    /// Headerless 16 kHz mono little-endian 16-bit audio.
    static func raw(_ name: String) throws -> PCMBuffer {
        try int16Buffer(Data(contentsOf: URL(fileURLWithPath: "\(directory)/\(name)")))
    }

    static func int16Buffer(_ data: Data) throws -> PCMBuffer {
        let samples = data.withUnsafeBytes { bytes in
            (0..<(bytes.count / 2)).map { Float(Int16(littleEndian: bytes.loadUnaligned(fromByteOffset: $0 * 2, as: Int16.self))) / 32768 }
        }
        return try PCMBuffer(format: .speech16kMono, interleaved: samples)
    }
}

/// Word error rate by word-level edit distance.
func localWER(reference: String, hypothesis: String) -> Double {
    let r = reference.lowercased().split(separator: " "), h = hypothesis.lowercased().split(separator: " ")
    var previous = Array(0...h.count)
    for i in 1...max(1, r.count) where !r.isEmpty {
        var current = [i] + Array(repeating: 0, count: h.count)
        for j in stride(from: 1, through: h.count, by: 1) {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r[i - 1] == h[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return r.isEmpty ? (h.isEmpty ? 0 : 1) : Double(previous[h.count]) / Double(r.count)
}
