import Foundation
import SystemSupport
import TestSupport

/// Runs the built `speechprep` binary, which SwiftPM puts next to the test bundle.
enum CLI {
    static let binary: String = {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var url = URL(fileURLWithPath: exe)
        // …/debug/SpeechPrepPackageTests.xctest (a file on Linux)
        url.deleteLastPathComponent()
        return url.appendingPathComponent("speechprep").path
    }()

    /// The bundled Common Voice sample (a resource of SpeechPrepTesting).
    static let sample = SampleRelease.path

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `speechprep arguments…` to completion (through `env`, which sets the variables).
    @discardableResult
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        let settings = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let output = try ExternalTool.run(["env"] + settings + [binary] + arguments)
        return Result(status: output.status, stdout: output.text, stderr: String(decoding: output.stderr, as: UTF8.self))
    }

    /// Starts `speechprep arguments…` without waiting (in a process group of its own, killed
    /// and reaped when the value is released); its output is discarded.
    static func start(_ arguments: [String], standardError: ChildProcess.Stream = .null) throws -> ChildProcess {
        try ChildProcess(arguments: [binary] + arguments, standardOutput: .null, standardError: standardError, stderrTailLimit: 1_000)
    }

    static func read(_ path: String) -> Data {
        Data(SystemCall.contents(of: path, limit: .max) ?? [])
    }

    static func lines(_ path: String) -> [String] {
        String(decoding: read(path), as: UTF8.self).split(separator: "\n").map(String.init)
    }
}

/// Test datasets made from the bundled sample.
enum SampleData {
    /// A folder of `copies × 12` distinct MP3 files (the sample's clips under new names), so
    /// runs last long enough to be interrupted, plus one text file posing as an MP3 (a failure
    /// every output must record the same way).
    static func audioFolder(in directory: TemporaryDirectory, copies: Int) throws -> String {
        let folder = directory.file("folder")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let clips = try FileManager.default.contentsOfDirectory(atPath: "\(CLI.sample)/clips").sorted()
        for copy in 0..<copies {
            for clip in clips {
                try FileManager.default.copyItem(
                    atPath: "\(CLI.sample)/clips/\(clip)", toPath: "\(folder)/c\(copy)_\(clip)")
            }
        }
        try Data("not audio\n".utf8).write(to: URL(fileURLWithPath: "\(folder)/c9_broken.mp3"))
        return folder
    }

    /// A copy of the sample release plus a corrupt clip, a TSV row whose clip is missing, and
    /// a text file posing as a clip — TEST copies only, never the demo sample.
    static func releaseWithBadItems(in directory: TemporaryDirectory) throws -> String {
        let release = directory.file("release")
        try FileManager.default.copyItem(atPath: CLI.sample, toPath: release)
        var good = try Data(contentsOf: URL(fileURLWithPath: "\(release)/clips/common_voice_en_40000006.mp3"))
        good.replaceSubrange(0..<min(600, good.count), with: Data(repeating: 0x55, count: min(600, good.count)))
        try Data(good.prefix(700)).write(to: URL(fileURLWithPath: "\(release)/clips/common_voice_en_90000001.mp3"))
        try Data("this is not audio\n".utf8).write(to: URL(fileURLWithPath: "\(release)/clips/common_voice_en_90000003.mp3"))
        var tsv = try String(contentsOfFile: "\(release)/dev.tsv", encoding: .utf8)
        for (number, text) in [(1, "Corrupt clip."), (2, "Missing clip."), (3, "Not audio.")] {
            tsv += "ab\tcommon_voice_en_9000000\(number).mp3\tcd\t\(text)\t\t2\t0\t\t\t\t\ten\t\n"
        }
        try tsv.write(toFile: "\(release)/dev.tsv", atomically: true, encoding: .utf8)
        return release
    }
}
