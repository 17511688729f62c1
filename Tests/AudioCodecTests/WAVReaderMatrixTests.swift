import AudioCodec
import Foundation
import PCM
import Testing
import TestSupport

/// Every WAV the encoder writes must open in every common reader: Python's `wave`,
/// pocketsphinx, soxi, ffprobe, libsndfile and a Kaldi-style strict header check.
@Suite("WAV output opens in every common reader")
struct WAVReaderMatrixTests {
    static let formats: [(AudioFileType, AudioFormat)] = [
        (.wav16, .speech16kMono), (.wav24, .speech16kMono), (.wav32Float, .speech16kMono),
        (.wav16, try! AudioFormat(sampleRate: 44_100, channelCount: 2)),
        (.wav24, try! AudioFormat(sampleRate: 48_000, channelCount: 1)),
        (.wav32Float, try! AudioFormat(sampleRate: 22_050, channelCount: 6)),
    ]

    @Test("Canonical header, streamed in uneven writes; frames agree in every reader", arguments: 0..<formats.count)
    func matrix(index: Int) throws {
        let (type, format) = Self.formats[index]
        let folder = try TemporaryDirectory()
        let output = folder.file("out.wav")
        // An odd frame count, so 24-bit mono needs the pad byte.
        let frames = 16_001
        var random = SeededRandom(seed: UInt64(index))
        let samples = (0..<frames * format.channelCount).map { _ in Float.random(in: -0.9...0.9, using: &random) }
        let buffer = try PCMBuffer(format: format, interleaved: samples)
        let encoder = try SndFileEncoder(path: output, format: format, fileType: type)
        var start = 0
        while start < frames {
            let end = min(frames, start + 1_234)
            try encoder.write(buffer.frames(start..<end))
            start = end
        }
        try encoder.finish()
        #expect(WAVReaders.problems(output, frames: frames) == [])
        let layout = try WAVReaders.strictLayout(output)
        #expect(layout == WAVReaders.Layout(
            formatTag: type == .wav32Float ? 3 : 1, channelCount: format.channelCount, sampleRate: Int(format.sampleRate),
            bitDepth: type.bitDepth, frameCount: frames))
        let dataBytes = frames * format.channelCount * type.bitDepth / 8
        #expect(try Data(contentsOf: URL(fileURLWithPath: output)).count == 44 + dataBytes + dataBytes % 2)
        // What comes back is what was written, rounded to the bit depth.
        let scale = Float(1 << (type.bitDepth - 1))
        let expected = type == .wav32Float ? samples : samples.map { ($0 * scale).rounded(.toNearestOrEven) / scale }
        #expect(try AudioFile.read(output) == PCMBuffer(format: format, interleaved: expected))
    }

    @Test("16-bit mono has exactly the 44-byte header, byte for byte")
    func headerBytes() throws {
        let folder = try TemporaryDirectory()
        let output = folder.file("speech.wav")
        let encoder = try SndFileEncoder(path: output, format: .speech16kMono)
        try encoder.write(PCMBuffer(format: .speech16kMono, interleaved: [0.5, -0.5, 0]))
        try encoder.finish()
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: output)))
        let expected: [UInt8] = Array("RIFF".utf8) + [42, 0, 0, 0] + Array("WAVEfmt ".utf8) + [16, 0, 0, 0, 1, 0, 1, 0]
            + [0x80, 0x3E, 0, 0, 0, 0x7D, 0, 0, 2, 0, 16, 0] + Array("data".utf8) + [6, 0, 0, 0]
            + [0x00, 0x40, 0x00, 0xC0, 0, 0]
        #expect(bytes == expected)
    }

    @Test("An empty file is a valid 44-byte WAV")
    func empty() throws {
        let folder = try TemporaryDirectory()
        let output = folder.file("empty.wav")
        try SndFileEncoder(path: output, format: .speech16kMono).finish()
        #expect(try WAVReaders.strictLayout(output).frameCount == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: output)).count == 44)
        #expect(try AudioFile.info(output).frameCount == 0)
        #expect(try Reference.soxi("-s", output) == "0")
    }
}
