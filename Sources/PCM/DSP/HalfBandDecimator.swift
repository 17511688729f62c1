/// One channel of a decimate-by-2 stage whose low-pass is a half-band filter: cutoff at a
/// quarter of the input rate, so every even tap but the centre is zero and the odd taps are
/// symmetric. Output `m` (at input time `2m`, so nothing moves) is
/// `½·x[2m] + Σᵣ cᵣ·(x[2m+2r+1] + x[2m−2r−1])`: one multiply per pair of taps.
///
/// Input is split into its even and odd samples as it arrives, so sixteen outputs are computed
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
    /// The index of the first input sample (negative when an earlier stage's output starts
    /// before time 0: its filter spreads the first samples backwards).
    private let inputStart: Int
    /// The index of the first output: the first whose window reaches real input, so the
    /// stream starts as if silence came before it.
    let outputStart: Int

    /// Designs a stage.
    /// - Parameters:
    ///   - transition: The transition band's width in cycles per input sample, centred on 0.25.
    ///   - attenuationDB: The stopband rejection to design for.
    ///   - inputStart: The index of the first input sample.
    init(transition: Double, attenuationDB: Double, inputStart: Int = 0) {
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
        self.inputStart = inputStart
        // Output m reads x[2m − 2R + 1 ... 2m + 2R − 1].
        outputStart = ceilingHalf(inputStart - 2 * coefficients.count + 1)
        even = []
        odd = []
        base = 0
        reset()
    }

    /// Returns the stage to its state before the first input, keeping its design.
    mutating func reset() {
        base = outputStart - coefficients.count
        even.removeAll(keepingCapacity: true)
        odd.removeAll(keepingCapacity: true)
        // Silence before the first input: x[2q] for 2q < inputStart, x[2q+1] for 2q+1 < inputStart.
        even.append(contentsOf: repeatElement(0, count: ceilingHalf(inputStart) - base))
        odd.append(contentsOf: repeatElement(0, count: ceilingHalf(inputStart - 1) - base))
        received = 0
        nextOutput = outputStart
    }

    /// Consumes input and appends every output whose filter window is complete.
    mutating func process(_ input: UnsafeBufferPointer<Float>, into output: inout [Float]) {
        append(input)
        produce(into: &output, limit: .max)
    }

    /// Ends the stream: zero-pads and appends every output that overlaps real input.
    mutating func flush(into output: inout [Float]) {
        // Output m reaches back to x[2m − 2R + 1]; stop once that is past the last sample.
        let last = inputStart + received - 1
        let limit = (last + 2 * coefficients.count - 1) >> 1 + 1
        let zeros = [Float](repeating: 0, count: 2 * coefficients.count + 2)
        while nextOutput < limit {
            zeros.withUnsafeBufferPointer { append($0) }
            produce(into: &output, limit: limit)
        }
    }

    private mutating func append(_ input: UnsafeBufferPointer<Float>) {
        let r = coefficients.count
        let drop = nextOutput - r - base
        if drop > 0, drop >= even.count / 2 {
            even.removeFirst(drop)
            odd.removeFirst(min(drop, odd.count))
            base += drop
        }
        // Sample k of this chunk is x[inputStart + received + k].
        let firstEven = (inputStart + received) & 1
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
            let source = UnsafeRawPointer(input.baseAddress! + from)
            let destination = UnsafeMutableRawPointer(t.baseAddress! + start)
            var k = 0
            // Sixteen samples in, their eight even-indexed ones out (one shuffle). The last
            // load must stay inside the input, hence `2k + 16 ≤ input.count − from`.
            while k + 8 <= count, 2 * k + 16 <= input.count - from {
                let pairs = source.loadUnaligned(fromByteOffset: 8 * k, as: SIMD16<Float>.self)
                destination.storeBytes(of: pairs.evenHalf, toByteOffset: 4 * k, as: SIMD8<Float>.self)
                k += 8
            }
            while k < count {
                t[start + k] = input[from + 2 * k]
                k += 1
            }
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
                        while m + 16 <= count {
                            let q = first + m
                            // Smallest taps first, the centre last: less round-off.
                            var acc = SIMD16<Float>()
                            for j in (0..<r).reversed() {
                                let pair = ro.loadUnaligned(fromByteOffset: (q + j) * 4, as: SIMD16<Float>.self)
                                    + ro.loadUnaligned(fromByteOffset: (q - 1 - j) * 4, as: SIMD16<Float>.self)
                                acc += pair * c[j]
                            }
                            acc += re.loadUnaligned(fromByteOffset: q * 4, as: SIMD16<Float>.self) * centre
                            UnsafeMutableRawPointer(out.baseAddress! + start + m).storeBytes(of: acc, as: SIMD16<Float>.self)
                            m += 16
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

/// `⌈a / 2⌉` for any sign.
private func ceilingHalf(_ a: Int) -> Int { -((-a) >> 1) }
