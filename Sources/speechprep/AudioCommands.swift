import ArgumentParser
import Foundation
import SpeechPrep

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show the format of audio files, like soxi.",
        discussion: """
            The container is found from the file's bytes, not its extension.

            Examples:
              speechprep info clip.mp3 other.wav
              speechprep info clips/*.mp3 --json
            """)

    @Argument(help: "Audio files.")
    var files: [String]

    @Flag(help: "Print the information as JSON.")
    var json = false

    func run() throws {
        var infos: [AudioInfo] = []
        var failed = false
        for file in files {
            do { infos.append(try AudioFile.info(file)) } catch {
                printError("error: \(error)")
                failed = true
            }
        }
        if json {
            try printJSON(infos.map(InfoJSON.init))
        } else {
            for info in infos {
                print("""
                    Input File     : '\(info.path)'
                    Container      : \(info.container)
                    Codec          : \(info.codec)
                    Channels       : \(info.channelCount)
                    Sample Rate    : \(Int(info.sampleRate))
                    Precision      : \(info.bitDepth.map { "\($0)-bit" } ?? "-")
                    Duration       : \(info.durationSeconds.map(formatDuration) ?? "?") = \(info.frameCount.map(String.init) ?? "?") samples
                    File Size      : \(info.fileSize) bytes

                    """)
            }
        }
        if failed { throw ExitCodes.failure }
    }
}

/// `AudioInfo` as JSON, with stable field names for scripts.
private struct InfoJSON: Encodable {
    var path: String, container: String, codec: String
    var sampleRate: Double, channelCount: Int, frameCount: Int?, durationSeconds: Double?
    var bitDepth: Int?, fileSize: Int

    init(_ info: AudioInfo) {
        path = info.path
        container = "\(info.container)"
        codec = "\(info.codec)"
        sampleRate = info.sampleRate
        channelCount = info.channelCount
        frameCount = info.frameCount
        durationSeconds = info.durationSeconds
        bitDepth = info.bitDepth
        fileSize = Int(info.fileSize)
    }
}

struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert one audio file to mono WAV/FLAC at a sample rate.",
        discussion: """
            Streams in chunks, so memory does not grow with the file; the output is written
            atomically.

            Examples:
              speechprep convert talk.mp3 talk.wav                  # 16 kHz mono 16-bit WAV
              speechprep convert talk.flac out.flac --rate 22050 --format flac24
            """)

    @Argument(help: "The input file.")
    var input: String

    @Argument(help: "The output file.")
    var output: String

    @Option(help: "Output sample rate in Hz.")
    var rate: Double = 16_000

    @Option(help: "Output format: wav16, wav24, wav32Float, flac16, flac24.")
    var format: String = "wav16"

    @Option(help: "Resampler quality: quick, medium, high, veryHigh.")
    var quality: String = "high"

    func run() throws {
        guard let fileType = AudioFileType(name: format) else {
            throw ValidationError("--format must be wav16, wav24, wav32Float, flac16 or flac24")
        }
        guard let quality = Resampler.Quality(name: quality) else {
            throw ValidationError("--quality must be quick, medium, high or veryHigh")
        }
        do {
            let seconds = try ClipConversion.convert(
                from: input, to: output, sampleRate: rate, fileType: fileType, quality: quality)
            print(String(format: "wrote %@: %.3f s, %.0f Hz mono %@", output, seconds, rate, format))
        } catch {
            throw fail(error)
        }
    }
}

extension AudioFileType {
    init?(name: String) {
        switch name {
        case "wav16": self = .wav16
        case "wav24": self = .wav24
        case "wav32Float", "wav32f": self = .wav32Float
        case "flac16": self = .flac16
        case "flac24": self = .flac24
        default: return nil
        }
    }
}

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Turn a dataset release into a manifest.",
        subcommands: [ImportCommonVoiceCommand.self])
}

struct ImportCommonVoiceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "commonvoice",
        abstract: "Write a NeMo JSONL manifest for one split of a Common Voice release.",
        discussion: """
            Audio paths point into the release's clips/ folder (nothing is converted; use
            `speechprep prepare` for 16 kHz WAVs).

            Examples:
              speechprep import commonvoice cv-corpus-17.0/en --split dev --out dev.jsonl
              speechprep import commonvoice Samples/commonvoice-sample/en --list-splits
            """)

    @Argument(help: "The release folder holding clips/ and the TSV files.")
    var release: String

    @Option(help: "The split to import.")
    var split: String = "validated"

    @Option(name: [.customShort("o"), .long], help: "The manifest to write (NeMo JSONL).")
    var out: String?

    @Flag(name: .customLong("list-splits"), help: "List the release's splits and exit.")
    var listSplits = false

    func run() throws {
        do {
            let release = try CommonVoiceRelease(path: release)
            if listSplits { return print(release.splits.joined(separator: "\n")) }
            guard let out else { throw ValidationError("--out is required") }
            var reader = try release.reader(split: split)
            var writer = try NeMoManifestWriter(path: out)
            var count = 0
            while let entry = try reader.next() {
                try writer.write(entry)
                count += 1
            }
            try writer.finish()
            print("wrote \(count) entries to \(out)")
        } catch let error as ValidationError {
            throw error
        } catch {
            throw fail(error)
        }
    }
}
