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
        abstract: "Convert one audio file: sample rate, channels, WAV/FLAC sample format.",
        discussion: """
            Streams in chunks, so memory does not grow with the file; the output is written
            atomically.

            Examples:
              speechprep convert talk.mp3 talk.wav                  # 16 kHz mono 16-bit WAV
              speechprep convert talk.flac out.flac --rate 22050 --channels 2 --format flac24
            """)

    @Argument(help: "The input file.")
    var input: String

    @Argument(help: "The output file.")
    var output: String

    @Option(help: "Output sample rate in Hz (0 keeps the input's).")
    var rate: Double = 16_000

    @Option(help: "Output channels (0 keeps the input's).")
    var channels: Int = 1

    @Option(help: "Output format.")
    var format: AudioFileType = .wav16

    @Option(help: "Resampler quality.")
    var quality: Resampler.Quality = .high

    @Flag(help: "Print the conversion report as JSON.")
    var json = false

    func run() throws {
        let options = ConversionOptions(
            sampleRate: rate > 0 ? rate : nil, channelCount: channels > 0 ? channels : nil, fileType: format,
            quality: quality)
        let report: ConversionReport
        do { report = try AudioConverter.convert(from: input, to: output, options: options) } catch {
            throw fail(error)
        }
        if json {
            return try printJSON(
                ConversionJSON(
                    source: report.source.path, output: report.outputPath, sampleRate: report.outputFormat.sampleRate,
                    channelCount: report.outputFormat.channelCount, frames: report.outputFrames,
                    durationSeconds: report.outputDurationSeconds, clippedSamples: report.clippedSamples))
        }
        print(
            String(
                format: "wrote %@: %.3f s, %.0f Hz, %d channel(s), %@%@", output, report.outputDurationSeconds,
                report.outputFormat.sampleRate, report.outputFormat.channelCount, format.rawValue,
                report.clippedSamples > 0 ? ", \(report.clippedSamples) samples clipped" : ""))
    }
}

/// `ConversionReport` as JSON for scripts.
private struct ConversionJSON: Encodable {
    var source: String, output: String, sampleRate: Double, channelCount: Int, frames: Int
    var durationSeconds: Double, clippedSamples: Int
}

struct SplitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "split",
        abstract: "Cut a recording into pieces of fixed length or at silences.",
        discussion: """
            Examples:
              speechprep split lecture.mp3 --out pieces/ --length 10
              speechprep split lecture.mp3 --out pieces/ --silence --json
            """)

    @Argument(help: "The audio file to split.")
    var file: String

    @Option(name: [.customShort("o"), .long], help: "The folder for the pieces.")
    var out: String

    @Option(help: "Fixed piece length in seconds.")
    var length: Double = 10

    @Flag(help: "Cut at silences instead of at fixed lengths.")
    var silence = false

    @Flag(help: "Print the pieces as JSON.")
    var json = false

    func run() throws {
        do {
            let info = try AudioFile.info(file)
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let pieces: [SegmentRecord]
            if silence {
                pieces = try SegmentSplitter.split(
                    file: file, segmenter: SilenceSegmenter(sampleRate: info.sampleRate), outputDirectory: out)
            } else {
                pieces = try SegmentSplitter.split(
                    file: file, segmenter: FixedLengthSegmenter(sampleRate: info.sampleRate, lengthSeconds: length),
                    outputDirectory: out)
            }
            if json { return try printJSON(pieces) }
            for piece in pieces {
                print(String(format: "%@  %8.3f s  %8.3f s", piece.id, piece.offset, piece.duration))
            }
        } catch {
            throw fail(error)
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
            Audio paths are absolute paths into the release's clips/ folder (nothing is
            converted; use `speechprep prepare` for 16 kHz WAVs). The release may also be its
            downloaded archive (read in place: audio paths are then the archive's path followed
            by the member's), a Hugging Face hub copy, or a folder of .tar shards with TSVs.

            Examples:
              speechprep import commonvoice cv-corpus-17.0/en --split dev --out dev.jsonl
              speechprep import commonvoice cv-corpus-21.0-2025-03-14-yue.tar.gz --split test --out test.jsonl
              speechprep import commonvoice Samples/commonvoice-sample/en --list-splits
            """)

    @Argument(help: "The release folder holding clips/ and the TSV files, or the release archive (.tar, .tar.gz, .tar.xz, .tar.zst, .tar.bz2), or a folder of tar shards.")
    var release: String

    @Option(help: "The split to import.")
    var split: String = "validated"

    @Option(name: [.customShort("o"), .long], help: "The manifest to write (NeMo JSONL).")
    var out: String?

    @Flag(name: .customLong("list-splits"), help: "List the release's splits and exit.")
    var listSplits = false

    func validate() throws {
        guard listSplits || out != nil else { throw ValidationError("--out is required") }
    }

    func run() throws {
        do {
            let release = try CommonVoiceRelease(path: absolute(release))
            if listSplits { return print(release.splits.joined(separator: "\n")) }
            guard let out else { return }
            let count = try release.writeManifest(split: split, to: out)
            print("wrote \(count) entries to \(out)")
        } catch {
            throw fail(error)
        }
    }
}
