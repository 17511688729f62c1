internal import RealModule

/// An in-place power-of-two FFT on split real/imaginary Float arrays, made for fast
/// convolution: the forward transform (decimation in frequency) leaves the spectrum in a
/// scrambled order — bit-reversed, within transposed 4×4 tiles — and the inverse (decimation
/// in time) takes it in that order, so no reordering pass is ever needed: a spectrum only
/// gets multiplied by another in the same order.
///
/// Pairs of passes with half-spans of 8 or more run as radix-4 steps on `SIMD4<Float>` (one
/// SSE register), a lone half-span-8 pass as radix 2, and the last three passes (half-spans
/// 4, 2 and 1) in one sweep over tiles of sixteen points.
struct SplitComplexFFT {
    /// The transform length, a power of two ≥ 16.
    let count: Int
    /// Twiddles `exp(-2πi j / (2h))` for `j < h`, for every half-span `h ≥ 4`, concatenated
    /// from the largest half-span down.
    private let twiddleReal: [Float]
    private let twiddleImaginary: [Float]
    /// Twiddles `exp(-2πi · 3j / (4h))` for `j < h`, for every `h ≥ 4` up to `count / 4`,
    /// concatenated from the largest down: the third twiddle of a radix-4 step.
    private let twiddle3Real: [Float]
    private let twiddle3Imaginary: [Float]

    init(count: Int) {
        precondition(count >= 16 && count & (count - 1) == 0, "FFT length must be a power of two ≥ 16")
        self.count = count
        var real: [Float] = []
        var imaginary: [Float] = []
        var half = count / 2
        while half >= 4 {
            for j in 0..<half {
                let angle = -Double.pi * Double(j) / Double(half)
                real.append(Float(Double.cos(angle)))
                imaginary.append(Float(Double.sin(angle)))
            }
            half /= 2
        }
        twiddleReal = real
        twiddleImaginary = imaginary
        var real3: [Float] = [], imaginary3: [Float] = []
        var h = count / 4
        while h >= 4 {
            for j in 0..<h {
                let angle = -2 * Double.pi * Double(3 * j) / Double(4 * h)
                real3.append(Float(Double.cos(angle)))
                imaginary3.append(Float(Double.sin(angle)))
            }
            h /= 2
        }
        twiddle3Real = real3
        twiddle3Imaginary = imaginary3
    }

    /// Forward transform, natural order in, bit-reversed order out.
    @_optimize(speed)
    func forward(_ re: UnsafeMutablePointer<Float>, _ im: UnsafeMutablePointer<Float>) {
        twiddleReal.withUnsafeBufferPointer { wr in
            twiddleImaginary.withUnsafeBufferPointer { wi in
                let tr = wr.baseAddress!, ti = wi.baseAddress!
                var half = count / 2
                while half >= 16 {
                    fusedPasses(re, im, half: half / 2, tr, ti, inverse: false)
                    half /= 4
                }
                if half == 8 {
                    pass(SIMD8<Float>.self, re, im, half: 8, tr + offset(8), ti + offset(8), inverse: false)
                }
            }
        }
        lastThreePasses(re, im, inverse: false)
    }

    /// Inverse transform without the 1/N scale, bit-reversed order in, natural order out.
    @_optimize(speed)
    func inverse(_ re: UnsafeMutablePointer<Float>, _ im: UnsafeMutablePointer<Float>) {
        lastThreePasses(re, im, inverse: true)
        twiddleReal.withUnsafeBufferPointer { wr in
            twiddleImaginary.withUnsafeBufferPointer { wi in
                let tr = wr.baseAddress!, ti = wi.baseAddress!
                var half = 8
                // Mirror the forward grouping: an odd pass count leaves half-span 8 alone.
                if (count / 2).trailingZeroBitCount % 2 == 1 {
                    pass(SIMD8<Float>.self, re, im, half: 8, tr + offset(8), ti + offset(8), inverse: true)
                    half = 16
                }
                while half <= count / 4 {
                    fusedPasses(re, im, half: half, tr, ti, inverse: true)
                    half *= 4
                }
            }
        }
    }

    /// Where the twiddles of half-span `half` start in the tables.
    @inline(__always)
    private func offset(_ half: Int) -> Int { count - 2 * half }

