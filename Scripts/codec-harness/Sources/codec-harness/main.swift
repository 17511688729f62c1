// codec-harness decode FILE                               decode every frame, print the count
// codec-harness decode-mono FILE                          the same, mixed to mono by the decoder
// codec-harness convert IN OUT [QUALITY] [half-rate]      → 16 kHz mono 16-bit WAV
// codec-harness write OUT SECONDS CHANNELS                48 kHz 32-bit float WAV of a ramp
//                                                         (frame n holds (n mod 48000)/48000)
import AudioCodec
import PCM
#if canImport(Glibc)
import Glibc
#endif

let arguments = CommandLine.arguments
do {
    switch arguments.dropFirst().first {
    case "decode" where arguments.count == 3, "decode-mono" where arguments.count == 3:
        let decoder = try AudioFile.open(arguments[2], mixToMono: arguments[1] == "decode-mono")
        var chunk = PCMBuffer(format: decoder.format, frameCapacity: 65_536)
        var frames = 0
        while try decoder.read(into: &chunk, maxFrames: 65_536) > 0 {
            frames += chunk.frameCount
            chunk.removeAll()
        }
        print(frames)
    case "convert" where (4...6).contains(arguments.count):
        let quality = arguments.count > 4 ? Resampler.Quality(rawValue: arguments[4]) ?? .high : .high
        let options = ConversionOptions(quality: quality, halfRateMPEGDecoding: arguments.count > 5)
        let report = try AudioConverter.convert(from: arguments[2], to: arguments[3], options: options)
        print(report.outputFrames)
    case "write" where arguments.count == 5:
        let format = try AudioFormat(sampleRate: 48_000, channelCount: Int(arguments[4]) ?? 1)
        let encoder = try SndFileEncoder(path: arguments[2], format: format, fileType: .wav32Float)
        let second = (0..<48_000).flatMap { n in repeatElement(Float(n) / 48_000, count: format.channelCount) }
        let chunk = try PCMBuffer(format: format, interleaved: second)
        for _ in 0..<(Int(arguments[3]) ?? 1) { try encoder.write(chunk) }
        try encoder.finish()
    default:
        print("usage: codec-harness decode FILE | decode-mono FILE | convert IN OUT [quick|medium|high|veryHigh] [half-rate] | write OUT SECONDS CHANNELS")
        exit(2)
    }
} catch {
    print("codec-harness: \(error)")
    exit(1)
}
