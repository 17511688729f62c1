import Foundation
import SpeechPrep
import TestSupport
import Testing

/// A mount made for one test; the test unmounts it with ``unmount()``.
final class TestMount {
    let path: String

    /// Mounts a tmpfs of `size` (e.g. `"2m"`) on `path`, which is created.
    init(tmpfsAt path: String, size: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try Self.mount(["-t", "tmpfs", "-o", "size=\(size)", "tmpfs", path])
        self.path = path
    }

    /// Bind-mounts `path` on itself, so its own mount can later be made read-only.
    init(bindingInPlace path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try Self.mount(["--bind", path, path])
        self.path = path
    }

    func remount(_ options: String) throws { try Self.mount(["-o", "remount,\(options)", path]) }

    /// Unmounts (lazily, so a file still open cannot keep it mounted).
    func unmount() { _ = try? ExternalTool.run(["umount", "-l", path]) }

    private static func mount(_ arguments: [String]) throws {
        let result = try ExternalTool.run(["mount"] + arguments)
        guard result.status == 0 else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [
                NSLocalizedDescriptionKey: "mount \(arguments.joined(separator: " ")): \(String(decoding: result.stderr, as: UTF8.self))",
            ])
        }
    }

    /// Whether this process may mount (root, outside a restricted container); the fault tests
    /// that need a small or read-only file system are skipped otherwise.
    static let permitted: Bool = {
        guard let probe = try? TemporaryDirectory(prefix: "mount-probe") else { return false }
        guard let mount = try? TestMount(tmpfsAt: probe.file("m"), size: "64k") else { return false }
        mount.unmount()
        return true
    }()
}

/// Faults of the environment — a full disk, a folder turned read-only, no descriptors left, a
/// kill while the final files are written — stop the run without recording any item as failed
/// because of them, and a rerun resumes to byte-identical outputs.
@Suite(.serialized) struct FaultTests {
    static let arguments = ["--workers", "2", "--rate", "48000", "-q"]

    /// A dataset of 24 clips + 1 broken file and an undisturbed run of it.
    struct Dataset {
        let directory: TemporaryDirectory
        let folder: String
        let reference: String

        init() throws {
            directory = try TemporaryDirectory(prefix: "faults")
            folder = try SampleData.audioFolder(in: directory, copies: 2)
            reference = directory.file("reference")
            let clean = try CLI.run(["prepare", folder, "--out", reference] + FaultTests.arguments)
            #expect(clean.status == 0, "\(clean.stderr)")
        }

        func prepare(into out: String) throws -> CLI.Result {
            try CLI.run(["prepare", folder, "--out", out] + FaultTests.arguments)
        }

        /// Every line of the journal parses, and the only failed item is the broken file.
        func expectJournalIntact(_ out: String) throws {
            let lines = CLI.lines("\(out)/journal.jsonl")
            for line in lines.dropFirst() {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                if let error = object["error"] as? String {
                    #expect(object["id"] as? String == "c9_broken", "recorded as failed: \(error)")
                }
            }
        }

