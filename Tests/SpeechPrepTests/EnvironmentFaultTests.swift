import Foundation
@testable import SpeechPrep
import SystemPackage
import Testing

/// Environment faults are told by the typed errno, not by the words of a message.
@Suite struct EnvironmentFaultTests {
    let out = "/data/out"

    @Test("A wrapped error whose root cause is ENOSPC stops the run, naming the cause")
    func typedErrnoThroughWrapping() throws {
        let journal = DatasetError(.io, subject: "\(out)/journal.jsonl", "write failed", cause: Errno.noSpace)
        let wrapped = PipelineError.wrapping(.outputFailed, journal)
        let fault = try #require(EnvironmentFault.classify(wrapped, outputDirectory: out))
        #expect(fault.code == .environmentFault)
        #expect(fault.description.contains("no space left on device"))
        #expect(fault.description.contains("free space and rerun to resume"))
        #expect(fault.errno == Errno.noSpace, "the original error is kept as the cause")
    }

    @Test("A message that merely mentions a cause, with no errno, is the item's fault")
    func wordsAloneAreNotAFault() {
        let error = DatasetError(.invalidValue, subject: "\(out)/x", "the sentence says: No space left on device")
        #expect(EnvironmentFault.classify(error, outputDirectory: out) == nil)
    }

    @Test("libsndfile's text is the one fallback")
    func libsndfileText() {
        let error = CodecError(.writeFailed, subject: "\(out)/wavs/a.wav", "System error : Read-only file system")
        #expect(EnvironmentFault.classify(error, outputDirectory: out)?.description.contains("read-only file system") == true)
    }

    @Test("EIO counts only for files in the output folder")
    func ioErrorOnlyForOutputs() {
        let input = CodecError(.readFailed, subject: "/data/in/a.wav", "could not read it", cause: Errno.ioError)
        let output = CodecError(.writeFailed, subject: "\(out)/wavs/a.wav", "could not write it", cause: Errno.ioError)
        #expect(EnvironmentFault.classify(input, outputDirectory: out) == nil)
        #expect(EnvironmentFault.classify(output, outputDirectory: out) != nil)
    }

    @Test("Foundation's POSIX errors are read by their code")
    func foundationErrors() {
        let error = PipelineError.wrapping(.outputFailed, NSError(domain: NSPOSIXErrorDomain, code: Int(EMFILE)), subject: out)
        #expect(EnvironmentFault.classify(error, outputDirectory: out)?.description.contains("ulimit -n") == true)
    }
}
