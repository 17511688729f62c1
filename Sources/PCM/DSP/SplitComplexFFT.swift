internal import Foundation

/// An in-place radix-2 FFT on split real/imaginary Float arrays, made for fast convolution:
/// the forward transform (decimation in frequency) leaves the spectrum in bit-reversed
/// order and the inverse (decimation in time) takes it in that order, so no reordering pass
/// is ever needed — a spectrum only gets multiplied by another in the same order.
///
/// Passes with half-spans of 8 or more run on `SIMD8<Float>`, the half-span-4 pass on
/// `SIMD4<Float>`, and the last two passes as one scalar radix-4 step (their twiddles are
/// ±1 and ±i).
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
                var half = count / 2
                var offset = 0
                while half >= 8 {
                    pass(SIMD8<Float>.self, re, im, half: half, wr.baseAddress! + offset, wi.baseAddress! + offset, inverse: false)
                    offset += half
                    half /= 2
                }
                pass(SIMD4<Float>.self, re, im, half: 4, wr.baseAddress! + offset, wi.baseAddress! + offset, inverse: false)
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
                var offset = wr.count - 4
                pass(SIMD4<Float>.self, re, im, half: 4, wr.baseAddress! + offset, wi.baseAddress! + offset, inverse: true)
                var half = 8
                while half <= count / 2 {
                    offset -= half
                    pass(SIMD8<Float>.self, re, im, half: half, wr.baseAddress! + offset, wi.baseAddress! + offset, inverse: true)
                    half *= 2
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
                let p = (start + j) * 4, q = (start + half + j) * 4
                let ar = rr.loadUnaligned(fromByteOffset: p, as: V.self)
                let ai = ri.loadUnaligned(fromByteOffset: p, as: V.self)
                let br = rr.loadUnaligned(fromByteOffset: q, as: V.self)
                let bi = ri.loadUnaligned(fromByteOffset: q, as: V.self)
                let cr = twr.loadUnaligned(fromByteOffset: j * 4, as: V.self)
                let ci = twi.loadUnaligned(fromByteOffset: j * 4, as: V.self)
                if inverse {
                    let tr = br * cr + bi * ci
                    let ti = bi * cr - br * ci
                    rr.storeBytes(of: ar + tr, toByteOffset: p, as: V.self)
                    ri.storeBytes(of: ai + ti, toByteOffset: p, as: V.self)
                    rr.storeBytes(of: ar - tr, toByteOffset: q, as: V.self)
                    ri.storeBytes(of: ai - ti, toByteOffset: q, as: V.self)
                } else {
                    let dr = ar - br, di = ai - bi
                    rr.storeBytes(of: ar + br, toByteOffset: p, as: V.self)
                    ri.storeBytes(of: ai + bi, toByteOffset: p, as: V.self)
                    rr.storeBytes(of: dr * cr - di * ci, toByteOffset: q, as: V.self)
                    ri.storeBytes(of: dr * ci + di * cr, toByteOffset: q, as: V.self)
                }
                j += width
            }
            start += 2 * half
        }
    }

    /// The passes with half-spans 2 and 1 over each group of four, as one radix-4 step.
    @inline(__always) @_optimize(speed)
    private func lastTwoPasses(_ re: UnsafeMutablePointer<Float>, _ im: UnsafeMutablePointer<Float>, inverse: Bool) {
        var g = 0
        while g < count {
            let (r0, r1, r2, r3) = (re[g], re[g + 1], re[g + 2], re[g + 3])
            let (i0, i1, i2, i3) = (im[g], im[g + 1], im[g + 2], im[g + 3])
            if inverse {
                // Half-span 1 first, then half-span 2 with twiddles 1 and conj(−i) = i.
                let (s0r, s0i, d0r, d0i) = (r0 + r1, i0 + i1, r0 - r1, i0 - i1)
                let (s1r, s1i, d1r, d1i) = (r2 + r3, i2 + i3, r2 - r3, i2 - i3)
                re[g] = s0r + s1r; im[g] = s0i + s1i
                re[g + 2] = s0r - s1r; im[g + 2] = s0i - s1i
                // b = d1 · i = (−d1i, d1r)
                re[g + 1] = d0r - d1i; im[g + 1] = d0i + d1r
                re[g + 3] = d0r + d1i; im[g + 3] = d0i - d1r
            } else {
                // Half-span 2: twiddles 1 and −i; then half-span 1.
                let (s0r, s0i, d0r, d0i) = (r0 + r2, i0 + i2, r0 - r2, i0 - i2)
                let (s1r, s1i) = (r1 + r3, i1 + i3)
                // (r1 − r3, i1 − i3) · (−i) = (i1 − i3, −(r1 − r3))
                let (e1r, e1i) = (i1 - i3, r3 - r1)
                re[g] = s0r + s1r; im[g] = s0i + s1i
                re[g + 1] = s0r - s1r; im[g + 1] = s0i - s1i
                re[g + 2] = d0r + e1r; im[g + 2] = d0i + e1i
                re[g + 3] = d0r - e1r; im[g + 3] = d0i - e1i
            }
            g += 4
        }
    }
}
