import ArgumentParser
import SpeechPrep

/// The documented exit codes (Docs/CLI.md).
enum ExitCodes {
    static let failure = ExitCode(1)
    static let itemFailed = ExitCode(3)
    static let interrupted = ExitCode(4)
    static let environmentFault = ExitCode(5)
    static let outputFolderBusy = ExitCode(6)

    /// The exit code of a pipeline error.
    static func code(for error: PipelineError) -> ExitCode {
        switch error.code {
        case .itemFailed: itemFailed
        case .environmentFault: environmentFault
        case .outputFolderBusy: outputFolderBusy
        default: failure
        }
    }
}

/// Prints an error to standard error and turns it into the documented exit code.
func fail(_ error: some Error) -> ExitCode {
    printError("error: \(error)")
    if let error = error as? PipelineError { return ExitCodes.code(for: error) }
    return ExitCodes.failure
}

/// Writes a line to standard error.
func printError(_ text: String) {
    FileHandleOutput.standardError.write(text + "\n")
}
