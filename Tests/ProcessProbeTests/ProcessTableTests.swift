import Foundation
import ProcessProbe
import SystemPackage
import SystemSupport
import Testing
import TestSupport

/// A child process started for a test, in a process group of its own that is killed (a
/// shell's `sleep` too) and reaped when the value goes away.
private func startChild(_ arguments: [String]) throws -> ChildProcess {
    try ChildProcess(arguments: arguments, standardOutput: .null, standardError: .null)
}

/// Polls until `condition` holds or two seconds pass.
private func eventually(_ condition: () -> Bool) -> Bool {
    for _ in 0..<200 {
        if condition() { return true }
        usleep(10_000)
    }
    return condition()
}

/// What `ps -o pid,ppid,user,stat,vsz,rss,comm,args` prints for one process.
private func psFields(_ pid: Int32) throws -> [String]? {
    let output = try ExternalTool.run([
        "ps", "-o", "pid=,ppid=,user:32=,stat=,vsz=,rss=,comm=,args=", "-p", String(pid),
    ]).text
    guard let line = output.split(separator: "\n").first else { return nil }
    var fields = line.split(separator: " ", maxSplits: 7, omittingEmptySubsequences: true).map(String.init)
    if fields.count == 8 { fields[7] = fields[7].trimmingCharacters(in: .whitespaces) }
    return fields
}

/// Our record printed in the same columns.
private func ourFields(_ record: ProcessRecord) -> [String] {
    [
        String(record.pid), String(record.ppid), record.user, record.stat, String(record.vszKiB),
        String(record.rssKiB), record.command,
        record.commandLine + (record.state == .zombie ? " <defunct>" : ""),
    ]
}

@Suite struct ProcessTableTests {
    let probe = ProcFS()

    @Test func agreesWithPsOnEveryField() throws {
        let sleeper = try startChild(["sleep", "301"])
        let shell = try startChild(["sh", "-c", "sleep 302; echo done"])
        // procps shows a newline in an argument as a space and other control bytes as '?'.
        let odd = try startChild(["sh", "-c", "sleep 306", "a\tb\u{01}c\rd\u{7F}e\nf#é"])
        for (pid, name) in [(sleeper.pid, "sleep"), (shell.pid, "sh"), (odd.pid, "sh")] {
            #expect(eventually { probe.record(pid: pid)?.command == name })
            usleep(50_000)  // let exec and the dynamic loader settle RSS
            let theirs = try #require(try psFields(pid))
            let ours = try #require(probe.record(pid: pid))
            #expect(ourFields(ours) == theirs)
        }
    }

    @Test func findsStopsContinuesAndKillsASleepChild() throws {
        let child = try startChild(["sleep", "303.25"])
        let pid = child.pid
        #expect(eventually { (try? probe.find(named: "^sleep$").contains { $0.pid == pid }) == true })
        let byLine = try probe.find(named: "sleep 303\\.25", fullCommandLine: true)
        #expect(byLine.map(\.pid) == [pid])
        #expect(byLine.first?.arguments?.last == "303.25")
        #expect(try probe.find(named: "sleep 303\\.25").isEmpty)  // names never hold arguments

        try probe.signal(.stop, to: pid)
        #expect(eventually { probe.record(pid: pid)?.state == .stopped })
        #expect(try psFields(pid)?[3].first == "T")
        try probe.signal(.continue, to: pid)
        #expect(eventually { probe.record(pid: pid)?.state == .sleeping })
        try probe.signal(.kill, to: pid)
        #expect(child.wait() == .signalled(SIGKILL))
        #expect(eventually { probe.record(pid: pid) == nil })
    }

    @Test func signallingAMissingProcessIsATypedError() {
        #expect(throws: ProbeError.self) { try probe.signal(.terminate, to: Int32.max) }
        do {
            try probe.signal(.hangup, to: Int32.max)
        } catch {
            #expect(error.code == .noSuchProcess)
            #expect(error.errno == Errno.noSuchProcess)
            #expect(error.description.contains("\(Int32.max)"))
        }
    }

    @Test func rejectsAnInvalidPattern() {
        #expect { try probe.find(named: "sleep(") } throws: { ($0 as? ProbeError)?.code == .invalidPattern }
    }

    @Test func neverFindsTheCaller() throws {
        let me = ProcessInfo.processInfo.processIdentifier
        let all = try probe.find(named: ".", fullCommandLine: true)
        #expect(!all.isEmpty)
        #expect(!all.contains { $0.pid == me })
    }

