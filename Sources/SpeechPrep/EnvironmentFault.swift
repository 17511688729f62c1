#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension PipelineError.Code {
    /// The environment failed the run, not an item: the disk or the quota is full, the output's
    /// file system went read-only or reports I/O errors, the output folder may not be written,
    /// or the process or system ran out of file descriptors. The run stopped cleanly, nothing
    /// was recorded as failed because of it, and rerunning after fixing the cause resumes it.
    public static let environmentFault = Self("environmentFault")
}

/// Tells faults of the environment from faults of an item.
///
/// A clip that cannot be decoded is the item's fault: it is recorded as failed and the run
/// goes on. A full disk is not: recording every clip after it as failed would lose them (a
/// rerun skips failed items like done ones). The errors of every SpeechPrep module spell the
/// operating system's cause with `strerror` (libsndfile too: "System error : No space left on
/// device"), which is what this looks for, in the C locale's wording these processes use.
enum EnvironmentFault {
    /// A cause, what to do about it, and whether it only counts when it concerns the output
    /// folder (an unreadable *input* clip is that item's fault).
    private struct Cause {
        var code: Int32
        var advice: String
        var onlyForOutputs: Bool
    }

    private static let causes: [Cause] = [
        Cause(code: ENOSPC, advice: "free space and rerun to resume", onlyForOutputs: false),
        Cause(code: EDQUOT, advice: "free space within the disk quota and rerun to resume", onlyForOutputs: false),
        Cause(code: EROFS, advice: "make the output folder writable again and rerun to resume", onlyForOutputs: false),
        Cause(
            code: EMFILE, advice: "raise the open-file limit (ulimit -n) or use fewer workers, and rerun to resume",
            onlyForOutputs: false),
        Cause(
            code: ENFILE, advice: "wait until the system's open-file table has room, and rerun to resume",
            onlyForOutputs: false),
        Cause(code: EIO, advice: "check the disk of the output folder and rerun to resume", onlyForOutputs: true),
        Cause(code: EACCES, advice: "make the output folder writable again and rerun to resume", onlyForOutputs: true),
        Cause(code: EPERM, advice: "make the output folder writable again and rerun to resume", onlyForOutputs: true),
    ]

    /// The run-stopping error `error` stands for, or `nil` when it is the item's own fault.
    /// - Parameters:
    ///   - error: What an item, the journal or an output write threw.
    ///   - outputDirectory: The run's output folder (I/O and permission errors count only there).
    /// - Returns: A `PipelineError.Code.environmentFault` error naming the cause and what to do.
    static func classify(_ error: any Error, outputDirectory: String) -> PipelineError? {
        if let error = error as? PipelineError, error.code == .environmentFault { return error }
        let text = String(describing: error)
        for cause in causes {
            let reason = String(cString: strerror(cause.code))
            guard text.contains(reason) else { continue }
            if cause.onlyForOutputs, !concernsOutput(error, outputDirectory) { continue }
            return PipelineError(
                .environmentFault, subject: outputDirectory,
                "stopped: \(reason.lowercased()) (\(text)); nothing was recorded as failed because of it; \(cause.advice)")
        }
        return nil
    }

    /// Whether the file `error` is about lies in the output folder.
    private static func concernsOutput(_ error: any Error, _ outputDirectory: String) -> Bool {
        let subject = switch error {
        case let error as PipelineError: error.subject
        case let error as CodecError: error.subject
        case let error as DatasetError: error.subject
        default: String?.none
        }
        guard let subject else { return false }
        return subject == outputDirectory || subject.hasPrefix(outputDirectory + "/")
    }
}
