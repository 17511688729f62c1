/// Gives every distinct token of one reference/hypothesis pair a dense id 0, 1, 2, …, so the
/// edit distance compares integers and the bit-parallel kernel can index its match table by
/// id. Word tokens are hashed once; single code points below U+10000 are looked up in a
/// stamped table without hashing. Two tokens get the same id exactly when their UTF-8 bytes
/// are equal.
///
/// Hashed tokens are remembered by their address in the caller's text, not copied: the caller
/// keeps both texts of the pair alive (nested `withUTF8`) until the pair is scored and calls
/// ``reset()`` before they go, so no address outlives its text (which is also why the type
/// may be `Sendable`: between calls it holds no address at all).
struct TokenInterner: @unchecked Sendable {
    private struct Entry {
        var hash: UInt64
        var key: UInt64  // the bytes themselves, for tokens of up to 8 bytes
        var bytes: UnsafePointer<UInt8>
        var length: Int
        var id: Int32
    }

    private var entries: [Entry] = []
    /// The text whose tokens are being identified (valid from ``begin(_:)`` to ``reset()``).
    private var text = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    /// The ids of the current text's tokens, in order.
    var output: [Int32] = []
    private var slots: [Int32] = Array(repeating: -1, count: 64)  // open addressing into entries
    // BMP code point → generation << 32 | id; valid when the generation is the current one,
    // so forgetting every code point is one increment instead of clearing 64 Ki entries.
    private var scalarIDs: [UInt64] = []
    private var generation: UInt64 = 1

    /// How many distinct tokens have ids.
    private(set) var count: Int32 = 0

    /// Forgets every token.
    mutating func reset() {
        entries.removeAll(keepingCapacity: true)
        text = UnsafeBufferPointer(start: nil, count: 0)
        if slots.count > 4096 { slots = Array(repeating: -1, count: 64) }
        slots.withUnsafeMutableBufferPointer { $0.update(repeating: -1) }
        count = 0
        generation += 1
        if generation == 1 << 32 {  // the stamp field is full: start again from a clean table
            scalarIDs.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
            generation = 1
        }
    }

    @inline(__always)
    private mutating func id(ofBMPScalar value: UInt32) -> Int32 {
        let entry = scalarIDs[Int(value)]
        if entry >> 32 == generation { return Int32(truncatingIfNeeded: entry) }
        scalarIDs[Int(value)] = generation << 32 | UInt64(count)
        count += 1
        return count - 1
    }

    /// Starts a text: tokens given to ``token(start:end:scalar:)`` are bytes of `bytes`, and
    /// their ids go to ``output`` (cleared here).
    mutating func begin(_ bytes: UnsafeBufferPointer<UInt8>) {
        if scalarIDs.isEmpty { scalarIDs = Array(repeating: 0, count: 0x1_0000) }
        text = bytes
        output.removeAll(keepingCapacity: true)
    }

    /// The id of the bytes `bytes[start..<end]`, interning them if they are new.
    ///
    /// A token of up to 8 bytes (most words) is packed into a `UInt64` key that is its own
    /// exact identity, so it is hashed with one multiplication and compared without touching
    /// memory; longer tokens are hashed with FNV-1a and compared byte by byte.
    mutating func id(of bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int32 {
        let token = bytes.baseAddress.unsafelyUnwrapped + start
        let length = end - start
        var key: UInt64 = 0
        let hash: UInt64
        if length <= 8 {
            if start + 8 <= bytes.count {
                // One unaligned load inside the text, masked to the token's bytes.
                key = UnsafeRawPointer(token).loadUnaligned(as: UInt64.self).littleEndian
                if length < 8 { key &= (1 << UInt64(length * 8)) - 1 }
            } else {
                for index in 0..<length { key |= UInt64(token[index]) << UInt64(index * 8) }
            }
            hash = (key ^ UInt64(length) << 59) &* 0x9E37_79B9_7F4A_7C15
        } else {
            var fnv: UInt64 = 0xcbf2_9ce4_8422_2325
            for index in 0..<length { fnv = (fnv ^ UInt64(token[index])) &* 0x100_0000_01b3 }
            hash = fnv
        }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash >> 40) & mask
        let found: Int32? = entries.withUnsafeBufferPointer { entries in
            slots.withUnsafeBufferPointer { slots in
                while true {
                    let index = slots[slot]
                    if index < 0 { return nil }
                    let entry = entries[Int(index)]
                    if entry.hash == hash, entry.length == length,
                        length <= 8 ? entry.key == key : Self.equal(entry.bytes, token, length)
                    {
                        return entry.id
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
        if let found { return found }
        slots[slot] = Int32(entries.count)
        entries.append(Entry(hash: hash, key: key, bytes: token, length: length, id: count))
        if entries.count * 2 > slots.count { grow() }
        count += 1
        return count - 1
    }

    @inline(__always)
    private static func equal(_ lhs: UnsafePointer<UInt8>, _ rhs: UnsafePointer<UInt8>, _ length: Int) -> Bool {
        for k in 0..<length where lhs[k] != rhs[k] { return false }
        return true
    }

    private mutating func grow() {
        slots = Array(repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for (index, entry) in entries.enumerated() {
            var slot = Int(truncatingIfNeeded: entry.hash >> 40) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index)
        }
    }
}

extension TokenInterner: TokenSink {
    /// Appends the token's id to ``output``.
    @inline(__always)
    mutating func token(start: Int, end: Int, scalar: Int32) {
        if scalar >= 0, scalar < 0x1_0000 {
            output.append(id(ofBMPScalar: UInt32(scalar)))
        } else {
            output.append(id(of: text, from: start, to: end))
        }
    }
}