    @Test func anUnreapedChildIsAZombie() throws {
        // `sleep 0` exits at once; its parent becomes `sleep 30` by exec, which never reaps.
        let parent = try startChild(["sh", "-c", "sleep 0 & exec sleep 304"])
        var zombie: ProcessRecord?
        #expect(eventually {
            zombie = (try? probe.snapshot())?.first { $0.ppid == parent.pid && $0.state == .zombie }
            return zombie != nil
        })
        let record = try #require(zombie)
        #expect(record.commandLine == "[sleep]")
        #expect(try psFields(record.pid) == ourFields(record))
    }

    @Test func aThreadedChildShowsTheMultiThreadedFlag() throws {
        let script = "import threading, time\nfor _ in range(3): threading.Thread(target=time.sleep, args=(305,), daemon=True).start()\ntime.sleep(305)"
        let child = try startChild(["/usr/bin/python3", "-c", script])
        #expect(eventually { probe.record(pid: child.pid)?.threadCount == 4 })
        let record = try #require(probe.record(pid: child.pid))
        #expect(record.flags.contains(.multiThreaded))
        #expect(record.stat.contains("l"))
        // The state letter changes while the child is scheduled; compare two reads made
        // together, until both see it settled.
        #expect(eventually { (try? psFields(child.pid))?[3] == probe.record(pid: child.pid)?.stat })
    }

    @Test func snapshotNeverThrowsWhileProcessesComeAndGo() throws {
        let churn = try startChild(["sh", "-c", "i=0; while [ $i -lt 300 ]; do /bin/true & i=$((i+1)); done; wait"])
        var seen = 0
        for _ in 0..<40 {
            let table = try probe.snapshot()
            #expect(table.count > 1)
            #expect(table.map(\.pid) == table.map(\.pid).sorted())
            seen += table.filter { $0.ppid == churn.pid }.count
        }
        #expect(try probe.snapshot().contains { $0.pid == 1 })
        _ = seen
    }

    @Test func kernelThreadsAreBracketed() throws {
        let table = try probe.snapshot()
        let kthreadd = table.first { $0.pid == 2 }
        if let kthreadd { #expect(kthreadd.commandLine == "[kthreadd]") }
        #expect(table.allSatisfy { $0.user.isEmpty == false })
    }
}

@Suite struct MemoryWatchTests {
    @Test func tracksAChildsResidentMemoryAndPeak() throws {
        let script = "import time\nblock = bytearray(64 * 1024 * 1024)\ntime.sleep(0.4)\ndel block\ntime.sleep(30)"
        let child = try startChild(["/usr/bin/python3", "-c", script])
        let watch = MemoryWatch(pid: child.pid, intervalMilliseconds: 20)
        #expect(eventually { watch.reading.peakRSSBytes > 64 << 20 })
        let reading = watch.stop()
        #expect(reading.sampleCount >= 1)
        #expect(try #require(reading.highWaterMarkBytes) >= reading.peakRSSBytes)
        kill(child.pid, SIGKILL)
        child.wait()
    }

    @Test func notesWhenTheProcessIsGone() throws {
        let child = try startChild(["sleep", "0.05"])
        let watch = MemoryWatch(pid: child.pid, intervalMilliseconds: 10)
        child.wait()
        #expect(eventually { watch.reading.processExited })
        #expect(watch.reading.currentRSSBytes == nil)
    }
}

@Suite struct PsTableTests {
    @Test func rendersPsAuxColumnsAndSorts() throws {
        let table = try ProcFS().snapshot()
        let sorted = PsTable.sorted(table, by: .rss, descending: true)
        #expect(zip(sorted, sorted.dropFirst()).allSatisfy { $0.rssKiB >= $1.rssKiB })
        let text = PsTable.render(sorted)
        let lines = text.split(separator: "\n")
        #expect(lines.first?.hasPrefix("USER       PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND") == true)
        #expect(lines.count == table.count + 1)
        let parsed = try #require(PsTable.SortKey.parse("-rss"))
        #expect(parsed.key == .rss && parsed.descending)
        #expect(PsTable.SortKey.parse("%cpu")?.key == .pcpu)
        #expect(PsTable.SortKey.parse("bogus") == nil)
    }

    @Test func argumentsRoundTripThroughTheRecord() {
        var record = ProcessRecord(
            pid: 7, ppid: 1, uid: 0, user: "root", state: .sleeping, flags: [], nice: 0, threadCount: 1,
            processGroup: 7, session: 7, cpuPercent: 0, memPercent: 0, vszKiB: 0, rssKiB: 0, tty: nil,
            start: Date(), cpuTime: .zero, command: "tool", arguments: ["tool", "", "a b\nc"])
        #expect(record.arguments == ["tool", "", "a b\nc"])
        #expect(record.commandLine == "tool  a b c")
        record.arguments = []
        #expect(record.commandLine == "[tool]")
        record.arguments = nil
        #expect(record.arguments == nil)
    }

    @Test func stateLettersHaveMeanings() {
        for letter in "RSDTtZIX" {
            #expect(!ProcessState(rawValue: letter).meaning.hasPrefix("unknown"))
        }
        #expect(ProcessFlags([.highPriority, .sessionLeader, .multiThreaded, .foreground]).letters == "<sl+")
    }
}
