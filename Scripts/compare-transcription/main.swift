// The SpeechPrep side of Scripts/compare-transcription.sh: times PocketSphinxTranscriber on
// 16 kHz mono 16-bit WAV files and measures the memory one engine instance takes.
//
//   runner cold FILE…     per file: create an engine, read the file, transcribe (like one
//                         pocketsphinx_continuous process per file); prints seconds, then
//                         one "hyp<TAB>file<TAB>text" line per file
//   runner warm FILE…     one engine for all files; prints the decoding wall and CPU
//                         seconds only
//   runner load N         prints seconds per engine creation, averaged over N
//   runner memory N       prints the growth of RSS, anonymous RSS and file-backed RSS in
//                         KiB per engine, with N engines alive
import AudioCodec
import Foundation
import PCM
import Transcription

func now() -> Double { Date().timeIntervalSinceReferenceDate }

/// User + system CPU seconds of this process so far.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let seconds = { (t: timeval) in Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

func read(_ path: String) throws -> PCMBuffer { try AudioFile.read(path) }

/// A field of /proc/self/status in KiB (VmRSS, RssAnon, RssFile).
func statusKiB(_ field: String) -> Int {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix(field + ":") } ?? ""
    return Int(line.split(separator: " ")[1]) ?? 0
}

let arguments = Array(CommandLine.arguments.dropFirst())
let mode = arguments.first ?? ""
let rest = Array(arguments.dropFirst())
switch mode {
case "cold":
    var hypotheses: [String] = []
    let start = now()
    for file in rest {
        let engine = try PocketSphinxTranscriber()
        hypotheses.append("hyp\t\(file)\t\(try engine.transcribe(read(file)).text)")
    }
    print(now() - start)
    hypotheses.forEach { print($0) }
case "warm":
    let engine = try PocketSphinxTranscriber()
    let clips = try rest.map(read)
    let start = now(), startCPU = cpuSeconds()
    for clip in clips { _ = try engine.transcribe(clip) }
    print(now() - start, cpuSeconds() - startCPU)
case "load":
    let count = Int(rest.first ?? "") ?? 3
    let start = now()
    for _ in 0..<count { _ = try PocketSphinxTranscriber() }
    print((now() - start) / Double(count))
case "memory":
    let count = Int(rest.first ?? "") ?? 4
    _ = try PocketSphinxTranscriber()  // first use loads the shared libraries' lazy state
    let fields = ["VmRSS", "RssAnon", "RssFile"]
    let before = fields.map(statusKiB)
    var engines: [PocketSphinxTranscriber] = []
    for _ in 0..<count { engines.append(try PocketSphinxTranscriber()) }
    // A decode touches the search structures, as a working engine would.
    let clip = try PCMBuffer(format: .speech16kMono, interleaved: [Float](repeating: 0, count: 16_000))
    for engine in engines { _ = try engine.transcribe(clip) }
    let after = fields.map(statusKiB)
    print(zip(after, before).map { String(($0 - $1) / count) }.joined(separator: " "))
    withExtendedLifetime(engines) {}
default:
    FileHandle.standardError.write(Data("usage: runner cold|warm FILE… | load N | memory N\n".utf8))
    exit(64)
}
