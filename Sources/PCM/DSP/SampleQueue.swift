/// A first-in first-out run of samples on storage that keeps its capacity: consuming from the
/// front only moves an index, appending writes in place, and the live samples move back to
/// the start only when the end runs out of room (they are few then: a filter's overlap). So
/// a stage's buffer is allocated once and reused for the whole stream and the next ones.
struct SampleQueue {
    /// Zero-initialised once when grown; `storage.count` is the capacity.
    private var storage: [Float] = []
    private var start = 0
    private var end = 0

    /// The number of live samples.
    var count: Int { end - start }

    /// Drops every sample, keeping the storage.
    mutating func removeAll() {
        start = 0
        end = 0
    }

    /// Drops the first `n` live samples (`n ≤ count`).
    mutating func removeFirst(_ n: Int) {
        start += n
        if start == end { removeAll() }
    }

    /// Appends samples.
    mutating func append(_ samples: UnsafeBufferPointer<Float>) {
        guard let source = samples.baseAddress, !samples.isEmpty else { return }
        append(upTo: samples.count) { $0.update(from: source, count: samples.count); return samples.count }
    }

    /// Appends `n` zeros.
    mutating func appendZeros(_ n: Int) {
        guard n > 0 else { return }
        append(upTo: n) { $0.update(repeating: 0, count: n); return n }
    }

    /// Makes room for `n` samples at the end, lets `write` fill the first of them and keeps
    /// as many as it returns (at most `n`).
    @discardableResult @inline(__always)
    mutating func append(upTo n: Int, _ write: (UnsafeMutablePointer<Float>) -> Int) -> Int {
        guard n > 0 else { return 0 }
        reserve(n)
        let written = storage.withUnsafeMutableBufferPointer { write($0.baseAddress! + end) }
        precondition(written >= 0 && written <= n, "a stage wrote more than it reserved")
        end += written
        return written
    }

    /// Calls `body` with the live samples.
    @inline(__always)
    func withSamples<R>(_ body: (UnsafeBufferPointer<Float>) -> R) -> R {
        storage.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[start..<end])) }
    }

    private mutating func reserve(_ n: Int) {
        guard end + n > storage.count else { return }
        let live = count
        if start > 0 {
            storage.withUnsafeMutableBufferPointer { s in
                let base = s.baseAddress!
                UnsafeMutableRawPointer(base).copyMemory(from: base + start, byteCount: live * 4)  // memmove
            }
            start = 0
            end = live
        }
        if live + n > storage.count {
            storage.append(contentsOf: repeatElement(0, count: max(live + n, 2 * storage.count) - storage.count))
        }
    }
}