    /// Two consecutive passes (half-spans `2h` and `h`, `h ≥ 8`) in one sweep over memory, as
    /// radix-4 steps: three twiddle multiplications per four points instead of four.
    @inline(__always) @_optimize(speed)
    private func fusedPasses(
        _ re: UnsafeMutablePointer<Float>, _ im: UnsafeMutablePointer<Float>, half h: Int,
        _ tr: UnsafePointer<Float>, _ ti: UnsafePointer<Float>, inverse: Bool
    ) {
        typealias V = SIMD4<Float>
        let rr = UnsafeMutableRawPointer(re), ri = UnsafeMutableRawPointer(im)
        // W^j = exp(−2πi j / 4h) (the outer pass's first half), W^2j (the inner pass's), W^3j.
        let w1r = UnsafeRawPointer(tr + offset(2 * h)), w1i = UnsafeRawPointer(ti + offset(2 * h))
        let w2r = UnsafeRawPointer(tr + offset(h)), w2i = UnsafeRawPointer(ti + offset(h))
        let third = count / 2 - 2 * h
        twiddle3Real.withUnsafeBufferPointer { t3r in
            twiddle3Imaginary.withUnsafeBufferPointer { t3i in
                let w3r = UnsafeRawPointer(t3r.baseAddress! + third), w3i = UnsafeRawPointer(t3i.baseAddress! + third)
                let stride = h &* 4
                var start = 0
                while start < count {
                    var j = 0
                    while j < h {
                        let t = j &* 4, p0 = (start &+ j) &* 4, p1 = p0 &+ stride, p2 = p1 &+ stride, p3 = p2 &+ stride
                        let x0r = rr.loadUnaligned(fromByteOffset: p0, as: V.self), x0i = ri.loadUnaligned(fromByteOffset: p0, as: V.self)
                        let x1r = rr.loadUnaligned(fromByteOffset: p1, as: V.self), x1i = ri.loadUnaligned(fromByteOffset: p1, as: V.self)
                        let x2r = rr.loadUnaligned(fromByteOffset: p2, as: V.self), x2i = ri.loadUnaligned(fromByteOffset: p2, as: V.self)
                        let x3r = rr.loadUnaligned(fromByteOffset: p3, as: V.self), x3i = ri.loadUnaligned(fromByteOffset: p3, as: V.self)
                        let ar = w1r.loadUnaligned(fromByteOffset: t, as: V.self), ai = w1i.loadUnaligned(fromByteOffset: t, as: V.self)
                        let br = w2r.loadUnaligned(fromByteOffset: t, as: V.self), bi = w2i.loadUnaligned(fromByteOffset: t, as: V.self)
                        let cr = w3r.loadUnaligned(fromByteOffset: t, as: V.self), ci = w3i.loadUnaligned(fromByteOffset: t, as: V.self)
                        var y0r: V, y0i: V, y1r: V, y1i: V, y2r: V, y2i: V, y3r: V, y3i: V
                        if inverse {
                            // u = (x0, x1·conj(W^2j), x2·conj(W^j), x3·conj(W^3j)), then
                            // (u0 ± u1) ± (u2 + u3) and (u0 − u1) ± i(u2 − u3).
                            let u1r = x1r * br + x1i * bi, u1i = x1i * br - x1r * bi
                            let u2r = x2r * ar + x2i * ai, u2i = x2i * ar - x2r * ai
                            let u3r = x3r * cr + x3i * ci, u3i = x3i * cr - x3r * ci
                            let sr = x0r + u1r, si = x0i + u1i, dr = x0r - u1r, di = x0i - u1i
                            let er = u2r + u3r, ei = u2i + u3i, fr = u2r - u3r, fi = u2i - u3i
                            (y0r, y0i, y2r, y2i) = (sr + er, si + ei, sr - er, si - ei)
                            (y1r, y1i, y3r, y3i) = (dr - fi, di + fr, dr + fi, di - fr)
                        } else {
                            // a ± c, then (b ± d) with d = −i(x1 − x3); twiddles W^2j, W^j, W^3j.
                            let ar0 = x0r + x2r, ai0 = x0i + x2i, br0 = x0r - x2r, bi0 = x0i - x2i
                            let cr0 = x1r + x3r, ci0 = x1i + x3i, dr0 = x1i - x3i, di0 = x3r - x1r
                            y0r = ar0 + cr0
                            y0i = ai0 + ci0
                            let mr = ar0 - cr0, mi = ai0 - ci0
                            y1r = mr * br - mi * bi
                            y1i = mr * bi + mi * br
                            let pr = br0 + dr0, pi = bi0 + di0
                            y2r = pr * ar - pi * ai
                            y2i = pr * ai + pi * ar
                            let qr = br0 - dr0, qi = bi0 - di0
                            y3r = qr * cr - qi * ci
                            y3i = qr * ci + qi * cr
                        }
                        rr.storeBytes(of: y0r, toByteOffset: p0, as: V.self); ri.storeBytes(of: y0i, toByteOffset: p0, as: V.self)
                        rr.storeBytes(of: y1r, toByteOffset: p1, as: V.self); ri.storeBytes(of: y1i, toByteOffset: p1, as: V.self)
                        rr.storeBytes(of: y2r, toByteOffset: p2, as: V.self); ri.storeBytes(of: y2i, toByteOffset: p2, as: V.self)
                        rr.storeBytes(of: y3r, toByteOffset: p3, as: V.self); ri.storeBytes(of: y3i, toByteOffset: p3, as: V.self)
                        j &+= 4
                    }
                    start &+= 4 &* h
                }
            }
        }
    }

