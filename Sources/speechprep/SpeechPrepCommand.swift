import ArgumentParser
import SpeechPrep

/// The `speechprep` command: a thin layer over the SpeechPrep library.
@main
struct SpeechPrepCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "speechprep",
        abstract: "Turn raw audio collections into clean, scored speech datasets.",
        subcommands: [MemCommand.self, PsCommand.self])
}
