// Harnesses for the container sniffer and the in-memory decoders (libsndfile for WAV, FLAC
// and Ogg; libmpg123 for MP3), each decoder fed mutations of a real file of its format.

@testable import AudioCodec
import PCM

let audioHarnesses: [Harness] = [
    Harness(name: "sniffer", run: fuzzSniffer),
    // The four decoders share one body; each has its own corpus of real files, so the
    // mutations start from (and mostly stay in) that format.
    Harness(name: "wav", run: { fuzzDecoder($0, name: "fuzz.wav") }),
    Harness(name: "flac", run: { fuzzDecoder($0, name: "fuzz.flac") }),
    Harness(name: "ogg", run: { fuzzDecoder($0, name: "fuzz.ogg") }),
    Harness(name: "mp3", run: { fuzzDecoder($0, name: "fuzz.mp3") }),
]

func fuzzSniffer(_ bytes: UnsafeBufferPointer<UInt8>) {
    let prefix = Array(bytes.prefix(ContainerSniffer.prefixLength))
    _ = ContainerSniffer.backend(for: prefix)
    _ = ContainerSniffer.describe(prefix)
    _ = ContainerSniffer.cutMPEGFrame(prefix)
}

/// The most frames a harness decodes from one input: a mutated header can promise hours of
/// audio, and decoding that is slow, not wrong.
let decodeLimit = 1 << 20

/// Opens the bytes, decodes up to ``decodeLimit`` frames in odd-sized steps, then seeks back
/// to the start and into the middle and reads again: every step may throw, none may crash, and
/// a decoder must never hand back more frames than asked or frames in another format.
func fuzzDecoder(_ bytes: UnsafeBufferPointer<UInt8>, name: String) {
    let file = Array(bytes)
    // ffmpeg runs as a child process: its parser is not ours, and a spawn per input is slow.
    if ContainerSniffer.backend(for: Array(file.prefix(ContainerSniffer.prefixLength))) == .ffmpeg { return }
    guard let decoder = try? AudioFile.open(bytes: file, name: name) else { return }
    defer { decoder.close() }
    let format = decoder.format
    precondition(format.channelCount > 0 && format.sampleRate > 0, "decoder opened with format \(format)")
    var decoded = 0
    func read(_ maxFrames: Int) -> Int {
        var chunk = PCMBuffer(format: format)
        guard let n = try? decoder.read(into: &chunk, maxFrames: maxFrames) else { return 0 }
        precondition(n >= 0 && n <= maxFrames && chunk.frameCount == n, "read \(n) frames, buffer holds \(chunk.frameCount), asked \(maxFrames)")
        return n
    }
    while decoded < decodeLimit {
        let n = read(4_093)
        if n == 0 { break }
        decoded += n
    }
    if (try? decoder.seek(toFrame: 0)) != nil { _ = read(1_000) }
    if let frames = decoder.frameCount, frames > 1, (try? decoder.seek(toFrame: frames / 2)) != nil { _ = read(1_000) }
    decoder.close()
    var afterClose = PCMBuffer(format: format)
    precondition((try? decoder.read(into: &afterClose, maxFrames: 1)) == nil, "read after close succeeded")
}
