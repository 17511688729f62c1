import ArgumentParser
import SpeechPrep

/// The `speechprep` command: a thin layer over the SpeechPrep library.
@main
struct SpeechPrepCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "speechprep",
        abstract: "Turn raw audio collections into clean, scored speech datasets.",
        discussion: """
            Examples:
              speechprep info clip.mp3
              speechprep transcribe Samples/commonvoice-sample/en --out out/demo
              speechprep score out/demo/results.json
              speechprep prepare cv/en --split dev --out out/dev --detach
              speechprep jobs

            Exit codes: 0 success; 1 error (bad input, I/O, settings that differ from the
            journal); 3 an item failed under --strict; 4 stopped by a signal before the end
            (rerun the same command to resume); 64 usage error.
            """,
        subcommands: [
            InfoCommand.self, ConvertCommand.self, SplitCommand.self, ImportCommand.self,
            PrepareCommand.self, TranscribeCommand.self, ScoreCommand.self, ReportCommand.self, MergeCommand.self,
            JobsCommand.self, StopCommand.self, MemCommand.self, PsCommand.self,
        ])
}
