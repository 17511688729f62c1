/// An open-addressing hash table of fixed-size slots that lives in memory while it is small
/// and in an unlinked scratch file once it outgrows ``memorySlotLimit``, so an index over
/// millions of ids costs a bounded amount of memory (the kernel's page cache holds the file,
/// and it does not count against the process).
///
/// A slot holds a 64-bit hash of its key and two payload words; the table never sees the keys
/// themselves. Lookups hand every slot with a matching hash to a `matches` closure, which
/// compares the real key (read back from wherever the owner keeps it), so a hash collision
/// can never make two keys one. Linear probing, no deletion, growth by doubling at half load.
///
/// Being a cache of what its owner keeps elsewhere, the table is rebuilt on every open and
/// never read by a later process: it cannot make a resumed run differ.
///
/// On disk, slots are read and written through a small write-back cache of pages (as many
/// slots in all as the in-memory table held, so moving to disk does not grow the heap). A
/// lookup of a cached page costs no system call, and growth, which walks the old table in
/// order and so writes the new one in two nearly sequential streams, costs a read and a write
/// per page instead of per slot.
struct ScratchHashTable: ~Copyable {
    struct Slot: Equatable {
        /// The key's hash; 0 marks an empty slot (``hash(_:)`` never returns it).
        var hash: UInt64
        var first: UInt64
        var second: UInt64
        static let empty = Slot(hash: 0, first: 0, second: 0)
    }

    /// Where a probe for a key ended.
    enum Probe {
        /// A slot the `matches` closure accepted, and its position.
        case found(Int, Slot)
        /// No such key; the empty position where it would go.
        case absent(Int)
    }

    /// Slots kept in memory at most (24 bytes each); a larger table moves to a scratch file.
    let memorySlotLimit: Int
    /// The folder scratch files are created in (and at once unlinked from).
    let scratchFolder: String
    /// The number of keys held.
    private(set) var count = 0
    private var capacity: Int
    private var memory: [Slot]
    /// The scratch file's descriptor once the table lives on disk, else -1.
    private var fd: Int32 = -1
    /// The on-disk table's page cache: page `p` (slots `p * pageSlots ..< (p + 1) * pageSlots`)
    /// can only be in frame `p % frameCount`. The frame count is odd, so the pages of the two
    /// streams growth writes (half the table apart, a power of two) do not evict each other.
    private let pageSlots: Int
    private let frameCount: Int
    /// Every frame's slots, back to back; empty while the table is in memory.
    private var frames: [Slot] = []
    /// The page each frame holds (-1: none), and whether it was changed since it was read.
    private var framePage: [Int] = []
    private var frameDirty: [Bool] = []

    /// Creates an empty table in memory.
    /// - Parameters:
    ///   - memorySlotLimit: Slots kept in memory at most; rounded down to a power of two (at
    ///     least 16), which the probing (positions masked by `capacity - 1`) and the page cache
    ///     (pages that divide every capacity) both need.
    ///   - scratchFolder: Where the scratch file goes once the table outgrows memory.
    init(memorySlotLimit: Int, scratchFolder: String) {
        let limit = max(16, memorySlotLimit)
        self.memorySlotLimit = 1 << (Int.bitWidth - 1 - limit.leadingZeroBitCount)
        self.scratchFolder = scratchFolder
        capacity = min(1024, self.memorySlotLimit)
        memory = Array(repeating: .empty, count: capacity)
        // Pages divide every on-disk capacity (powers of two of at least twice the limit).
        pageSlots = min(128, self.memorySlotLimit / 4)
        frameCount = self.memorySlotLimit / pageSlots - 1
    }

    deinit { if fd >= 0 { Syscall.close(fd) } }

    /// Whether the slots are in a scratch file.
    var isOnDisk: Bool { fd >= 0 }

    /// A well-mixed, never-zero 64-bit hash of `bytes` (FNV-1a, then the splitmix64 finaliser).
    static func hash(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        h = (h ^ (h >> 30)) &* 0xbf58_476d_1ce4_e5b9
        h = (h ^ (h >> 27)) &* 0x94d0_49bb_1331_11eb
        h ^= h >> 31
        return h == 0 ? 1 : h
    }

    /// Looks for the key whose hash is `hash`.
    /// - Parameters:
    ///   - hash: The key's ``hash(_:)``.
    ///   - matches: Whether a slot with this hash holds the key itself.
    /// - Returns: The slot found, or where the key would be inserted.
    /// - Throws: ``DatasetError`` `.io` from the scratch file, or what `matches` throws.
    mutating func probe(_ hash: UInt64, matches: (Slot) throws(DatasetError) -> Bool) throws(DatasetError) -> Probe {
        var position = Int(truncatingIfNeeded: hash) & (capacity - 1)
        while true {
            let slot = try self.slot(at: position)
            if slot.hash == 0 { return .absent(position) }
            if slot.hash == hash, try matches(slot) { return .found(position, slot) }
            position = (position + 1) & (capacity - 1)
        }
    }

