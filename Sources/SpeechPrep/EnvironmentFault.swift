import Foundation
import SystemPackage
import SystemSupport

extension PipelineError.Code {
    /// The environment failed the run, not an item: the disk or the quota is full, the output's
    /// file system went read-only or reports I/O errors, the output folder may not be written,
    /// or the process or system ran out of file descriptors. The run stopped cleanly, nothing
    /// was recorded as failed because of it, and rerunning after fixing the cause resumes it.
    public static var environmentFault: Self { Self("environmentFault") }
}

/// Tells faults of the environment from faults of an item.
///
/// A clip that cannot be decoded is the item's fault: it is recorded as failed and the run
/// goes on. A full disk is not: recording every clip after it as failed would lose them (a
/// rerun skips failed items like done ones). The errors of every SpeechPrep module keep the
/// failed system call's `Errno` as their typed cause (through any wrapping), and Foundation's
/// file errors carry a POSIX code; that is what this looks at. The one text fallback is
/// libsndfile, which reports a failed write only as text ("System error : No space left on
/// device", its `strerror` in the C locale) and keeps no errno SpeechPrep could read.
enum EnvironmentFault {
    /// A cause, what to do about it, and whether it only counts when it concerns the output
    /// folder (an unreadable *input* clip is that item's fault).
    private struct Cause {
        var errno: Errno
        var advice: String
        var onlyForOutputs: Bool
    }

    private static let causes: [Cause] = [
        Cause(errno: .noSpace, advice: "free space and rerun to resume", onlyForOutputs: false),
        Cause(errno: .diskQuotaExceeded, advice: "free space within the disk quota and rerun to resume", onlyForOutputs: false),
        Cause(errno: .readOnlyFileSystem, advice: "make the output folder writable again and rerun to resume", onlyForOutputs: false),
        Cause(
            errno: .tooManyOpenFiles, advice: "raise the open-file limit (ulimit -n) or use fewer workers, and rerun to resume",
            onlyForOutputs: false),
        Cause(
            errno: .tooManyOpenFilesInSystem, advice: "wait until the system's open-file table has room, and rerun to resume",
            onlyForOutputs: false),
        Cause(errno: .ioError, advice: "check the disk of the output folder and rerun to resume", onlyForOutputs: true),
        Cause(errno: .permissionDenied, advice: "make the output folder writable again and rerun to resume", onlyForOutputs: true),
        Cause(errno: .notPermitted, advice: "make the output folder writable again and rerun to resume", onlyForOutputs: true),
    ]

    /// The run-stopping error `error` stands for, or `nil` when it is the item's own fault.
    /// - Parameters:
    ///   - error: What an item, the journal or an output write threw.
    ///   - outputDirectory: The run's output folder (I/O and permission errors count only there).
    /// - Returns: A `PipelineError.Code.environmentFault` error naming the cause and what to do,
    ///   with `error` as its cause.
    static func classify(_ error: any Error, outputDirectory: String) -> PipelineError? {
        if let error = error as? PipelineError, error.code == .environmentFault { return error }
        guard let errno = systemErrno(of: error), let cause = causes.first(where: { $0.errno == errno }) else { return nil }
        if cause.onlyForOutputs, !concernsOutput(error, outputDirectory) { return nil }
        return PipelineError(
            .environmentFault, subject: outputDirectory,
            "stopped: \(errno.description.lowercased()) (\(error)); nothing was recorded as failed because of it; \(cause.advice)",
            cause: error)
    }

    /// The `errno` behind `error`: the typed cause found through any wrapping, a Foundation
    /// error's POSIX code, or — libsndfile's text, the one fallback — the cause it names.
    private static func systemErrno(of error: any Error) -> Errno? {
        var next: (any Error)? = error
        while let current = next {
            if let errno = current as? Errno { return errno }
            if let errno = posixCode(of: current) { return errno }
            next = (current as? any CausedError)?.cause
        }
        let text = String(describing: error)
        return causes.first { text.contains("System error : \($0.errno.description)") }?.errno
    }

    /// The POSIX code of a Foundation error (`FileManager` reports `CocoaError`s whose
    /// underlying error is in the POSIX domain).
    private static func posixCode(of error: any Error) -> Errno? {
        guard !(error is any CausedError) else { return nil }
        let bridged = error as NSError
        if bridged.domain == NSPOSIXErrorDomain { return Errno(rawValue: Int32(bridged.code)) }
        guard let underlying = bridged.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain
        else { return nil }
        return Errno(rawValue: Int32(underlying.code))
    }

    /// Whether the file `error` is about lies in the output folder.
    private static func concernsOutput(_ error: any Error, _ outputDirectory: String) -> Bool {
        guard let subject = (error as? any CausedError)?.subject else { return false }
        return subject == outputDirectory || subject.hasPrefix(outputDirectory + "/")
    }
}
