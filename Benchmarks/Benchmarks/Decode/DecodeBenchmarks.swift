import Benchmark
import Foundation
import SpeechPrep

/// A 10-minute 44.1 kHz stereo signal as 128 kbps MP3, 16-bit WAV and FLAC, made once with
/// sox and lame in the system's temporary folder (the same recipe as Scripts/compare-codecs.sh).
enum DecodeInputs {
    static let folder = NSTemporaryDirectory() + "speechprep-decode-bench"
    static let wav = folder + "/ten-minutes.wav"
    static let mp3 = folder + "/ten-minutes.mp3"
    static let flac = folder + "/ten-minutes.flac"

    static let prepared: Void = {
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: wav) {
            run("sox", "-n", "-r", "44100", "-c", "2", "-b", "16", wav, "synth", "600",
                "pinknoise", "sine", "220-3520", "tremolo", "3", "gain", "-8")
        }
        if !FileManager.default.fileExists(atPath: mp3) { run("lame", "--quiet", "-b", "128", wav, mp3) }
        if !FileManager.default.fileExists(atPath: flac) { run("sox", wav, flac) }
    }()

    static func run(_ arguments: String...) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        try! process.run()
        process.waitUntilExit()
        precondition(process.terminationStatus == 0, "\(arguments[0]) failed")
    }

    /// Decodes a whole file in 64 Ki-frame chunks and returns the frame count.
    static func decode(_ path: String) throws -> Int {
        let decoder = try AudioFile.open(path)
        var chunk = PCMBuffer(format: decoder.format, frameCapacity: 65_536)
        var frames = 0
        while try decoder.read(into: &chunk, maxFrames: 65_536) > 0 {
            frames += chunk.frameCount
            chunk.removeAll()
        }
        return frames
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident],
        maxDuration: .seconds(20), maxIterations: 5)

    for (name, path) in [("MP3", DecodeInputs.mp3), ("WAV", DecodeInputs.wav), ("FLAC", DecodeInputs.flac)] {
        Benchmark("Decode 10 min 44.1 kHz stereo \(name)") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(try DecodeInputs.decode(path)) }
        } setup: {
            _ = DecodeInputs.prepared
        }
    }

    Benchmark("Convert 10 min MP3 to 16 kHz mono 16-bit WAV") { benchmark in
        let output = DecodeInputs.folder + "/converted.wav"
        for _ in benchmark.scaledIterations {
            blackHole(try AudioConverter.convert(from: DecodeInputs.mp3, to: output))
        }
    } setup: {
        _ = DecodeInputs.prepared
    }
}
