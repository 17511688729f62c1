import Foundation
import ProcessProbe
import SystemSupport
import Testing

/// Live processes in a process group (zombies and dead ones left out), read through
/// ProcessProbe. With `settle`, waits up to 5 s for SIGKILLed members to finish dying (the
/// kernel may take a moment on a loaded machine).
func livingMembers(ofGroup group: Int32, settle: Bool = false) throws -> [ProcessRecord] {
    var members: [ProcessRecord] = []
    for attempt in 0..<100 {
        members = try ProcFS().snapshot().filter { $0.processGroup == group && $0.state != .zombie && $0.state != .dead }
        if !settle || members.isEmpty || attempt == 99 { break }
        usleep(50_000)
    }
    return members
}

@Suite("ChildProcess")
struct ChildProcessTests {
    @Test("lines of standard output come back one at a time, without their newline")
    func readsLines() throws {
        let child = try ChildProcess(arguments: ["sh", "-c", "printf 'hello\\nwörld\\r\\n'; echo last"])
        #expect(try child.readLine(maxBytes: 100, timeoutSeconds: 10) == "hello")
        #expect(try child.readLine(maxBytes: 100, timeoutSeconds: 10) == "wörld\r")
        #expect(try child.readLine(maxBytes: 100, timeoutSeconds: 10) == "last")
        #expect(throws: ChildProcessError.self) { try child.readLine(maxBytes: 100, timeoutSeconds: 10) }
        #expect(child.wait() == .exited(0))
    }

    @Test("a partial last line, a line over the bound and silence are typed errors")
    func badOutput() throws {
        let partial = try ChildProcess(arguments: ["sh", "-c", "printf 'no newline'"])
        let ending = #expect(throws: ChildProcessError.self) { try partial.readLine(maxBytes: 100, timeoutSeconds: 10) }
        #expect(ending?.code == .endOfOutput)
        #expect(ending?.message.contains("no newline") == true)

        let huge = try ChildProcess(arguments: ["sh", "-c", "head -c 200000 /dev/zero | tr '\\0' x; echo"])
        let tooLong = #expect(throws: ChildProcessError.self) { try huge.readLine(maxBytes: 1_000, timeoutSeconds: 10) }
        #expect(tooLong?.code == .lineTooLong)

        let silent = try ChildProcess(arguments: ["sleep", "30"])
        let started = Date()
        let timeout = #expect(throws: ChildProcessError.self) { try silent.readLine(maxBytes: 100, timeoutSeconds: 0.3) }
        #expect(timeout?.code == .timedOut)
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(silent.terminate() == .signalled(SIGTERM))
    }

