import Foundation
import SystemSupport
import SpeechPrep
import TestSupport
import Testing

/// A real recogniser of our own that takes its time: it sleeps `delay` per clip and answers
/// with the clip's length, so results depend only on the clip.
final class SlowTranscriber: Transcriber {
    let engineName = "slow-test"
    let delay: Duration

    init(delay: Duration) { self.delay = delay }

    func transcribe(_ samples: PCMBuffer) throws(TranscriptionError) -> Transcript {
        Thread.sleep(forTimeInterval: Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18)
        return Transcript(text: "frames \(samples.frameCount)", engine: engineName)
    }
}

/// The delay is not part of the configuration: a slow and a fast run give the same results,
/// so a rerun may resume a slow one quickly.
struct SlowTranscriberFactory: TranscriberFactory {
    let engineName = "slow-test"
    let checkpointSettings: [String: String] = ["answer": "frame count"]
    let delay: Duration

    func makeTranscriber() throws(TranscriptionError) -> any Transcriber { SlowTranscriber(delay: delay) }
}

@Suite struct CancellationTests {
    @Test func cancellingTheAwaitingTaskStopsLikeRequestStop() async throws {
        let directory = try TemporaryDirectory(prefix: "cancel")
        let folder = try SampleData.audioFolder(in: directory, copies: 3)  // 36 clips + 1 broken
        // The output on a tmpfs when there is one: the bound is about the stop, and a journal
        // fsync on a disk that parallel tests flush with syncfs can itself take seconds.
        let memory = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm/speechprep-cancel-\(UUID())" : directory.file("out")
        defer { try? FileManager.default.removeItem(atPath: memory) }
        var configuration = PipelineConfiguration(input: .audioFolder(path: folder), outputDirectory: memory)
        configuration.transcriber = SlowTranscriberFactory(delay: .milliseconds(300))
        configuration.workerCount = 1  // 36 × 300 ms ≈ 11 s for the whole run
        configuration.targetSampleRate = 48_000  // the clips' rate: no resampling to wait for

        // The cancel comes from the collecting thread after the third item, and the bound is
        // measured on the pipeline's own clock (progress `elapsedSeconds`, summary
        // `wallSeconds`): the test's tasks share a cooperative pool with suites that block it,
        // so timing on the test's side would measure the pool, not the pipeline.
        let pipeline = Pipeline(configuration)
        let handle = Locked<(task: Task<PipelineSummary, any Error>?, cancelledAt: Double?)>((nil, nil))
        let task = Task {
            try await pipeline.run { event in
                handle.withLock { state in
                    guard event.done >= 3, state.cancelledAt == nil, let task = state.task else { return }
                    state.cancelledAt = event.elapsedSeconds
                    task.cancel()
                }
            }
        }
        handle.withLock { $0.task = task }
        let summary = try await task.value
        let cancelledAt = try #require(handle.withLock { $0.cancelledAt })
        let stopTime = summary.wallSeconds - cancelledAt

        #expect(stopTime < 2, "returned \(stopTime) s after the cancel; one clip takes 0.3 s")
        #expect(pipeline.isStopRequested)
        #expect(summary.interrupted)
        #expect(summary.processed >= 1 && summary.processed < summary.total)
        #expect(summary.outputs.isEmpty)
        // Every item processed before the stop is in the journal (flushed), and nothing else.
        let journal = CLI.lines(configuration.journalPath)
        #expect(journal.count - 1 == summary.processed)

        // A rerun (fast this time, same configuration) resumes where the cancelled one stopped.
        configuration.transcriber = SlowTranscriberFactory(delay: .zero)
        let resumed = try await Pipeline(configuration).run()
        #expect(resumed.resumed == summary.processed)
        #expect(!resumed.interrupted)
        #expect(resumed.resumed + resumed.processed == resumed.total)
    }
}