        /// The outputs equal the undisturbed run's, WAV for WAV, with no temporary file left.
        func expectSameAsReference(_ out: String) throws {
            for name in ["manifest.jsonl", "failures.jsonl"] {
                #expect(CLI.read("\(out)/\(name)") == CLI.read("\(reference)/\(name)"), "\(name) differs")
            }
            let wavs = try FileManager.default.contentsOfDirectory(atPath: "\(out)/wavs").sorted()
            #expect(wavs == (try FileManager.default.contentsOfDirectory(atPath: "\(reference)/wavs").sorted()))
            for wav in wavs {
                #expect(CLI.read("\(out)/wavs/\(wav)") == CLI.read("\(reference)/wavs/\(wav)"), "\(wav) differs")
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasPrefix(".") }.isEmpty)
        }
    }

    @Test(.enabled(if: TestMount.permitted, "needs root to mount a tmpfs"))
    func aFullDiskStopsTheRunAndAResumeAfterFreeingSpaceCompletesIt() throws {
        let data = try Dataset()
        let disk = try TestMount(tmpfsAt: data.directory.file("disk"), size: "2m")  // room for ~5 of 24 WAVs
        defer { withExtendedLifetime(data) { disk.unmount() } }
        let out = "\(disk.path)/out"
        let full = try data.prepare(into: out)
        #expect(full.status == 5, "\(full.stderr)")
        #expect(full.stderr.contains("no space left on device"))
        #expect(full.stderr.contains("free space and rerun to resume"))
        try data.expectJournalIntact(out)
        #expect(CLI.lines("\(out)/journal.jsonl").count < 25, "the disk cannot hold every WAV")

        try disk.remount("size=64m")
        let resumed = try data.prepare(into: out)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        try data.expectSameAsReference(out)
    }

    @Test(.enabled(if: TestMount.permitted, "needs root to bind-mount a folder read-only"))
    func aFolderMadeReadOnlyMidRunStopsTheRun() throws {
        let data = try Dataset()
        let out = data.directory.file("out")
        let wavs = try TestMount(bindingInPlace: "\(out)/wavs")
        defer { withExtendedLifetime(data) { wavs.unmount() } }
        let process = try CLI.start(["prepare", data.folder, "--out", out, "--workers", "1", "--rate", "48000", "-q"], standardError: .pipe)
        // Once a few WAVs are written, turn the folder read-only. The kernel refuses (EBUSY)
        // while a file there is open for writing, so freeze the run, and remount only at a moment
        // when none of its descriptors is in the folder; otherwise let it go on a little and retry.
        // (Retrying without freezing lost the race on a loaded machine: the run ended first.)
        let deadline = Date().addingTimeInterval(60)
        while (try? FileManager.default.contentsOfDirectory(atPath: wavs.path).count(where: { !$0.hasPrefix(".") })) ?? 0 < 3,
            Date() < deadline
        {
            usleep(5_000)
        }
        let pid = process.pid
        var remounted = false
        while !remounted, !process.hasExited, Date() < deadline {
            kill(pid, SIGSTOP)
            let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []
            let writing = descriptors.contains { fd in
                ((try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\(fd)")) ?? "")
                    .hasPrefix(wavs.path + "/")
            }
            if !writing { remounted = (try? wavs.remount("bind,ro")) != nil }
            kill(pid, SIGCONT)
            if !remounted { usleep(500) }
        }
        #expect(remounted, "the run ended before the folder could be made read-only")
        let status = process.wait()
        let stderr = process.stderrTail.joined(separator: "\n")
        #expect(status == .exited(5), "\(stderr)")
        #expect(stderr.contains("read-only file system"))
        #expect(stderr.contains("rerun to resume"))
        try data.expectJournalIntact(out)

        try wavs.remount("bind,rw")
        let resumed = try data.prepare(into: out)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        try data.expectSameAsReference(out)
    }

    @Test func runningOutOfDescriptorsStopsTheRun() throws {
        let data = try Dataset()
        let out = data.directory.file("out")
        // 16 descriptors: enough to start, not enough for four workers' files.
        let limited = try ExternalTool.run(
            ["bash", "-c", "ulimit -n 16; exec \"$0\" \"$@\"", CLI.binary, "prepare", data.folder, "--out", out,
             "--workers", "4", "--rate", "48000", "-q"])
        let stderr = String(decoding: limited.stderr, as: UTF8.self)
        #expect(limited.status == 5, "\(stderr)")
        #expect(stderr.contains("too many open files"))
        #expect(stderr.contains("ulimit -n"))
        try data.expectJournalIntact(out)

        let resumed = try data.prepare(into: out)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        try data.expectSameAsReference(out)
    }

    @Test func aKillWhileTheFinalFilesAreWrittenResumesByteIdentically() throws {
        let data = try Dataset()
        var caught = 0
        for attempt in 0..<10 where caught == 0 {
            let out = data.directory.file("killed-\(attempt)")
            let process = try CLI.start(["prepare", data.folder, "--out", out] + Self.arguments)
            // The final files are written to hidden temporary files and renamed: kill as soon
            // as one of them shows up.
            while !process.hasExited {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []
                let finalNames: Set<String?> = ["manifest.jsonl", "failures.jsonl"]
                if names.contains(where: { finalNames.contains(AtomicOutput.leftoverTarget($0)) }) {
                    kill(process.pid, SIGKILL)
                    caught += 1
                    break
                }
            }
            let ending = process.wait()
            guard caught > 0 else { continue }
            #expect(ending == .signalled(SIGKILL))
            try data.expectJournalIntact(out)
            let resumed = try data.prepare(into: out)
            #expect(resumed.status == 0, "\(resumed.stderr)")
            try data.expectSameAsReference(out)
        }
        #expect(caught == 1, "no kill landed in the final writing in 10 attempts")
    }

    @Test(.enabled(if: TestMount.permitted, "needs root to mount a tmpfs"))
    func aJournalWriteCutShortByAFullDiskIsCutBackToTheLastWholeRecord() throws {
        let directory = try TemporaryDirectory(prefix: "journal-full")
        let disk = try TestMount(tmpfsAt: directory.file("disk"), size: "64k")
        defer { withExtendedLifetime(directory) { disk.unmount() } }
        let path = "\(disk.path)/journal.jsonl"
        func size() throws -> Int { try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) }
        func record(_ id: String, _ truth: String) -> TranscriptRecord {
            TranscriptRecord(id: id, truth: truth, asr: nil, duration: 1, engine: nil, error: nil)
        }
        let journal = try CheckpointJournal(path: path, configuration: ["run": "1"], syncInterval: 1)
        try journal.append(record("a", "first"))
        let whole = try size()
        // Bigger than the room left: the write stops short, then fails with ENOSPC.
        #expect(throws: DatasetError.self) { try journal.append(record("b", String(repeating: "x", count: 200_000))) }
        #expect(try size() == whole, "the torn record was cut back")
        #expect(!journal.contains("b"))
        // The next record follows the last whole one, and the journal reopens intact.
        try journal.append(record("c", "third"))
        let reopened = try CheckpointJournal(path: path, configuration: ["run": "1"])
        #expect(reopened.recoveredBytes == 0)
        #expect(try reopened.completedIDs == ["a", "c"])
        #expect(try reopened.record(for: "c")?.truth == "third")
    }
}
