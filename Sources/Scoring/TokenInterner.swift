/// Gives every distinct token of one reference/hypothesis pair a small integer, so the edit
/// distance compares integers. Tokens are hashed once; the table is reset per pair, so it
/// stays as small as the pair's vocabulary.
struct TokenInterner {
    /// Ids of interned tokens start here, above every Unicode scalar value, so they never
    /// collide with code points used directly as ids.
    static let firstID: Int32 = 0x11_0000

    private var arena: [UInt8] = []
    private var starts: [Int32] = []  // arena offset of each interned token; id = firstID + index
    private var lengths: [Int32] = []
    private var hashes: [UInt64] = []
    private var slots: [Int32] = Array(repeating: -1, count: 64)  // open addressing, index into starts

    /// Forgets every token.
    mutating func reset() {
        arena.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        lengths.removeAll(keepingCapacity: true)
        hashes.removeAll(keepingCapacity: true)
        slots.withUnsafeMutableBufferPointer { $0.update(repeating: -1) }
    }

    /// The id of the bytes `bytes[start..<end]`, interning them if they are new.
    mutating func id(of bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int32 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a
        for index in start..<end { hash = (hash ^ UInt64(bytes[index])) &* 0x100_0000_01b3 }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask
        let length = end - start
        while true {
            let entry = slots[slot]
            if entry < 0 { break }
            let index = Int(entry)
            if hashes[index] == hash, Int(lengths[index]) == length, equalBytes(bytes, start, arenaAt: Int(starts[index]), length) {
                return Self.firstID + entry
            }
            slot = (slot + 1) & mask
        }
        let index = Int32(starts.count)
        starts.append(Int32(arena.count))
        lengths.append(Int32(length))
        hashes.append(hash)
        arena.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<end]))
        slots[slot] = index
        if starts.count * 2 > slots.count { grow() }
        return Self.firstID + index
    }

    private func equalBytes(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, arenaAt offset: Int, _ length: Int) -> Bool {
        arena.withUnsafeBufferPointer { stored in
            for k in 0..<length where stored[offset + k] != bytes[start + k] { return false }
            return true
        }
    }

    private mutating func grow() {
        slots = Array(repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for (index, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index)
        }
    }
}
