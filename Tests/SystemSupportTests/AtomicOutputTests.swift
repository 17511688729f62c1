import Foundation
import SystemPackage
import SystemSupport
import Testing
import TestSupport

/// Writes text through the output's descriptor.
private func write(_ text: String, to output: AtomicOutput) throws {
    try Array(text.utf8).withUnsafeBytes { bytes in Result { () throws(Errno) in try output.write(bytes) } }.get()
}

@Suite("AtomicOutput")
struct AtomicOutputTests {
    @Test("The temporary file is a leftover of its final name until it is committed", arguments: [OutputDurability.synced, .deferred])
    func commitRenames(durability: OutputDurability) throws {
        let folder = try TemporaryDirectory(prefix: "atomic-output")
        let output = try AtomicOutput(path: folder.file("results.v2.json"))
        let temporary = try #require(output.temporaryPath.split(separator: "/").last.map(String.init))
        #expect(AtomicOutput.isLeftover(temporary))
        #expect(AtomicOutput.leftoverTarget(temporary) == "results.v2.json")
        try write("{}\n", to: output)
        #expect(!FileManager.default.fileExists(atPath: folder.file("results.v2.json")), "nothing appears before commit")
        try output.commit(durability)
        #expect(try String(contentsOfFile: folder.file("results.v2.json"), encoding: .utf8) == "{}\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["results.v2.json"])
        let mode = try FileManager.default.attributesOfItem(atPath: folder.file("results.v2.json"))[.posixPermissions] as? Int
        #expect(mode == 0o666 & ~(try processUmask()), "a new file's usual permissions, not mkstemp's 0600")
    }

    /// The process umask, read from `/proc/self/status` without changing it. Reading it with
    /// `umask(0)` and setting it back would let every file another test creates in that moment
    /// (the suites run in parallel, in one process) get `0666`.
    private func processUmask() throws -> Int {
        let status = String(decoding: try #require(SystemCall.contents(of: "/proc/self/status")), as: UTF8.self)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("Umask:") })
        return try #require(Int(line.dropFirst("Umask:".count).trimmingCharacters(in: .whitespaces), radix: 8))
    }

    @Test("A file written past several writeback steps (8 MiB each) commits whole", arguments: [OutputDurability.synced, .deferred])
    func largeFileCommitsWhole(durability: OutputDurability) throws {
        let folder = try TemporaryDirectory(prefix: "atomic-output")
        let output = try AtomicOutput(path: folder.file("large.bin"))
        var expected = Data()
        for piece in 0..<21 {  // 21 MiB in pieces of 1 MiB less a byte: steps fall inside pieces
            let bytes = [UInt8](repeating: UInt8(piece + 1), count: (1 << 20) - 1)
            try bytes.withUnsafeBytes { bytes in Result { () throws(Errno) in try output.write(bytes) } }.get()
            expected.append(contentsOf: bytes)
        }
        try output.commit(durability)
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder.file("large.bin"))) == expected)
    }

    @Test("Released without a commit, nothing is left and the destination is untouched")
    func discardLeavesNothing() throws {
        let folder = try TemporaryDirectory(prefix: "atomic-output")
        try Data("old".utf8).write(to: URL(fileURLWithPath: folder.file("keep.txt")))
        do {
            let output = try AtomicOutput(path: folder.file("keep.txt"))
            try write("new", to: output)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["keep.txt"])
        #expect(try String(contentsOfFile: folder.file("keep.txt"), encoding: .utf8) == "old")
    }

    @Test("Only the writer's own temporary names are leftovers")
    func leftoverNames() {
        #expect(AtomicOutput.leftoverTarget(".a.wav.Xy12Zq.partial") == "a.wav")
        for name in ["a.wav", ".hidden", ".partial", "..partial", "a.wav.Xy12Zq.partial", ".journal.jsonl"] {
            #expect(!AtomicOutput.isLeftover(name), "\(name)")
        }
    }

    @Test("A missing folder is the typed Errno of open")
    func missingFolder() {
        #expect(throws: Errno.noSuchFileOrDirectory) { try AtomicOutput(path: "/nonexistent-speechprep-folder/out.wav") }
    }
}
