/// SIMD inner products shared by the filter stages. The summation order depends only on the
/// length, never on where the data sits in memory, so results are bit-identical however the
/// input stream was cut into chunks.
@inline(__always) @_optimize(speed)
func dotProduct(_ x: UnsafePointer<Float>, _ h: UnsafePointer<Float>, count: Int) -> Float {
    // `count` is a multiple of 8 (the stages pad their filters), so no scalar tail is needed.
    var a0 = SIMD8<Float>()
    var a1 = SIMD8<Float>()
    let rx = UnsafeRawPointer(x)
    let rh = UnsafeRawPointer(h)
    var j = 0
    while j + 16 <= count {
        a0 += rx.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
            * rh.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
        a1 += rx.loadUnaligned(fromByteOffset: j * 4 + 32, as: SIMD8<Float>.self)
            * rh.loadUnaligned(fromByteOffset: j * 4 + 32, as: SIMD8<Float>.self)
        j += 16
    }
    if j < count {
        a0 += rx.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
            * rh.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
    }
    return (a0 + a1).sum()
}

/// Whether every sample is finite; `x * 0` is NaN exactly for NaN and ±infinity.
@_optimize(speed)
func allFinite(_ samples: UnsafeBufferPointer<Float>) -> Bool {
    guard let base = samples.baseAddress else { return true }
    let raw = UnsafeRawPointer(base)
    var acc = SIMD8<Float>()
    var j = 0
    while j + 8 <= samples.count {
        acc += raw.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self) * 0
        j += 8
    }
    var tail: Float = 0
    while j < samples.count {
        tail += samples[j] * 0
        j += 1
    }
    return !(acc.sum() + tail).isNaN
}
