// codec-harness decode FILE                               decode every frame, print the count
// codec-harness convert IN OUT [QUALITY] [half-rate]      → 16 kHz mono 16-bit WAV
import AudioCodec
import PCM
#if canImport(Glibc)
import Glibc
#endif

let arguments = CommandLine.arguments
do {
    switch arguments.dropFirst().first {
    case "decode" where arguments.count == 3:
        let decoder = try AudioFile.open(arguments[2])
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
    default:
        print("usage: codec-harness decode FILE | convert IN OUT [quick|medium|high|veryHigh] [half-rate]")
        exit(2)
    }
} catch {
    print("codec-harness: \(error)")
    exit(1)
}
