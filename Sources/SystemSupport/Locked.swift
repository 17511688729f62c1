#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A value that threads share, guarded by a `pthread_mutex_t`: the package's one lock.
///
/// The standard library's `Synchronization.Mutex` hands a *contended* lock from one thread to
/// the next through a Linux priority-inheritance futex inside the Swift runtime, which is not
/// built with ThreadSanitizer. The sanitizer then sees no ordering between one holder's writes
/// and the next holder's reads and reports every such hand-over as a data race (it did, in
/// `CheckpointJournal`, whenever the reader thread and the collecting thread met on its lock;
/// Docs/notes/sanitizers.md). The sanitizer intercepts `pthread_mutex_lock` and
/// `pthread_mutex_unlock`, so with this type a ThreadSanitizer report is a real race.
///
/// ```swift
/// let left = Locked(4)
/// let last = left.withLock { count in count -= 1; return count == 0 }
/// ```
public final class Locked<Value: ~Copyable>: @unchecked Sendable {
    // @unchecked: `value` is only touched between pthread_mutex_lock and pthread_mutex_unlock,
    // and it only enters and leaves as a `sending` value, as with `Synchronization.Mutex`.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var value: Value

    /// Creates a lock guarding `initialValue`.
    /// - Parameter initialValue: The value; no other reference to it may remain.
    public init(_ initialValue: consuming sending Value) {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        value = initialValue
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with the lock held and the value open for change.
    ///
    /// The corresponding C functions are `pthread_mutex_lock` and `pthread_mutex_unlock`.
    /// - Parameter body: What to do with the value; it must not take the same lock again.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws, after the lock is released.
    public func withLock<Result, Failure: Error>(
        _ body: (inout sending Value) throws(Failure) -> sending Result
    ) throws(Failure) -> sending Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
