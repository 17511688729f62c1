// codec-harness decode FILE            decode every frame, print the frame count
// codec-harness convert IN OUT         MP3/WAV/… → 16 kHz mono 16-bit WAV
import AudioCodec
import PCM
#if canImport(Glibc)
import Glibc
#endif

let arguments = CommandLine.arguments
do {
    switch (arguments.count, arguments.dropFirst().first) {
    case (3, "decode"):
        let decoder = try AudioFile.open(arguments[2])
        var chunk = PCMBuffer(format: decoder.format, frameCapacity: 65_536)
        var frames = 0
        while try decoder.read(into: &chunk, maxFrames: 65_536) > 0 {
            frames += chunk.frameCount
            chunk.removeAll()
        }
        print(frames)
    case (4, "convert"):
        let report = try AudioConverter.convert(from: arguments[2], to: arguments[3])
        print(report.outputFrames)
    default:
        print("usage: codec-harness decode FILE | convert IN OUT")
        exit(2)
    }
} catch {
    print("codec-harness: \(error)")
    exit(1)
}
