import Foundation
import SystemSupport
import Testing

@Suite("Locked")
struct LockedTests {
    @Test("threads that change one value under the lock lose no update")
    func noLostUpdates() {
        let threads = 8, rounds = 20_000
        let counter = Locked((total: 0, perThread: [Int](repeating: 0, count: threads)))
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            for _ in 0..<rounds {
                // Two fields changed together: a torn update would leave them disagreeing.
                counter.withLock { value in
                    value.total += 1
                    value.perThread[thread] += 1
                }
            }
        }
        let final = counter.withLock { $0 }
        #expect(final.total == threads * rounds)
        #expect(final.perThread == [Int](repeating: rounds, count: threads))
    }

    @Test("a throwing body releases the lock and its error reaches the caller")
    func throwingBodyUnlocks() {
        struct Refused: Error {}
        let value = Locked(1)
        #expect(throws: Refused.self) { try value.withLock { (_: inout Int) throws(Refused) in throw Refused() } }
        #expect(value.withLock { $0 += 1; return $0 } == 2)
    }
}