    /// Stores `slot` at `position` (from ``probe(_:matches:)``), growing the table when a new
    /// key fills it past half.
    /// - Parameters:
    ///   - slot: The slot (its hash is the key's).
    ///   - position: The position ``probe(_:matches:)`` returned.
    ///   - isNew: Whether the probe was `.absent` (a new key) rather than `.found` (a replacement).
    /// - Throws: ``DatasetError`` `.io` from the scratch file.
    mutating func store(_ slot: Slot, at position: Int, isNew: Bool) throws(DatasetError) {
        try writeSlot(slot, at: position)
        guard isNew else { return }
        count += 1
        if count * 2 > capacity { try grow() }
    }

    // MARK: - Storage

    private mutating func grow() throws(DatasetError) {
        let newCapacity = capacity * 2
        var newMemory: [Slot] = []
        var newFD: Int32 = -1
        if newCapacity <= memorySlotLimit {
            newMemory = Array(repeating: .empty, count: newCapacity)
        } else {
            newFD = try Syscall.scratchFile(in: scratchFolder)
            do { try Syscall.truncate(newFD, length: newCapacity * MemoryLayout<Slot>.stride, path: scratchFolder) } catch {
                Syscall.close(newFD)
                throw error
            }
        }
        if fd >= 0 {
            // The old file is read back below, so it must hold every slot.
            do { try flushFrames() } catch {
                Syscall.close(newFD)
                throw error
            }
        }
        let old = (fd: fd, memory: memory, capacity: capacity)
        (fd, memory, capacity) = (newFD, newMemory, newCapacity)
        if fd >= 0, frames.isEmpty {
            frames = Array(repeating: .empty, count: frameCount * pageSlots)
            framePage = Array(repeating: -1, count: frameCount)
            frameDirty = Array(repeating: false, count: frameCount)
        } else {
            for frame in framePage.indices { (framePage[frame], frameDirty[frame]) = (-1, false) }
        }
        defer { if old.fd >= 0 { Syscall.close(old.fd) } }
        // Every key is distinct, so each goes into the first empty slot of its run.
        let chunk = 4096
        var base = 0
        while base < old.capacity {
            let slots = old.fd < 0
                ? Array(old.memory[base..<min(base + chunk, old.capacity)])
                : try Self.readSlots(old.fd, at: base, count: min(chunk, old.capacity - base), path: scratchFolder)
            for slot in slots where slot.hash != 0 {
                guard case .absent(let position) = try probe(slot.hash, matches: { _ in false }) else { continue }
                try writeSlot(slot, at: position)
            }
            base += chunk
        }
    }

    /// The slot at `position`, from memory or the page cache.
    private mutating func slot(at position: Int) throws(DatasetError) -> Slot {
        guard fd >= 0 else { return memory[position] }
        return frames[try frameOffset(of: position)]
    }

    private mutating func writeSlot(_ slot: Slot, at position: Int) throws(DatasetError) {
        guard fd >= 0 else {
            memory[position] = slot
            return
        }
        let offset = try frameOffset(of: position)
        frames[offset] = slot
        frameDirty[offset / pageSlots] = true
    }

    /// Brings the page holding `position` into its frame (writing back the page there if it
    /// was changed) and returns the slot's index in ``frames``.
    private mutating func frameOffset(of position: Int) throws(DatasetError) -> Int {
        let page = position / pageSlots
        let frame = page % frameCount
        if framePage[frame] != page {
            try writeBack(frame)
            let slots = try Self.readSlots(fd, at: page * pageSlots, count: pageSlots, path: scratchFolder)
            frames.replaceSubrange(frame * pageSlots..<(frame + 1) * pageSlots, with: slots)
            (framePage[frame], frameDirty[frame]) = (page, false)
        }
        return frame * pageSlots + position % pageSlots
    }

    /// Writes every changed page back to the scratch file.
    private mutating func flushFrames() throws(DatasetError) {
        for frame in framePage.indices { try writeBack(frame) }
    }

    private mutating func writeBack(_ frame: Int) throws(DatasetError) {
        guard frameDirty[frame] else { return }
        let (fd, path, position) = (fd, scratchFolder, framePage[frame] * pageSlots)
        let written: Result<Void, DatasetError> = frames[frame * pageSlots..<(frame + 1) * pageSlots].withUnsafeBytes { bytes in
            do throws(DatasetError) { return .success(try Syscall.writeAll(fd, bytes, at: position * MemoryLayout<Slot>.stride, path: path)) } catch {
                return .failure(error)
            }
        }
        try written.get()
        frameDirty[frame] = false
    }

    private static func readSlots(_ fd: Int32, at position: Int, count: Int, path: String) throws(DatasetError) -> [Slot] {
        var slots = [Slot](repeating: .empty, count: count)
        let stride = MemoryLayout<Slot>.stride
        let read: Result<Int, DatasetError> = slots.withUnsafeMutableBytes { buffer in
            do throws(DatasetError) { return .success(try Syscall.readAll(fd, into: buffer, at: position * stride, path: path)) } catch {
                return .failure(error)
            }
        }
        guard try read.get() == count * stride else {
            throw DatasetError(.io, subject: path, "a scratch index file came back shorter than it was written")
        }
        return slots
    }
}
