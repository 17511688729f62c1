import ArgumentParser
import SpeechPrep

/// The documented exit codes (Docs/CLI.md).
enum ExitCodes {
    static let failure = ExitCode(1)
    static let itemFailed = ExitCode(3)
    static let interrupted = ExitCode(4)
}

/// Prints an error to standard error and turns it into the documented exit code.
func fail(_ error: some Error) -> ExitCode {
    printError("error: \(error)")
    if let error = error as? PipelineError, error.code == .itemFailed { return ExitCodes.itemFailed }
    return ExitCodes.failure
}

/// Writes a line to standard error.
func printError(_ text: String) {
    FileHandleOutput.standardError.write(text + "\n")
}
