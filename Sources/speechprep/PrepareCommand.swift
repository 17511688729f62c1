import ArgumentParser
import Foundation
import SpeechPrep

struct PrepareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prepare",
        abstract: "Convert a dataset to 16 kHz mono WAVs plus a NeMo manifest (no recogniser).",
        discussion: """
            Writes <out>/wavs/<id>.wav, <out>/manifest.jsonl and <out>/failures.jsonl.
            Rerunning the same command resumes from <out>/journal.jsonl.

            Examples:
              speechprep prepare cv/en --split dev --out out/dev
              speechprep prepare my-recordings/ --out out/rec --rate 8000 --workers 4
              speechprep prepare cv/en --split train --out out/train --detach
            """)

    @OptionGroup var options: PipelineOptions

    func run() async throws {
        var configuration = try options.configuration()
        configuration.writeAudio = true
        try await runPipeline(configuration, options: options)
    }
}

struct TranscribeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transcribe",
        abstract: "Run a recogniser over a dataset and write results JSON and a NeMo manifest.",
        discussion: """
            Writes <out>/results.json ({idx: {ID, truth, asr}}), <out>/manifest.jsonl (with
            pred_text) and <out>/failures.jsonl, then prints the WER when references exist.
            Rerunning the same command resumes; a changed engine, model, rate or normalisation
            is refused (exit 1) unless --fresh is given.

            Examples:
              speechprep transcribe Samples/commonvoice-sample/en --out out/demo
              speechprep transcribe cv/yue --split dev --out out/yue --chunk-every 3000
              speechprep transcribe data.jsonl --out out/w --engine command \\
                  --command whisper-cli --command -f --command {wav} --json-field text
              speechprep transcribe data.jsonl --out out/w --engine python --function gen_asr.py:asr
              speechprep transcribe cv/zh-HK --out out/yue --engine whisper --workers 2 --threads 1
              speechprep transcribe data.jsonl --out out/w --engine worker \\
                  --command python3 --command my_worker.py   # Docs/ENGINES.md
              sbatch --array=0-3 Docs/scale-out/slurm-array.sh   # shards + speechprep merge
            """)

    @OptionGroup var options: PipelineOptions

    @Option(help: "The recogniser: pocketsphinx (in-process), command (an external program per clip), worker (one long-lived program per worker, Docs/ENGINES.md), python (a Python function) or whisper (faster-whisper, installed by `make bootstrap`).")
    var engine: Engine = .pocketsphinx

    @Option(name: .customLong("command"), help: ArgumentHelp(
        "With --engine command or worker: one argv element of the program to run (with command, {wav} is replaced by a 16 kHz WAV of the clip). Repeat for each element.",
        valueName: "arg"))
    var commandArguments: [String] = []

    @Option(help: "With --engine python: the function to call per clip, FILE.py:NAME or module:NAME.")
    var function: String?

    @Option(help: "With --engine python or whisper: the interpreter (for example a venv's bin/python). Default: python3; for whisper, the .venv-whisper the bootstrap made.")
    var python: String?

    @OptionGroup var whisper: WhisperOptions

    @Option(name: .customLong("engine-timeout"), help: "With --engine worker, python or whisper: seconds one clip may take before the engine is killed and restarted.")
    var engineTimeout: Double = 300

    @Option(name: .customLong("json-field"), help: "With --engine command: read the transcript from this field of the program's JSON output instead of its whole output.")
    var jsonField: String?

    @Option(help: "With --engine command: seconds before a clip's program is killed.")
    var timeout: Double = 120

    @Option(name: .customLong("engine-option"), help: ArgumentHelp(
        "With --engine pocketsphinx: a decoder option NAME=VALUE (for example cmn=batch or beam=1e-60). Repeatable; recorded in the journal.",
        valueName: "name=value"), transform: { try PocketSphinxConfiguration.Option(parsing: $0) })
    var engineOptions: [PocketSphinxConfiguration.Option] = []

    @Flag(name: .customLong("write-audio"), help: "Also keep the converted WAVs in <out>/wavs.")
    var writeAudio = false

    @OptionGroup var scoring: ScoringOptions

    func validate() throws {
        if [.command, .worker].contains(engine), commandArguments.isEmpty {
            throw ValidationError("--engine \(engine.rawValue) needs --command arguments")
        }
        if engine == .python, function == nil {
            throw ValidationError("--engine python needs --function FILE.py:NAME or module:NAME")
        }
    }

    func run() async throws {
        var configuration = try options.configuration()
        configuration.writeAudio = writeAudio
        configuration.normalizer = scoring.normalizer
        let engineLog = "\(configuration.outputDirectory)/engine.log"
        switch engine {
        case .pocketsphinx:
            var pocketSphinx = PocketSphinxConfiguration.default
            engineOptions.forEach { pocketSphinx.setOption($0) }
            configuration.transcriber = PocketSphinxFactory(configuration: pocketSphinx)
        case .command:
            configuration.transcriber = CommandTranscriberFactory(
                arguments: commandArguments, timeoutSeconds: timeout, jsonField: jsonField)
        case .worker:
            configuration.transcriber = EngineWorkerFactory(
                command: commandArguments, clipTimeoutSeconds: engineTimeout, logPath: engineLog)
        case .python:
            configuration.transcriber = try PythonEngineFactory(
                function: function ?? "" /* validate() made sure */, python: python ?? "python3", clipTimeoutSeconds: engineTimeout,
                logPath: engineLog)
        case .whisper:
            configuration.transcriber = try whisper.factory(python: python, timeout: engineTimeout, logPath: engineLog)
        }
        try await runPipeline(configuration, options: options)
        guard !options.detach, !options.json, configuration.shard == nil else { return }
        let report = try TranscriptScoring.score(
            resultsFile: "\(configuration.outputDirectory)/results.json", normalizer: configuration.normalizer,
            language: whisper.language.flatMap { $0 == "auto" ? nil : $0 } ?? configuration.input.commonVoiceLocale)
        if report.utteranceCount > 0 { printScore(report) }
    }
}
