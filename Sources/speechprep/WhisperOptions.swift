import ArgumentParser
import Transcription

/// `transcribe --engine whisper` options (faster-whisper through `WhisperFactory`).
struct WhisperOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "With --engine whisper: a faster-whisper model folder, or the name of one in the venv's models/ (default: whisper-base, installed by `make bootstrap`).",
        valueName: "dir-or-name"))
    var model: String?

    @Option(help: ArgumentHelp(
        "With --engine whisper: decode every clip in this language (a code or Common Voice locale, e.g. en, zh-HK), or auto to detect it. Default: each item's language (Common Voice: its locale), detected when it has none.",
        valueName: "xx|auto"))
    var language: String?

    @Option(name: .customLong("beam-size"), help: "With --engine whisper: the beam width.")
    var beamSize: Int = 5

    @Option(name: .customLong("compute-type"), help: ArgumentHelp(
        "With --engine whisper: the CTranslate2 compute type (int8, float32, int8_float32, …).", valueName: "type"))
    var computeType: String = "int8"

    @Option(help: "With --engine whisper: CTranslate2 threads per worker (workers × threads ≈ cores).")
    var threads: Int = 1

    /// The factory for these options.
    /// - Parameters:
    ///   - python: `--python`, or `nil` to find the Whisper venv.
    ///   - timeout: Seconds one clip may take.
    ///   - logPath: Where the workers' standard error goes.
    func factory(python: String?, timeout: Double, logPath: String) throws -> WhisperFactory {
        try WhisperFactory(
            model: model, python: python, language: language, beamSize: beamSize, computeType: computeType,
            threads: threads, clipTimeoutSeconds: timeout, logPath: logPath)
    }
}