    @Test("a program that does not exist fails before anything starts")
    func missingProgram() {
        let error = #expect(throws: ChildProcessError.self) {
            try ChildProcess(arguments: ["speechprep-no-such-program-\(getpid())"])
        }
        #expect(error?.code == .notFound)
        #expect(throws: ChildProcessError.self) { try ChildProcess(arguments: ["/etc/passwd"]) }
    }

    @Test("the last standard-error lines are kept, and each line reaches the log")
    func stderrTail() throws {
        nonisolated(unsafe) var logged: [String] = []
        let child = try ChildProcess(
            arguments: ["sh", "-c", "for i in $(seq 1 50); do echo line$i >&2; done; printf unfinished >&2; exit 3"],
            stderrTailLimit: 5, stderrLine: { logged.append($0) })
        #expect(child.wait(timeoutSeconds: 10) == .exited(3))
        #expect(child.stderrTail == ["line47", "line48", "line49", "line50", "unfinished"])
        #expect(logged.count == 51)
    }

    @Test("requests written to standard input come back through a line-based child")
    func talksBothWays() throws {
        let child = try ChildProcess(arguments: ["cat"], standardInput: .pipe)
        for index in 0..<100 {
            try child.write(Array("request \(index)\n".utf8))
            #expect(try child.readLine(maxBytes: 100, timeoutSeconds: 10) == "request \(index)")
        }
        child.closeInput()
        #expect(child.wait(timeoutSeconds: 10) == .exited(0))
    }

    @Test("writing to a child that exited throws instead of killing the parent with SIGPIPE")
    func brokenPipe() throws {
        let child = try ChildProcess(arguments: ["true"], standardInput: .pipe)
        #expect(child.wait(timeoutSeconds: 10) == .exited(0))
        let error = #expect(throws: ChildProcessError.self) {
            for _ in 0..<100 { try child.write(Array(repeating: 0x41, count: 65_536)) }
        }
        #expect(error?.code == .endOfOutput)
    }

    @Test("terminate reaches the whole process group, grandchildren included")
    func terminatesGroup() throws {
        let child = try ChildProcess(arguments: ["sh", "-c", "sleep 300 & sleep 300 & echo started; wait"])
        #expect(try child.readLine(maxBytes: 100, timeoutSeconds: 10) == "started")
        #expect(try livingMembers(ofGroup: child.pid).count == 3)
        child.terminate(graceSeconds: 2)
        #expect(try livingMembers(ofGroup: child.pid, settle: true).isEmpty)
    }

    @Test("releasing a running child kills its group")
    func deinitKills() throws {
        var pid: Int32 = 0
        do {
            let child = try ChildProcess(arguments: ["sh", "-c", "sleep 300 & echo started; sleep 300"])
            _ = try child.readLine(maxBytes: 100, timeoutSeconds: 10)
            pid = child.pid
        }
        #expect(try livingMembers(ofGroup: pid, settle: true).isEmpty)
    }

    @Test("a run to the end collects output and status; a timeout kills the group")
    func runToEnd() throws {
        let done = try ChildProcess.run(["sh", "-c", "echo out; echo err >&2; exit 2"], timeoutSeconds: 10)
        #expect(done.termination == .exited(2))
        #expect(String(decoding: done.output, as: UTF8.self) == "out\n")
        #expect(done.stderrTail == ["err"])

        let started = Date()
        let slow = try ChildProcess.run(["sh", "-c", "echo partial; sleep 300"], timeoutSeconds: 0.5)
        #expect(slow.timedOut)
        #expect(slow.termination == nil)
        #expect(String(decoding: slow.output, as: UTF8.self) == "partial\n")
        #expect(Date().timeIntervalSince(started) < 5)

        // The program exits but leaves a grandchild holding its output open.
        let leaky = try ChildProcess.run(["sh", "-c", "sleep 300 & echo quick"], timeoutSeconds: 20)
        #expect(leaky.termination == .exited(0))
        #expect(!leaky.timedOut)
        #expect(Date().timeIntervalSince(started) < 10)
    }

    @Test("pipe ends are close-on-exec: another child never inherits them")
    func pipesAreNotInherited() throws {
        let holder = try ChildProcess(arguments: ["cat"], standardInput: .pipe)
        defer { holder.closeInput() }
        let holderPipes = ["/proc/\(holder.pid)/fd/0", "/proc/\(holder.pid)/fd/1", "/proc/\(holder.pid)/fd/2"]
            .compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: $0) }
        #expect(holderPipes.filter { $0.hasPrefix("pipe:") }.count == 3)
        let listing = try ChildProcess.run(["sh", "-c", "for f in /proc/$$/fd/*; do readlink $f; done"], timeoutSeconds: 10)
        let inherited = String(decoding: listing.output, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(!inherited.isEmpty)
        #expect(Set(inherited).isDisjoint(with: holderPipes), "inherited: \(inherited)")
    }

    @Test("a child with killWithParent runs under a parent-death signal")
    func parentDeathSignal() throws {
        try #require(ChildProcess.find("setpriv") != nil, "util-linux's setpriv is not installed")
        let child = try ChildProcess(arguments: ["sh", "-c", "grep -i '^SigCgt\\|^PPid' /proc/self/status; echo"], killWithParent: true)
        _ = try child.readLine(maxBytes: 1_000, timeoutSeconds: 10)
        #expect(child.wait(timeoutSeconds: 10) == .exited(0))
        // setpriv exec'd the program in place: the pid is the program's, in its own group.
        #expect(child.pid > 0)
    }

    @Test("a session child leads a new session and can be detached")
    func session() throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("cp-session-\(getpid()).log").path
        defer { unlink(log) }
        let child = try ChildProcess(
            arguments: ["sh", "-c", "ps -o sid= -p $$; echo err >&2"], standardOutput: .appendToFile(log),
            standardError: .appendToFile(log), grouping: .session, closeOtherDescriptors: true)
        let pid = child.pid
        #expect(child.wait(timeoutSeconds: 10) == .exited(0))
        let text = try String(contentsOfFile: log, encoding: .utf8)
        #expect(text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) } == ["\(pid)", "err"])
    }
}
