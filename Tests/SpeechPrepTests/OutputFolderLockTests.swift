import Foundation
import SpeechPrep
import TestSupport
import Testing

/// One run per output folder; shards of one job may share it.
@Suite struct OutputFolderLockTests {
    @Test func aSecondRunIsRefusedWithTheHoldersPidAndCommand() throws {
        let directory = try TemporaryDirectory(prefix: "lock")
        var first: OutputFolderLock? = try OutputFolderLock(
            directory: directory.path, shard: nil, command: ["speechprep", "prepare", "a"])
        let error = #expect(throws: PipelineError.self) {
            try OutputFolderLock(directory: directory.path, shard: nil, command: ["speechprep", "prepare", "b"])
        }
        #expect(error?.code == .outputFolderBusy)
        #expect(error?.message.contains("pid \(getpid())") == true)
        #expect(error?.message.contains("speechprep prepare a") == true)
        #expect(OutputFolderLock.holders(in: directory.path).map(\.command) == [["speechprep", "prepare", "a"]])
        #expect(first != nil)
        first = nil
        // Released with its holder: the folder is free again. The kernel drops an flock when the
        // last copy of its descriptor closes, and a child that another test is spawning at this
        // moment holds a copy between its clone and its exec (O_CLOEXEC closes it there), so
        // allow that window (seen once under ThreadSanitizer, where spawns are slow).
        var released = OutputFolderLock.holders(in: directory.path).isEmpty
        for _ in 0..<100 where !released {
            usleep(20_000)
            released = OutputFolderLock.holders(in: directory.path).isEmpty
        }
        #expect(released)
        _ = try OutputFolderLock(directory: directory.path, shard: nil)
    }

    @Test func shardsShareAFolderButNotWithAWholeRunNorTwiceTheSameShard() throws {
        let directory = try TemporaryDirectory(prefix: "lock-shards")
        var shards: [OutputFolderLock] = [
            try OutputFolderLock(directory: directory.path, shard: Shard(index: 0, count: 2)),
            try OutputFolderLock(directory: directory.path, shard: Shard(index: 1, count: 2)),
        ]
        #expect(OutputFolderLock.holders(in: directory.path).compactMap(\.shard) == ["0/2", "1/2"])
        #expect(throws: PipelineError.self) { try OutputFolderLock(directory: directory.path, shard: Shard(index: 1, count: 2)) }
        let whole = #expect(throws: PipelineError.self) { try OutputFolderLock(directory: directory.path, shard: nil) }
        #expect(whole?.message.contains("shard 0/2") == true)
        #expect(shards.count == 2)
        shards.removeAll()
        let unsharded = try OutputFolderLock(directory: directory.path, shard: nil)
        #expect(throws: PipelineError.self) { try OutputFolderLock(directory: directory.path, shard: Shard(index: 0, count: 2)) }
        withExtendedLifetime(unsharded) {}
    }

    @Test func twoPrepareRunsIntoOneFolderOneRefusedAtOnceAndJobsShowsTheHolder() throws {
        let directory = try TemporaryDirectory(prefix: "lock-cli")
        let folder = try SampleData.audioFolder(in: directory, copies: 4)
        let out = directory.file("out")
        let arguments = ["prepare", folder, "--out", out, "--workers", "1", "-q"]
        let first = try CLI.start(arguments)
        let deadline = Date().addingTimeInterval(30)
        while OutputFolderLock.holders(in: out).isEmpty, !first.hasExited, Date() < deadline { usleep(2_000) }

        let second = try CLI.run(arguments)
        #expect(second.status == 6, "\(second.stderr)")
        #expect(second.stderr.contains("pid \(first.pid)"))
        #expect(second.stderr.contains("prepare \(folder)"))
        let jobs = try CLI.run(["jobs", "--out", out])
        #expect(jobs.stdout.contains("held by pid \(first.pid)"), "\(jobs.stdout)")

        // SIGKILL: the kernel releases the lock, and the next run resumes.
        kill(first.pid, SIGKILL)
        first.wait()
        let resumed = try CLI.run(arguments)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let ids = try CLI.lines("\(out)/journal.jsonl").dropFirst().map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])["id"] as? String
        }
        #expect(Set(ids).count == 49)
    }
}