    /// One butterfly pass. Forward: `(a, b) → (a + b, (a − b)·w)`; inverse, its transpose:
    /// `(a, b) → (a + b·w̄, a − b·w̄)`.
    @inline(__always) @_optimize(speed)
    private func pass<V: SIMD>(
        _: V.Type, _ re: UnsafeMutablePointer<Float>, _ im: UnsafeMutablePointer<Float>, half: Int,
        _ wr: UnsafePointer<Float>, _ wi: UnsafePointer<Float>, inverse: Bool
    ) where V.Scalar == Float {
        let width = V.scalarCount
        let rr = UnsafeMutableRawPointer(re), ri = UnsafeMutableRawPointer(im)
        let twr = UnsafeRawPointer(wr), twi = UnsafeRawPointer(wi)
        var start = 0
        while start < count {
            var j = 0
            while j < half {
                let p = (start &+ j) &* 4, q = (start &+ half &+ j) &* 4
                let ar = rr.loadUnaligned(fromByteOffset: p, as: V.self)
                let ai = ri.loadUnaligned(fromByteOffset: p, as: V.self)
                let br = rr.loadUnaligned(fromByteOffset: q, as: V.self)
                let bi = ri.loadUnaligned(fromByteOffset: q, as: V.self)
                let cr = twr.loadUnaligned(fromByteOffset: j &* 4, as: V.self)
                let ci = twi.loadUnaligned(fromByteOffset: j &* 4, as: V.self)
                var xr = ar, xi = ai, yr = br, yi = bi
                if inverse {
                    butterflyInverse(&xr, &xi, &yr, &yi, cr, ci)
                } else {
                    butterflyForward(&xr, &xi, &yr, &yi, cr, ci)
                }
                rr.storeBytes(of: xr, toByteOffset: p, as: V.self)
                ri.storeBytes(of: xi, toByteOffset: p, as: V.self)
                rr.storeBytes(of: yr, toByteOffset: q, as: V.self)
                ri.storeBytes(of: yi, toByteOffset: q, as: V.self)
                j &+= width
            }
            start &+= 2 &* half
        }
    }

    /// The passes with half-spans 4, 2 and 1, on tiles of four groups of four: half-span 4
    /// pairs whole rows; then the forward transform transposes the tile (so that lane `g`
    /// holds group `g`) and does half-spans 2 and 1 as one radix-4 step across whole
    /// vectors, leaving the tile transposed; the inverse does the transposed steps in reverse. The spectrum's order is thus
    /// bit-reversed within tile-transposed tiles — the filter's spectrum is made by the same
    /// forward transform, so the element-wise product does not care.
    @inline(__always) @_optimize(speed)
    private func lastThreePasses(_ re: UnsafeMutablePointer<Float>, _ im: UnsafeMutablePointer<Float>, inverse: Bool) {
        typealias V = SIMD4<Float>
        let rr = UnsafeMutableRawPointer(re), ri = UnsafeMutableRawPointer(im)
        let w4r = twiddleReal.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress! + offset(4)).loadUnaligned(as: V.self) }
        let w4i = twiddleImaginary.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress! + offset(4)).loadUnaligned(as: V.self) }
        var g = 0
        let end = count &* 4
        while g < end {
            var r0 = rr.loadUnaligned(fromByteOffset: g, as: V.self), i0 = ri.loadUnaligned(fromByteOffset: g, as: V.self)
            var r1 = rr.loadUnaligned(fromByteOffset: g &+ 16, as: V.self), i1 = ri.loadUnaligned(fromByteOffset: g &+ 16, as: V.self)
            var r2 = rr.loadUnaligned(fromByteOffset: g &+ 32, as: V.self), i2 = ri.loadUnaligned(fromByteOffset: g &+ 32, as: V.self)
            var r3 = rr.loadUnaligned(fromByteOffset: g &+ 48, as: V.self), i3 = ri.loadUnaligned(fromByteOffset: g &+ 48, as: V.self)
            if inverse {
                // Half-span 1 (twiddle 1), then half-span 2 (twiddles 1 and conj(−i) = i).
                let s0r = r0 + r1, s0i = i0 + i1, s1r = r0 - r1, s1i = i0 - i1
                let s2r = r2 + r3, s2i = i2 + i3, s3r = r2 - r3, s3i = i2 - i3
                // i · s3 = (−s3i, s3r).
                (r0, i0, r2, i2) = (s0r + s2r, s0i + s2i, s0r - s2r, s0i - s2i)
                (r1, i1, r3, i3) = (s1r - s3i, s1i + s3r, s1r + s3i, s1i - s3r)
                transpose(&r0, &r1, &r2, &r3)
                transpose(&i0, &i1, &i2, &i3)
                butterflyInverse(&r0, &i0, &r1, &i1, w4r, w4i)
                butterflyInverse(&r2, &i2, &r3, &i3, w4r, w4i)
            } else {
                butterflyForward(&r0, &i0, &r1, &i1, w4r, w4i)
                butterflyForward(&r2, &i2, &r3, &i3, w4r, w4i)
                transpose(&r0, &r1, &r2, &r3)
                transpose(&i0, &i1, &i2, &i3)
                // Half-span 2 (twiddles 1 and −i), then half-span 1 (twiddle 1).
                let y0r = r0 + r2, y0i = i0 + i2, y2r = r0 - r2, y2i = i0 - i2
                let y1r = r1 + r3, y1i = i1 + i3, dr = r1 - r3, di = i1 - i3
                // y3 = −i · d = (di, −dr).
                (r0, i0, r1, i1) = (y0r + y1r, y0i + y1i, y0r - y1r, y0i - y1i)
                (r2, i2, r3, i3) = (y2r + di, y2i - dr, y2r - di, y2i + dr)
            }
            rr.storeBytes(of: r0, toByteOffset: g, as: V.self); ri.storeBytes(of: i0, toByteOffset: g, as: V.self)
            rr.storeBytes(of: r1, toByteOffset: g &+ 16, as: V.self); ri.storeBytes(of: i1, toByteOffset: g &+ 16, as: V.self)
            rr.storeBytes(of: r2, toByteOffset: g &+ 32, as: V.self); ri.storeBytes(of: i2, toByteOffset: g &+ 32, as: V.self)
            rr.storeBytes(of: r3, toByteOffset: g &+ 48, as: V.self); ri.storeBytes(of: i3, toByteOffset: g &+ 48, as: V.self)
            g &+= 64
        }
    }
}

