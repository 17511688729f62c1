import ArgumentParser
import SpeechPrep

/// The documented exit codes (Docs/CLI.md), which are the library's (`Job.ExitStatus`).
enum ExitCodes {
    static let failure = ExitCode(Job.ExitStatus.failure)
    static let interrupted = ExitCode(Job.ExitStatus.interrupted)
}

/// Prints an error to standard error and turns it into the documented exit code.
func fail(_ error: some Error) -> ExitCode {
    printError("error: \(error)")
    if let error = error as? PipelineError { return ExitCode(Job.ExitStatus.of(error)) }
    return ExitCodes.failure
}

/// Writes a line to standard error.
func printError(_ text: String) {
    FileHandleOutput.standardError.write(text + "\n")
}
