internal import Foundation

/// An in-place radix-2 FFT on split real/imaginary Float arrays, made for fast convolution:
/// the forward transform (decimation in frequency) leaves the spectrum in bit-reversed
/// order and the inverse (decimation in time) takes it in that order, so no reordering pass
/// is ever needed — a spectrum only gets multiplied by another in the same order.
///
/// Passes with half-spans of 8 or more run on `SIMD8<Float>`, the half-span-4 pass on
/// `SIMD4<Float>`, and the last two passes as one radix-4 step on two groups at a time
/// (their twiddles are ±1 and ±i).
struct SplitComplexFFT {
    /// The transform length, a power of two ≥ 16.
    let count: Int
    /// Twiddles `exp(-2πi j / (2h))` for `j < h`, for every half-span `h ≥ 4`, concatenated
    /// from the largest half-span down.
    private let twiddleReal: [Float]
    private let twiddleImaginary: [Float]

    init(count: Int) {
        precondition(count >= 16 && count & (count - 1) == 0, "FFT length must be a power of two ≥ 16")
        self.count = count
        var real: [Float] = []
        var imaginary: [Float] = []
        var half = count / 2
        while half >= 4 {
            for j in 0..<half {
                let angle = -Double.pi * Double(j) / Double(half)
                real.append(Float(cos(angle)))
                imaginary.append(Float(sin(angle)))
            }
            half /= 2
        }
        twiddleReal = real
        twiddleImaginary = imaginary
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
                pass(SIMD4<Float>.self, re, im, half: 4, tr + offset(4), ti + offset(4), inverse: false)
            }
        }
        lastTwoPasses(re, im, inverse: false)
    }

    /// Inverse transform without the 1/N scale, bit-reversed order in, natural order out.
    @_optimize(speed)
    func inverse(_ re: UnsafeMutablePointer<Float>, _ im: UnsafeMutablePointer<Float>) {
        lastTwoPasses(re, im, inverse: true)
        twiddleReal.withUnsafeBufferPointer { wr in
            twiddleImaginary.withUnsafeBufferPointer { wi in
                let tr = wr.baseAddress!, ti = wi.baseAddress!
                pass(SIMD4<Float>.self, re, im, half: 4, tr + offset(4), ti + offset(4), inverse: true)
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

    /// Two consecutive passes (half-spans `2h` and `h`, `h ≥ 8`) in one sweep over memory,
    /// with exactly the arithmetic of two ``pass(_:_:_:half:_:_:inverse:)`` calls.
    @inline(__always) @_optimize(speed)
    private func fusedPasses(
        _ re: UnsafeMutablePointer<Float>, _ im: UnsafeMutablePointer<Float>, half h: Int,
        _ tr: UnsafePointer<Float>, _ ti: UnsafePointer<Float>, inverse: Bool
    ) {
        typealias V = SIMD4<Float>
        let rr = UnsafeMutableRawPointer(re), ri = UnsafeMutableRawPointer(im)
        let outerR = UnsafeRawPointer(tr + offset(2 * h)), outerI = UnsafeRawPointer(ti + offset(2 * h))
        let innerR = UnsafeRawPointer(tr + offset(h)), innerI = UnsafeRawPointer(ti + offset(h))
        var start = 0
        while start < count {
            var j = 0
            while j < h {
                let p0 = (start + j) * 4, p1 = p0 + h * 4, p2 = p0 + 2 * h * 4, p3 = p0 + 3 * h * 4
                var x0r = rr.loadUnaligned(fromByteOffset: p0, as: V.self), x0i = ri.loadUnaligned(fromByteOffset: p0, as: V.self)
                var x1r = rr.loadUnaligned(fromByteOffset: p1, as: V.self), x1i = ri.loadUnaligned(fromByteOffset: p1, as: V.self)
                var x2r = rr.loadUnaligned(fromByteOffset: p2, as: V.self), x2i = ri.loadUnaligned(fromByteOffset: p2, as: V.self)
                var x3r = rr.loadUnaligned(fromByteOffset: p3, as: V.self), x3i = ri.loadUnaligned(fromByteOffset: p3, as: V.self)
                let ar = outerR.loadUnaligned(fromByteOffset: j * 4, as: V.self)
                let ai = outerI.loadUnaligned(fromByteOffset: j * 4, as: V.self)
                let br = outerR.loadUnaligned(fromByteOffset: (j + h) * 4, as: V.self)
                let bi = outerI.loadUnaligned(fromByteOffset: (j + h) * 4, as: V.self)
                let cr = innerR.loadUnaligned(fromByteOffset: j * 4, as: V.self)
                let ci = innerI.loadUnaligned(fromByteOffset: j * 4, as: V.self)
                if inverse {
                    // Half-span h on (x0, x1) and (x2, x3), then 2h on (x0, x2) and (x1, x3).
                    butterflyInverse(&x0r, &x0i, &x1r, &x1i, cr, ci)
                    butterflyInverse(&x2r, &x2i, &x3r, &x3i, cr, ci)
                    butterflyInverse(&x0r, &x0i, &x2r, &x2i, ar, ai)
                    butterflyInverse(&x1r, &x1i, &x3r, &x3i, br, bi)
                } else {
                    // Half-span 2h on (x0, x2) and (x1, x3), then h on (x0, x1) and (x2, x3).
                    butterflyForward(&x0r, &x0i, &x2r, &x2i, ar, ai)
                    butterflyForward(&x1r, &x1i, &x3r, &x3i, br, bi)
                    butterflyForward(&x0r, &x0i, &x1r, &x1i, cr, ci)
                    butterflyForward(&x2r, &x2i, &x3r, &x3i, cr, ci)
                }
                rr.storeBytes(of: x0r, toByteOffset: p0, as: V.self); ri.storeBytes(of: x0i, toByteOffset: p0, as: V.self)
                rr.storeBytes(of: x1r, toByteOffset: p1, as: V.self); ri.storeBytes(of: x1i, toByteOffset: p1, as: V.self)
                rr.storeBytes(of: x2r, toByteOffset: p2, as: V.self); ri.storeBytes(of: x2i, toByteOffset: p2, as: V.self)
                rr.storeBytes(of: x3r, toByteOffset: p3, as: V.self); ri.storeBytes(of: x3i, toByteOffset: p3, as: V.self)
                j += 4
            }
            start += 4 * h
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
                let p = (start + j) * 4, q = (start + half + j) * 4
                let ar = rr.loadUnaligned(fromByteOffset: p, as: V.self)
                let ai = ri.loadUnaligned(fromByteOffset: p, as: V.self)
                let br = rr.loadUnaligned(fromByteOffset: q, as: V.self)
                let bi = ri.loadUnaligned(fromByteOffset: q, as: V.self)
                let cr = twr.loadUnaligned(fromByteOffset: j * 4, as: V.self)
                let ci = twi.loadUnaligned(fromByteOffset: j * 4, as: V.self)
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
                j += width
            }
            start += 2 * half
        }
    }

    /// The passes with half-spans 2 and 1 over each group of four, as one radix-4 step, two
    /// groups per `SIMD8` (the lane shuffles below become vector shuffles).
    @inline(__always) @_optimize(speed)
    private func lastTwoPasses(_ re: UnsafeMutablePointer<Float>, _ im: UnsafeMutablePointer<Float>, inverse: Bool) {
        let rr = UnsafeMutableRawPointer(re), ri = UnsafeMutableRawPointer(im)
        let odd = SIMDMask<SIMD4<Int32>>([false, true, false, true])
        let high = SIMDMask<SIMD4<Int32>>([false, false, true, true])
        var g = 0
        while g < count * 4 {
            let vr = rr.loadUnaligned(fromByteOffset: g, as: SIMD8<Float>.self)
            let vi = ri.loadUnaligned(fromByteOffset: g, as: SIMD8<Float>.self)
            if inverse {
                // Half-span 1 (twiddle 1), then half-span 2 (twiddles 1 and conj(−i) = i).
                let er = SIMD4(vr[0], vr[2], vr[4], vr[6]), ei = SIMD4(vi[0], vi[2], vi[4], vi[6])
                let or = SIMD4(vr[1], vr[3], vr[5], vr[7]), oi = SIMD4(vi[1], vi[3], vi[5], vi[7])
                let sr = er + or, si = ei + oi, dr = er - or, di = ei - oi
                let ar = SIMD4(sr[0], sr[2], dr[0], dr[2]), ai = SIMD4(si[0], si[2], di[0], di[2])
                var br = SIMD4(sr[1], sr[3], dr[1], dr[3]), bi = SIMD4(si[1], si[3], di[1], di[3])
                let tr = br
                br.replace(with: -bi, where: high)  // × i: (r, i) → (−i, r)
                bi.replace(with: tr, where: high)
                let pr = ar + br, pi = ai + bi, mr = ar - br, mi = ai - bi
                rr.storeBytes(of: SIMD8(pr[0], pr[2], mr[0], mr[2], pr[1], pr[3], mr[1], mr[3]), toByteOffset: g, as: SIMD8<Float>.self)
                ri.storeBytes(of: SIMD8(pi[0], pi[2], mi[0], mi[2], pi[1], pi[3], mi[1], mi[3]), toByteOffset: g, as: SIMD8<Float>.self)
            } else {
                // Half-span 2 (twiddles 1 and −i), then half-span 1 (twiddle 1).
                let ar = SIMD4(vr[0], vr[1], vr[4], vr[5]), ai = SIMD4(vi[0], vi[1], vi[4], vi[5])
                let br = SIMD4(vr[2], vr[3], vr[6], vr[7]), bi = SIMD4(vi[2], vi[3], vi[6], vi[7])
                let sr = ar + br, si = ai + bi
                var dr = ar - br, di = ai - bi
                let tr = dr
                dr.replace(with: di, where: odd)  // × −i: (r, i) → (i, −r)
                di.replace(with: -tr, where: odd)
                let ur = SIMD4(sr[0], sr[2], dr[0], dr[2]), ui = SIMD4(si[0], si[2], di[0], di[2])
                let wr = SIMD4(sr[1], sr[3], dr[1], dr[3]), wi = SIMD4(si[1], si[3], di[1], di[3])
                let pr = ur + wr, pi = ui + wi, mr = ur - wr, mi = ui - wi
                rr.storeBytes(of: SIMD8(pr[0], mr[0], pr[2], mr[2], pr[1], mr[1], pr[3], mr[3]), toByteOffset: g, as: SIMD8<Float>.self)
                ri.storeBytes(of: SIMD8(pi[0], mi[0], pi[2], mi[2], pi[1], mi[1], pi[3], mi[3]), toByteOffset: g, as: SIMD8<Float>.self)
            }
            g += 32
        }
    }
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