/// Transposes the 4×4 matrix whose rows are `a`, `b`, `c`, `d` (unpack and move-half
/// shuffles). Not inlined on purpose: inlined, the optimiser folds the shuffles into the
/// radix-4 arithmetic around them and splits it into scalar operations, three times slower.
@inline(__always)
private func transpose(_ a: inout SIMD4<Float>, _ b: inout SIMD4<Float>, _ c: inout SIMD4<Float>, _ d: inout SIMD4<Float>) {
    let m = transposed(SIMD16(lowHalf: SIMD8(lowHalf: a, highHalf: b), highHalf: SIMD8(lowHalf: c, highHalf: d)))
    (a, b, c, d) = (m.lowHalf.lowHalf, m.lowHalf.highHalf, m.highHalf.lowHalf, m.highHalf.highHalf)
}

@inline(never) @_optimize(speed)
private func transposed(_ m: SIMD16<Float>) -> SIMD16<Float> {
    let a = m.lowHalf.lowHalf, b = m.lowHalf.highHalf, c = m.highHalf.lowHalf, d = m.highHalf.highHalf
    let t0 = SIMD4(a[0], b[0], a[1], b[1]), t1 = SIMD4(c[0], d[0], c[1], d[1])
    let t2 = SIMD4(a[2], b[2], a[3], b[3]), t3 = SIMD4(c[2], d[2], c[3], d[3])
    return SIMD16(
        lowHalf: SIMD8(lowHalf: SIMD4(lowHalf: t0.lowHalf, highHalf: t1.lowHalf),
                       highHalf: SIMD4(lowHalf: t0.highHalf, highHalf: t1.highHalf)),
        highHalf: SIMD8(lowHalf: SIMD4(lowHalf: t2.lowHalf, highHalf: t3.lowHalf),
                        highHalf: SIMD4(lowHalf: t2.highHalf, highHalf: t3.highHalf)))
}

/// Forward (decimation-in-frequency) butterfly: `(a, b) → (a + b, (a − b)·w)`.
@inline(__always) @_optimize(speed)
private func butterflyForward<V: SIMD>(_ ar: inout V, _ ai: inout V, _ br: inout V, _ bi: inout V, _ wr: V, _ wi: V)
where V.Scalar == Float {
    let dr = ar - br, di = ai - bi
    ar += br
    ai += bi
    br = dr * wr - di * wi
    bi = dr * wi + di * wr
}

/// Inverse (decimation-in-time) butterfly, the transpose: `(a, b) → (a + b·w̄, a − b·w̄)`.
@inline(__always) @_optimize(speed)
private func butterflyInverse<V: SIMD>(_ ar: inout V, _ ai: inout V, _ br: inout V, _ bi: inout V, _ wr: V, _ wi: V)
where V.Scalar == Float {
    let tr = br * wr + bi * wi
    let ti = bi * wr - br * wi
    br = ar - tr
    bi = ai - ti
    ar += tr
    ai += ti
}
