import Foundation
import ProcessProbe
import Testing
import TestSupport

/// The numbers of one `free` table line (after its label).
private func freeLine(_ output: String, _ label: String) -> [String] {
    let line = output.split(separator: "\n").first { $0.hasPrefix(label) } ?? ""
    return line.split(separator: " ").dropFirst().map(String.init)
}

@Suite struct SystemMemoryTests {
    let probe = ProcFS()

    @Test func matchesFreeBytesReadAtTheSameMoment() throws {
        let before = try probe.systemMemory()
        let free = try ExternalTool.run(["free", "-b"]).text
        let after = try probe.systemMemory()
        let mem = freeLine(free, "Mem:").compactMap(Int.init)
        let swap = freeLine(free, "Swap:").compactMap(Int.init)
        try #require(mem.count == 6 && swap.count == 3)
        // Totals never move: exact.
        #expect(mem[0] == before.totalBytes)
        #expect(swap[0] == before.swapTotalBytes)
        // Others move while eight builds run: free's value must lie between our two reads,
        // give or take 32 MiB.
        let tolerance = 32 << 20
        let fields: [(Int, KeyPath<SystemMemory, Int>)] = [
            (mem[1], \.usedBytes), (mem[2], \.freeBytes), (mem[3], \.sharedBytes), (mem[4], \.buffCacheBytes),
            (mem[5], \.availableBytes), (swap[1], \.swapUsedBytes), (swap[2], \.swapFreeBytes),
        ]
        for (theirs, path) in fields {
            let low = min(before[keyPath: path], after[keyPath: path]) - tolerance
            let high = max(before[keyPath: path], after[keyPath: path]) + tolerance
            #expect((low...high).contains(theirs), "\(path): free says \(theirs), we read \(before[keyPath: path])")
        }
        #expect(before.usedBytes == before.totalBytes - before.availableBytes)
    }

    @Test func followsProcps4RulesAndKeepsTheLegacyUsed() {
        var values = MeminfoValues()
        values.total = 1000
        values.free = 100
        values.available = 600
        values.buffers = 50
        values.cached = 200
        values.slabReclaimable = 30
        values.shared = 7
        values.swapTotal = 500
        values.swapFree = 400
        let memory = SystemMemory(meminfo: values)
        #expect(memory.usedBytes == 400 * 1024)
        #expect(memory.legacyUsedBytes == (1000 - 100 - 230 - 50) * 1024)
        #expect(memory.buffCacheBytes == 280 * 1024)
        #expect(memory.swapUsedBytes == 100 * 1024)
        #expect(memory.isSwapInUse)
        #expect(memory.isAvailable(below: 61) && !memory.isAvailable(below: 60))
        #expect(memory.kernelReportsAvailable)
    }

    @Test(arguments: [nil, 5000] as [Int?])
    func fallsBackToFreeWhenAvailableIsMissingOrImpossible(available: Int?) {
        var values = MeminfoValues()
        values.total = 1000
        values.free = 300
        values.available = available
        let memory = SystemMemory(meminfo: values)
        #expect(memory.availableBytes == 300 * 1024)
        #expect(memory.usedBytes == 700 * 1024)
        #expect(memory.kernelReportsAvailable == (available != nil))
    }

    @Test(arguments: [
        (FreeTable.Unit.bytes, "-b"), (.kibibytes, "-k"), (.mebibytes, "-m"), (.gibibytes, "-g"), (.human, "-h"),
    ])
    func rendersLikeFree(unit: FreeTable.Unit, flag: String) throws {
        let memory = try probe.systemMemory()
        let free = try ExternalTool.run(["free", flag]).text
        let ours = FreeTable.render(memory, unit: unit)
        let theirLines = free.split(separator: "\n")
        let ourLines = ours.split(separator: "\n")
        #expect(ourLines[0] == theirLines[0])
        // The total and the swap line do not move between the two reads.
        #expect(freeLine(ours, "Mem:").first == freeLine(free, "Mem:").first)
        #expect(ourLines.first { $0.hasPrefix("Swap:") } == theirLines.first { $0.hasPrefix("Swap:") })
        #expect(ourLines[1].count == theirLines[1].count || unit == .human)
    }

    @Test(arguments: [
        (0, "0B"), (999, "999B"), (1000, "1.0Ki"), (10_000, "9.8Ki"), (9_084_928, "8.7Mi"),
        (347_262_976, "331Mi"), (25_276_502_016, "23Gi"), (1_073_741_824, "1.0Gi"),
    ])
    func humanUnitsFollowScaleSize(bytes: Int, expected: String) {
        #expect(FreeTable.format(bytes, unit: .human) == expected)
    }

    @Test func aLimitedCgroupAddsALine() {
        var values = MeminfoValues()
        values.total = 4 << 20
        values.free = 1 << 20
        values.available = 2 << 20
        let memory = SystemMemory(meminfo: values)
        let limited = CgroupMemory(
            version: .v2, directory: "/sys/fs/cgroup/job", limitBytes: 2 << 30, usageBytes: 1 << 30,
            peakBytes: 3 << 29)
        let text = FreeTable.render(memory, unit: .human, cgroup: limited)
        #expect(text.hasSuffix("Cgroup: limit 2.0Gi, usage 1.0Gi, peak 1.5Gi\n"))
        let unlimited = CgroupMemory(version: .v2, directory: "/sys/fs/cgroup", usageBytes: 1 << 30)
        #expect(!FreeTable.render(memory, cgroup: unlimited).contains("Cgroup"))
    }

    @Test func cgroupFiguresMatchTheFiles() throws {
        guard let cgroup = probe.cgroupMemory() else { return }
        let limitFile = cgroup.version == .v2 ? "memory.max" : "memory.limit_in_bytes"
        if let text = try? String(contentsOfFile: "\(cgroup.directory)/\(limitFile)", encoding: .utf8),
            let limit = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)), limit < 1 << 62
        {
            #expect(cgroup.limitBytes == limit)
        } else {
            #expect(cgroup.limitBytes == nil)
        }
        let usage = try #require(cgroup.usageBytes)
        #expect(usage > 0)
        if let peak = cgroup.peakBytes { #expect(peak >= usage / 2) }
    }

    @Test func selfMemoryIsPlausible() {
        let current = SelfMemory.currentRSSBytes
        #expect(current > 1 << 20)
        #expect(SelfMemory.peakRSSBytes >= current / 2)
    }
}
