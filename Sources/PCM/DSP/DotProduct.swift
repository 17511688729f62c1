/// Floats in memory aligned to 64 bytes, written once at design time and then only read:
/// filter tables whose rows the hot loops load as aligned SIMD vectors.
final class AlignedFloats: @unchecked Sendable {
    let base: UnsafeMutablePointer<Float>
    let count: Int

    /// Copies `values` into a fresh aligned allocation.
    init(_ values: [Float]) {
        count = values.count
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(1, values.count) * 4, alignment: 64)
        base = raw.bindMemory(to: Float.self, capacity: max(1, values.count))
        values.withUnsafeBufferPointer { base.initialize(from: $0.baseAddress!, count: values.count) }
    }

    deinit { base.deallocate() }
}

/// Four dot products of `count` taps each (`count` a multiple of 4), one per lane of the
/// result. `h0…h3` must be 16-byte aligned; `x0…x3` need not be.
///
/// Every lane goes through exactly the same operations — four running sums (taps by
/// `m mod 4`; for more than 32 taps, per block of 32 taps eight partial sums by `m mod 8`,
/// added in pairs into them), which end as `(s0 + s2) + (s1 + s3)` — so a result does not
/// depend on which lane it was computed in, nor on its neighbours (callers fill unused lanes
/// with copies of lane 0): outputs are bit-identical however the stream was chunked.
@inline(__always) @_optimize(speed)
func fourDotProducts(
    _ x0: UnsafePointer<Float>, _ h0: UnsafePointer<Float>, _ x1: UnsafePointer<Float>, _ h1: UnsafePointer<Float>,
    _ x2: UnsafePointer<Float>, _ h2: UnsafePointer<Float>, _ x3: UnsafePointer<Float>, _ h3: UnsafePointer<Float>,
    count: Int
) -> SIMD4<Float> {
    typealias V = SIMD4<Float>
    let rx0 = UnsafeRawPointer(x0), rx1 = UnsafeRawPointer(x1), rx2 = UnsafeRawPointer(x2), rx3 = UnsafeRawPointer(x3)
    let rh0 = UnsafeRawPointer(h0), rh1 = UnsafeRawPointer(h1), rh2 = UnsafeRawPointer(h2), rh3 = UnsafeRawPointer(h3)
    /// Adds the products of four taps (from byte `offset`) to each lane's sum.
    @inline(__always) func accumulate(_ a: inout V, _ b: inout V, _ c: inout V, _ d: inout V, at offset: Int) {
        a += rx0.loadUnaligned(fromByteOffset: offset, as: V.self) * rh0.load(fromByteOffset: offset, as: V.self)
        b += rx1.loadUnaligned(fromByteOffset: offset, as: V.self) * rh1.load(fromByteOffset: offset, as: V.self)
        c += rx2.loadUnaligned(fromByteOffset: offset, as: V.self) * rh2.load(fromByteOffset: offset, as: V.self)
        d += rx3.loadUnaligned(fromByteOffset: offset, as: V.self) * rh3.load(fromByteOffset: offset, as: V.self)
    }
    var a = V(), b = V(), c = V(), d = V()
    var offset = 0
    let end = count &* 4
    if count <= 32 {
        // Short filters: one running sum per lane.
        while offset < end {
            accumulate(&a, &b, &c, &d, at: offset)
            offset &+= 16
        }
    }
    // Long filters: blocks of up to 32 taps, each summed on its own before it joins the
    // total (blocked summation: the round-off of a 300-tap filter stays near that of a
    // 32-tap one); within a block two partial sums per lane, for shorter dependency chains.
    while offset < end {
        let blockEnd = min(end, offset &+ 128)
        var pa = V(), pb = V(), pc = V(), pd = V()
        var qa = V(), qb = V(), qc = V(), qd = V()
        while offset &+ 32 <= blockEnd {
            accumulate(&pa, &pb, &pc, &pd, at: offset)
            accumulate(&qa, &qb, &qc, &qd, at: offset &+ 16)
            offset &+= 32
        }
        if offset < blockEnd {
            accumulate(&pa, &pb, &pc, &pd, at: offset)
            offset &+= 16
        }
        a += pa + qa
        b += pb + qb
        c += pc + qc
        d += pd + qd
    }
    // Transpose and add: (a0 + a2, a1 + a3, b0 + b2, b1 + b3), the same for c and d, then
    // the even lanes plus the odd ones.
    let ab = V(lowHalf: a.lowHalf, highHalf: b.lowHalf) + V(lowHalf: a.highHalf, highHalf: b.highHalf)
    let cd = V(lowHalf: c.lowHalf, highHalf: d.lowHalf) + V(lowHalf: c.highHalf, highHalf: d.highHalf)
    let both = SIMD8(lowHalf: ab, highHalf: cd)
    return both.evenHalf + both.oddHalf
}

/// Whether every sample is finite; `x * 0` is NaN exactly for NaN and ±infinity.
@_optimize(speed)
func allFinite(_ samples: UnsafeBufferPointer<Float>) -> Bool {
    guard let base = samples.baseAddress else { return true }
    typealias V = SIMD4<Float>
    let raw = UnsafeRawPointer(base)
    // Four independent chains, so the adds' latency does not limit the loop.
    var a0 = V(), a1 = V(), a2 = V(), a3 = V()
    var j = 0
    while j + 16 <= samples.count {
        a0 += raw.loadUnaligned(fromByteOffset: j * 4, as: V.self) * 0
        a1 += raw.loadUnaligned(fromByteOffset: j * 4 + 16, as: V.self) * 0
        a2 += raw.loadUnaligned(fromByteOffset: j * 4 + 32, as: V.self) * 0
        a3 += raw.loadUnaligned(fromByteOffset: j * 4 + 48, as: V.self) * 0
        j += 16
    }
    var tail: Float = 0
    while j < samples.count {
        tail += samples[j] * 0
        j += 1
    }
    return !((a0 + a1 + a2 + a3).sum() + tail).isNaN
}
