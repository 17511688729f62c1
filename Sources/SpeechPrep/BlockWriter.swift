import Foundation
import SpeechDataset

/// Writes full blocks of ``LineBuffer``s on a thread of its own, so the thread that fills them
/// (a merge scanning and formatting lines) does not also wait for the kernel to copy each
/// block into the page cache. A buffer has two blocks: it fills one while the other is being
/// written, so memory stays at two blocks per file however long the output.
final class BlockWriter: Sendable {
    /// A block on its way to the writer thread and back.
    struct Job: @unchecked Sendable {
        // @unchecked: the file and the block belong to one thread at a time; the queues hand
        // them over (their lock orders the accesses).
        let file: AtomicFileWriter
        let block: Block
        let count: Int
        /// Where the block goes back once written, with the write's error if any.
        let done: BlockingQueue<Returned>
    }

    /// A written block, and the error of its write.
    struct Returned: @unchecked Sendable {
        // @unchecked: see ``Job``.
        let block: Block
        let error: DatasetError?
    }

    /// Bytes of one block (freed when the last owner lets go).
    final class Block {
        let storage: UnsafeMutableRawPointer
        let capacity: Int

        init(capacity: Int) {
            self.capacity = capacity
            storage = .allocate(byteCount: capacity, alignment: 16)
        }

        deinit { storage.deallocate() }
    }

    private let jobs = BlockingQueue<Job>(capacity: 4)
    private let stopped = BlockingQueue<Bool>(capacity: 1)

    init() {
        let jobs = jobs, stopped = stopped
        Thread {
            while let job = jobs.pop() {
                var error: DatasetError?
                do throws(DatasetError) {
                    try job.file.writeBlock(UnsafeRawBufferPointer(start: job.block.storage, count: job.count))
                } catch let failure { error = failure }
                job.done.push(Returned(block: job.block, error: error))
            }
            stopped.push(true)
        }.start()
    }

    /// Stops the thread once it has written what it was given, and waits for it.
    deinit {
        jobs.close()
        _ = stopped.pop()
    }

    /// Queues a block to be written after the file's earlier blocks.
    func write(_ job: Job) { jobs.push(job) }
}
