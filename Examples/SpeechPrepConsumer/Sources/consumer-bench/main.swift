// A small benchmark on SpeechPrep's public API, as a downstream user would write it:
// converts the bundled sample's MP3 clips to 16 kHz mono WAV with AudioConverter, and the
// same clips with ffmpeg (one process per clip, as a script would), in the same run, and
// prints the ratio. Build it in release: `swift run -c release consumer-bench [ROUNDS]`.
import Foundation
import SpeechPrep

let rounds = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 3 : 3
let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../../Samples/commonvoice-sample/en/clips").standardized.path
let inputs = try FileManager.default.contentsOfDirectory(atPath: sample).filter { $0.hasSuffix(".mp3") }.sorted().map { "\(sample)/\($0)" }
let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("consumer-bench-\(getpid())").path
try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: scratch) }

func time(_ body: () throws -> Void) rethrows -> Double {
    let start = Date()
    try body()
    return Date().timeIntervalSince(start)
}

var ours: [Double] = [], peer: [Double] = []
let options = ConversionOptions(sampleRate: 16_000, channelCount: 1)
for _ in 0..<rounds {
    ours.append(try time {
        for (n, input) in inputs.enumerated() {
            _ = try AudioConverter.convert(from: input, to: "\(scratch)/ours-\(n).wav", options: options)
        }
    })
    peer.append(try time {
        for (n, input) in inputs.enumerated() {
            let ffmpeg = Process()
            ffmpeg.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            ffmpeg.arguments = ["ffmpeg", "-v", "error", "-y", "-i", input, "-ar", "16000", "-ac", "1", "\(scratch)/ffmpeg-\(n).wav"]
            try ffmpeg.run()
            ffmpeg.waitUntilExit()
        }
    })
}
let best = (ours.min()!, peer.min()!)
print(String(format: "%d clips × %d rounds: AudioConverter %.3f s, ffmpeg %.3f s (best round); ffmpeg/ours = %.1f×",
             inputs.count, rounds, best.0, best.1, best.1 / best.0))
