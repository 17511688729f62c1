/// Gives every distinct token of one reference/hypothesis pair a dense id 0, 1, 2, …, so the
/// edit distance compares integers and the bit-parallel kernel can index its match table by
/// id. Word tokens are hashed once; single code points below U+10000 are looked up in a
/// stamped table without hashing. Two tokens get the same id exactly when their UTF-8 bytes
/// are equal.
struct TokenInterner {
    private var arena: [UInt8] = []
    private var starts: [Int32] = []  // arena offset of each hashed token, by slot entry
    private var lengths: [Int32] = []
    private var hashes: [UInt64] = []
    private var ids: [Int32] = []
    private var slots: [Int32] = Array(repeating: -1, count: 64)  // open addressing into starts
    // BMP code point → id, valid when its stamp equals the current generation.
    private var scalarIDs: [Int32] = []
    private var scalarStamps: [UInt32] = []
    private var generation: UInt32 = 1

    /// How many distinct tokens have ids.
    private(set) var count: Int32 = 0

    /// Forgets every token.
    mutating func reset() {
        arena.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        lengths.removeAll(keepingCapacity: true)
        hashes.removeAll(keepingCapacity: true)
        ids.removeAll(keepingCapacity: true)
        if slots.count > 4096 { slots = Array(repeating: -1, count: 64) }
        slots.withUnsafeMutableBufferPointer { $0.update(repeating: -1) }
        count = 0
        generation &+= 1
        if generation == 0 {  // wrapped: old stamps could look current
            scalarStamps.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
            generation = 1
        }
    }

    /// The id of a token that is one code point.
    @inline(__always)
    mutating func id(ofScalar value: UInt32, in bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int32 {
        guard value < 0x1_0000 else { return id(of: bytes, from: start, to: end) }
        if scalarStamps.isEmpty {
            scalarIDs = Array(repeating: 0, count: 0x1_0000)
            scalarStamps = Array(repeating: 0, count: 0x1_0000)
        }
        let index = Int(value)
        if scalarStamps[index] == generation { return scalarIDs[index] }
        scalarStamps[index] = generation
        scalarIDs[index] = count
        count += 1
        return count - 1
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
            if hashes[index] == hash, Int(lengths[index]) == length,
                equalBytes(bytes, start, arenaAt: Int(starts[index]), length)
            {
                return ids[index]
            }
            slot = (slot + 1) & mask
        }
        slots[slot] = Int32(starts.count)
        starts.append(Int32(arena.count))
        lengths.append(Int32(length))
        hashes.append(hash)
        ids.append(count)
        arena.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<end]))
        if starts.count * 2 > slots.count { grow() }
        count += 1
        return count - 1
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
