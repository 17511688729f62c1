import Foundation
import SpeechDataset
import TestSupport

/// Writes raw bytes (possibly invalid UTF-8) to a file.
func writeBytes(_ bytes: [UInt8], to path: String) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}

/// Writes text to a file.
func writeText(_ text: String, to path: String) throws {
    try writeBytes(Array(text.utf8), to: path)
}

/// The bytes of a file.
func readBytes(_ path: String) throws -> [UInt8] {
    Array(try Data(contentsOf: URL(fileURLWithPath: path)))
}

/// The text of a file.
func readText(_ path: String) throws -> String {
    String(decoding: try readBytes(path), as: UTF8.self)
}

/// Entries exercising the awkward corners: quotes, backslashes, tabs, newlines, CJK, emoji,
/// segments with offsets, missing fields and extra fields.
let sampleEntries: [ManifestEntry] = [
    ManifestEntry(id: "a1", audioPath: "clips/a1.wav", duration: 1.5, text: "hello \"world\"", language: "en", speaker: "s1"),
    ManifestEntry(id: "b2", audioPath: "clips/b2.wav", duration: 0.125, text: "今日天氣好好 \\ back\tslash", language: "yue", speaker: "s2", extra: ["emotion": "happy 😀"]),
    ManifestEntry(id: "c3", audioPath: "wavs/c3.flac", duration: 3.0, text: "line\nbreak", speaker: "s1"),
]
