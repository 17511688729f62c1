import AudioCodec
import Foundation
import Scoring
import TestSupport
import Testing
import Transcription

/// espeak-ng sentences (Scripts/make-speech-fixtures.sh) transcribed end to end: 44.1 kHz
/// stereo MP3 decoded by AudioCodec, downmixed and resampled by PCM, recognised by
/// PocketSphinx. Synthetic speech is far from what the en-us model was trained on, so the
/// WER is poor; the bounds are the measured values with a small margin, so a broken
/// conversion path (which yields near-total errors) fails.
@Suite(
    "Spoken sentences end to end",
    .enabled(if: ["espeak-ng", "sox"].allSatisfy { ExternalTool.find($0) != nil } && SphinxTestData.isInstalled))
struct SpokenSentenceTests {
    static let script = Fixtures.directory + "/../../Scripts/make-speech-fixtures.sh"

    /// Measured: corpus WER 0.70 (38 errors in 54 words) from the MP3s; 0.72 from espeak's
    /// own 22.05 kHz WAVs. See Docs/benchmarks/transcription.md.
    @Test func sentencesAreRecognisedWithinTheMeasuredWER() throws {
        let fileExtension = "mp3"
        let folder = try TemporaryDirectory(prefix: "spoken")
        let made = try ExternalTool.run([Self.script, folder.path])
        try #require(made.status == 0)
        let lines = try String(contentsOfFile: folder.file("transcription"), encoding: .utf8).split(separator: "\n")
        let clips = lines.map { line in
            let parts = line.split(separator: "\t")
            return (path: folder.file("\(parts[0]).\(fileExtension)"), reference: String(parts[1]))
        }
        let report = try corpusScore(try PocketSphinxTranscriber(), clips, worstClipAtMost: 1.5)
        print("espeak-ng \(fileExtension) corpus WER \(report.wer)")
        #expect(report.total.referenceLength == 54)
        #expect(report.wer <= 0.78)
    }
}
