/// One channel of a decimate-by-2 stage whose low-pass is a half-band filter: cutoff at a
/// quarter of the input rate, so every even tap but the centre is zero and the odd taps are
/// symmetric. Output `m` (at input time `2m`, so nothing moves) is
/// `½·x[2m] + Σᵣ cᵣ·(x[2m+2r+1] + x[2m−2r−1])`: one multiply per pair of taps.
///
/// Input is split into its even and odd samples as it arrives, so eight outputs are computed
/// at once from contiguous loads. The stage keeps the band the final stage needs and
/// rejects, by the design attenuation, every component that would fold into it; what it
/// lets through above the final Nyquist frequency, later stages remove.
struct HalfBandDecimator {
    private let centre: Float
    /// `cᵣ = h(2r + 1)`.
    private let coefficients: [Float]
    /// Even and odd input samples: `even[q − base] = x[2q]`, `odd[q − base] = x[2q + 1]`.
    private var even: [Float]
    private var odd: [Float]
    private var base: Int
    private var received = 0
    private var nextOutput = 0

    /// Designs a stage.
    /// - Parameters:
    ///   - transition: The transition band's width in cycles per input sample, centred on 0.25.
    ///   - attenuationDB: The stopband rejection to design for.
    init(transition: Double, attenuationDB: Double) {
        let span = KaiserWindow.span(attenuationDB: attenuationDB, transition: transition)
        var half = Int((span / 2).rounded(.up))
        if half % 2 == 0 { half += 1 }
        let beta = KaiserWindow.beta(attenuationDB: attenuationDB)
        let i0Beta = KaiserWindow.besselI0(beta)
        func tap(_ k: Int) -> Float {
            Float(KaiserWindow.lowPass(at: Double(k), cutoff: 0.25, halfSpan: Double(half) + 1, beta: beta, i0Beta: i0Beta))
        }
        centre = tap(0)
        coefficients = (0..<((half + 1) / 2)).map { tap(2 * $0 + 1) }
        even = []
        odd = []
        base = 0
        reset()
    }

    /// Returns the stage to its state before the first input, keeping its design.
    mutating func reset() {
        let r = coefficients.count
        even.removeAll(keepingCapacity: true)
        odd.removeAll(keepingCapacity: true)
        even.append(contentsOf: repeatElement(0, count: r))
        odd.append(contentsOf: repeatElement(0, count: r))
        base = -r
        received = 0
        nextOutput = 0
    }

    /// Consumes input and appends every output whose filter window is complete.
    mutating func process(_ input: UnsafeBufferPointer<Float>, into output: inout [Float]) {
        append(input)
        produce(into: &output, limit: .max)
    }

    /// Ends the stream: zero-pads and appends every output that overlaps real input.
    mutating func flush(into output: inout [Float]) {
        // Output m reaches back to x[2m − 2R + 1]; stop once that is past the last sample.
        let limit = (received - 1 + 2 * coefficients.count - 1) / 2 + 1
        let zeros = [Float](repeating: 0, count: 2 * coefficients.count + 2)
        zeros.withUnsafeBufferPointer { append($0) }
        produce(into: &output, limit: limit)
    }

    private mutating func append(_ input: UnsafeBufferPointer<Float>) {
        let r = coefficients.count
        let drop = nextOutput - r - base
        if drop > 0, drop >= even.count / 2 {
            even.removeFirst(drop)
            odd.removeFirst(min(drop, odd.count))
            base += drop
        }
        // Sample k of this chunk is x[received + k]: even when received + k is even.
        let firstEven = received & 1
        let evens = (input.count - firstEven + 1) / 2
        let odds = input.count - evens
        split(input, from: firstEven, count: evens, into: &even)
        split(input, from: 1 - firstEven, count: odds, into: &odd)
        received += input.count
    }

    /// Appends `input[from], input[from + 2], …` (`count` of them) to `target`.
    @_optimize(speed)
    private func split(_ input: UnsafeBufferPointer<Float>, from: Int, count: Int, into target: inout [Float]) {
        guard count > 0 else { return }
        let start = target.count
        target.append(contentsOf: repeatElement(0, count: count))
        target.withUnsafeMutableBufferPointer { t in
            for k in 0..<count { t[start + k] = input[from + 2 * k] }
        }
    }

    @_optimize(speed)
    private mutating func produce(into output: inout [Float], limit: Int) {
        let r = coefficients.count
        // Output m needs even[m] and odd[m − r ... m + r − 1].
        let ready = min(base + even.count, base + odd.count - r + 1, limit)
        let count = ready - nextOutput
        guard count > 0 else { return }
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: count))
        let first = nextOutput - base, centre = self.centre
        even.withUnsafeBufferPointer { e in
            odd.withUnsafeBufferPointer { o in
                coefficients.withUnsafeBufferPointer { c in
                    output.withUnsafeMutableBufferPointer { out in
                        let re = UnsafeRawPointer(e.baseAddress!), ro = UnsafeRawPointer(o.baseAddress!)
                        var m = 0
                        while m + 8 <= count {
                            let q = first + m
                            // Smallest taps first, the centre last: less round-off.
                            var acc = SIMD8<Float>()
                            for j in (0..<r).reversed() {
                                let pair = ro.loadUnaligned(fromByteOffset: (q + j) * 4, as: SIMD8<Float>.self)
                                    + ro.loadUnaligned(fromByteOffset: (q - 1 - j) * 4, as: SIMD8<Float>.self)
                                acc += pair * c[j]
                            }
                            acc += re.loadUnaligned(fromByteOffset: q * 4, as: SIMD8<Float>.self) * centre
                            UnsafeMutableRawPointer(out.baseAddress! + start + m).storeBytes(of: acc, as: SIMD8<Float>.self)
                            m += 8
                        }
                        // The same operations in the same order, one lane at a time.
                        while m < count {
                            let q = first + m
                            var acc: Float = 0
                            for j in (0..<r).reversed() { acc += (o[q + j] + o[q - 1 - j]) * c[j] }
                            out[start + m] = acc + e[q] * centre
                            m += 1
                        }
                    }
                }
            }
        }
        nextOutput = ready
    }
}
