import AudioCodec
import Foundation
import Testing

/// Inputs the libFuzzer harnesses (Fuzzing/, Scripts/fuzz.sh) found, kept so the fixes stay.
@Suite("Inputs the fuzzers found")
struct FuzzRegressionTests {
    /// An ID3v2 tag (so the sniffer hands the bytes to libmpg123) followed by bytes holding no
    /// MPEG frame: libmpg123 opens the stream, then finds no format.
    static let tagWithoutFrames: [UInt8] = Array("ID3".utf8) + [3, 0, 0, 0, 0, 10] + [UInt8](repeating: 0, count: 10)
        + [UInt8](repeating: 0x55, count: 600)

    /// The process's resident memory in bytes (`/proc/self/statm`, second field, in pages).
    static func residentBytes() throws -> Int {
        let fields = try String(contentsOfFile: "/proc/self/statm", encoding: .utf8).split(separator: " ")
        return Int(fields[1])! * Int(getpagesize())
    }

    /// The mp3 harness found that a stream libmpg123 could not open leaked its handle (about
    /// 40 KB each): the decoder's initialiser threw before the object was whole, so `deinit`
    /// never ran. Under AddressSanitizer the leak checker catches a regression on one open;
    /// without it, 500 failed opens must not grow resident memory by the 20 MB they used to.
    @Test func failedMPEGOpenFreesTheDecoder() throws {
        let error = #expect(throws: CodecError.self) {
            _ = try AudioFile.open(bytes: Self.tagWithoutFrames, name: "fuzz/tag-only.mp3")
        }
        #expect(error?.code == .unrecognisedFormat)
        #expect(error.map { "\($0)" }?.contains("fuzz/tag-only.mp3") == true)
        let before = try Self.residentBytes()
        for _ in 0..<500 { _ = try? AudioFile.open(bytes: Self.tagWithoutFrames, name: "fuzz/tag-only.mp3") }
        #expect(try Self.residentBytes() - before < 4 << 20)
    }
}
