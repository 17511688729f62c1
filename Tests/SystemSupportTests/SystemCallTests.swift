import Foundation
import SystemSupport
import Testing
import TestSupport

@Suite("SystemCall.contents")
struct SystemCallContentsTests {
    @Test("A regular file is read whole, or up to the limit")
    func regularFile() throws {
        let folder = try TemporaryDirectory(prefix: "system-call")
        let bytes = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        try Data(bytes).write(to: URL(fileURLWithPath: folder.file("data")))
        try Data().write(to: URL(fileURLWithPath: folder.file("empty")))
        #expect(SystemCall.contents(of: folder.file("data")) == bytes)
        #expect(SystemCall.contents(of: folder.file("data"), limit: 100) == Array(bytes.prefix(100)))
        #expect(SystemCall.contents(of: folder.file("empty")) == [])
        #expect(SystemCall.contents(of: folder.file("missing")) == nil)
    }

    @Test("A /proc file, whose size reads as 0, is read to its end")
    func procFile() throws {
        // The kernel's NUL-separated argv of this process.
        let cmdline = try #require(SystemCall.contents(of: "/proc/self/cmdline"))
        #expect(cmdline == Array(CommandLine.arguments.map { $0 + "\0" }.joined().utf8))
        // Longer than one 4 KiB read: every mapping of this process, one line each.
        let maps = String(decoding: try #require(SystemCall.contents(of: "/proc/self/maps")), as: UTF8.self)
        #expect(maps.utf8.count > 4_096 && maps.hasSuffix("\n"))
        #expect(maps.split(separator: "\n").allSatisfy { $0.split(separator: " ").first?.contains("-") == true })
        #expect(SystemCall.contents(of: "/proc/self/maps", limit: 5_000)?.count == 5_000)
    }
}
