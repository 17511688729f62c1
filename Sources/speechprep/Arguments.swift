public import ArgumentParser
public import SpeechPrep

// Library values as argument types: swift-argument-parser parses them when it reads the
// command line, lists their values in --help and reports a bad one as a usage error (exit 64).
// What has a grammar of its own is parsed by the library (`Shard(parsing:)` and the like) in a
// `transform:`, whose error message the parser shows.

extension Resampler.Quality: ExpressibleByArgument {
    /// A quality by name: `quick`, `medium`, `high`, `veryHigh` (also `very-high`, `vhq`).
    public init?(argument: String) {
        switch argument {
        case "very-high", "vhq": self = .veryHigh
        default: self.init(rawValue: argument)
        }
    }
}

extension AudioFileType: ExpressibleByArgument {
    /// A file type by name: `wav16`, `wav24`, `wav32Float` (also `wav32f`), `flac16`, `flac24`.
    public init?(argument: String) {
        self.init(rawValue: argument == "wav32f" ? "wav32Float" : argument)
    }
}

extension StandardNormalizer: ExpressibleByArgument {}

/// The recognisers `transcribe --engine` runs.
enum Engine: String, CaseIterable, ExpressibleByArgument {
    case pocketsphinx, command, worker, python, whisper
}

