import Foundation
import SystemSupport

/// The threads of one run and the bounded queues between them:
///
/// reader → `work` → audio threads → `decoded` → recogniser threads → `results` → commit stage
///
/// One reader thread and `workerCount` audio threads; with a recogniser, also `workerCount`
/// recogniser threads, each owning one engine. Without one, the audio threads hand their
/// outcomes straight to `results` (one queue hop per clip instead of two). The commit stage
/// runs on the caller's thread. Every worker ends by pushing ``WorkerMessage/workerExited``.
final class StageThreads: Sendable {
    let work: BlockingQueue<SelectedItem>
    let decoded: BlockingQueue<DecodedItem>
    let results: BlockingQueue<WorkerMessage>
    private let workerCount: Int
    private let audioThreadsLeft: Locked<Int>
    private let readerFailure = Locked<PipelineError?>(nil)

    /// Makes the queues, sized for `workerCount` workers.
    init(workerCount: Int) {
        self.workerCount = workerCount
        work = BlockingQueue(capacity: 2 * workerCount)
        decoded = BlockingQueue(capacity: workerCount)
        // Results are small records. Room for two commit batches lets the workers go on while
        // the commit stage waits for a file-system flush, instead of stalling behind it.
        results = BlockingQueue(capacity: 4 * workerCount + 2 * Pipeline.commitBatch)
        audioThreadsLeft = Locked(workerCount)
    }

    /// Why the reader stopped early, if it did.
    var readerError: PipelineError? { readerFailure.withLock { $0 } }

    /// Stops the audio and recogniser threads taking new items (a stop request).
    func closeInputs() {
        work.close()
        decoded.close()
    }

    /// Starts every thread.
    /// - Parameters:
    ///   - reader: The reader stage.
    ///   - items: The convert and recognise stages.
    ///   - shouldStop: Whether a stop was requested (items still queued are then left).
    func start(reader: ReaderStage, items: ItemProcessor, shouldStop: @escaping @Sendable () -> Bool) {
        Self.startThread("speechprep-reader") { [self] in
            do throws(PipelineError) { try reader.feed(work) } catch { readerFailure.withLock { $0 = error } }
            work.close()
        }
        for number in 0..<workerCount {
            guard items.configuration.transcriber != nil else {
                Self.startThread("speechprep-audio-\(number)") { [self] in
                    defer { results.push(.workerExited) }
                    items.runAudioStage(work: work, shouldStop: shouldStop) { item in
                        if let outcome = item.outcome { results.push(.finished(outcome)) }
                    }
                }
                continue
            }
            Self.startThread("speechprep-audio-\(number)") { [self] in
                items.runAudioStage(work: work, shouldStop: shouldStop) { decoded.push($0) }
                if audioThreadsLeft.withLock({ left in left -= 1; return left == 0 }) { decoded.close() }
            }
            Self.startThread("speechprep-recognizer-\(number)") { [self] in
                items.runRecognizerStage(decoded: decoded, results: results, shouldStop: shouldStop)
            }
        }
    }

    private static func startThread(_ name: String, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread(block: body)
        thread.name = name
        thread.stackSize = 8 << 20
        thread.start()
    }
}
