import Foundation

/// The bundled sample: a tiny Common Voice release (12 English clips of real speech from
/// Debian's `pocketsphinx-testdata`, MP3, with `validated.tsv` and `dev.tsv`), shipped as a
/// resource of this product so a test finds it wherever the package is checked out.
public enum SampleRelease {
    /// The release's language folder (the one holding `clips/` and the TSV files), for
    /// `PipelineInput.commonVoice(path:split:)` or `CommonVoiceRelease(path:)`.
    public static var path: String {
        Bundle.module.resourceURL!.appendingPathComponent("commonvoice-sample/en").path
    }

    /// The clips, sorted by file name.
    public static var clips: [String] {
        let folder = path + "/clips"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(".mp3") }.sorted().map { "\(folder)/\($0)" }
    }

    /// The path of one clip.
    /// - Parameter name: A file name in `clips/`, such as `common_voice_en_40000001.mp3`.
    /// - Returns: Its absolute path.
    public static func clip(_ name: String) -> String { "\(path)/clips/\(name)" }
}
