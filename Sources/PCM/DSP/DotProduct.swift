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
    return horizontalSum(a0 + a1)
}

/// Two independent dot products of the same length, interleaved so their dependency chains
/// overlap; each result is bit-identical to ``dotProduct(_:_:count:)``.
@inline(__always) @_optimize(speed)
func dotProducts(
    _ x: UnsafePointer<Float>, _ h: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ g: UnsafePointer<Float>,
    count: Int
) -> (Float, Float) {
    var a0 = SIMD8<Float>(), a1 = SIMD8<Float>()
    var b0 = SIMD8<Float>(), b1 = SIMD8<Float>()
    let rx = UnsafeRawPointer(x), rh = UnsafeRawPointer(h)
    let ry = UnsafeRawPointer(y), rg = UnsafeRawPointer(g)
    var j = 0
    while j + 16 <= count {
        a0 += rx.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
            * rh.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
        b0 += ry.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
            * rg.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
        a1 += rx.loadUnaligned(fromByteOffset: j * 4 + 32, as: SIMD8<Float>.self)
            * rh.loadUnaligned(fromByteOffset: j * 4 + 32, as: SIMD8<Float>.self)
        b1 += ry.loadUnaligned(fromByteOffset: j * 4 + 32, as: SIMD8<Float>.self)
            * rg.loadUnaligned(fromByteOffset: j * 4 + 32, as: SIMD8<Float>.self)
        j += 16
    }
    if j < count {
        a0 += rx.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
            * rh.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
        b0 += ry.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
            * rg.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
    }
    return (horizontalSum(a0 + a1), horizontalSum(b0 + b1))
}

/// The sum of the lanes as a tree (3 dependent adds instead of the 7 of `sum()`).
@inline(__always) @_optimize(speed)
func horizontalSum(_ v: SIMD8<Float>) -> Float {
    let four = v.lowHalf + v.highHalf
    let two = four.lowHalf + four.highHalf
    return two.x + two.y
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
