import SystemPackage
import SystemSupport
import Testing

/// A domain of the tests' own, as a module declares one.
enum SampleDomain: ErrorDomain {}
typealias SampleError = DomainError<SampleDomain>

extension SampleError.Code {
    static var broken: Self { Self("broken") }
    static var missing: Self { Self("missing") }
}

/// A second domain, wrapping the first.
enum OuterDomain: ErrorDomain {}
typealias OuterError = DomainError<OuterDomain>

extension OuterError.Code {
    static var wrapped: Self { Self("wrapped") }
}

@Suite("DomainError")
struct DomainErrorTests {
    @Test("Both argument orders make the same error; about(_:) attaches the subject")
    func initialisers() {
        let first = SampleError(.broken, "the header is wrong", subject: "a.wav")
        let second = SampleError(.broken, subject: "a.wav", "the header is wrong")
        #expect(first == second)
        #expect(first.hashValue == second.hashValue)
        #expect(SampleError(.broken, "the header is wrong").about("a.wav") == first)
        #expect(first != SampleError(.missing, subject: "a.wav", "the header is wrong"))
        #expect(first.code.description == "broken")
    }

    @Test("The description says the subject once, even when the message starts with it")
    func description() {
        #expect(SampleError(.broken, subject: "a.wav", "no data").description == "a.wav: no data")
        #expect(SampleError(.broken, "no data").description == "no data")
        #expect(SampleError(.broken, subject: "a.wav", "a.wav: no data").description == "a.wav: no data")
    }

    @Test("The cause is kept as a typed value, is not compared, and its Errno is found through wrapping")
    func typedCause() {
        let inner = SampleError(.broken, subject: "out/a.wav", "write failed: \(Errno.noSpace)", cause: Errno.noSpace)
        let outer = OuterError(.wrapped, subject: "out", inner.description, cause: inner)
        #expect(inner.errno == Errno.noSpace)
        #expect(outer.errno == Errno.noSpace)
        #expect((outer.cause as? SampleError)?.code == .broken)
        #expect(inner == SampleError(.broken, subject: "out/a.wav", "write failed: \(Errno.noSpace)"))
        #expect(SampleError(.missing, "gone").errno == nil)
        #expect(Errno.noSpace.description == "No space left on device")
    }
}
