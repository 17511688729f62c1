/// One channel of a decimate-by-2 stage whose low-pass is a half-band filter: cutoff at a
/// quarter of the input rate, so every even tap but the centre is zero and the odd taps are
/// symmetric. Output `m` (at input time `2m`, so nothing moves) is
/// `½·x[2m] + Σᵣ cᵣ·(x[2m+2r+1] + x[2m−2r−1])`: one multiply per pair of taps.
///
/// Input is split into its even and odd samples as it arrives, so sixteen outputs are computed
/// at once from contiguous loads. The stage keeps the band the final stage needs and
/// rejects, by the design attenuation, every component that would fold into it; what it
/// lets through above the final Nyquist frequency, later stages remove.
struct HalfBandDecimator: FilterStage {
    private let centre: Float
    /// `cᵣ = h(2r + 1)`.
    private let coefficients: [Float]
    /// Even and odd input samples: `even[q − base] = x[2q]`, `odd[q − base] = x[2q + 1]`.
    private var even = SampleQueue()
    private var odd = SampleQueue()
    private var base = 0
    private var received = 0
    private var nextOutput = 0
    /// One past the last output once ``finish()`` was called.
    private var outputLimit = Int.max
    /// Silence to pad the end of the stream with.
    private let zeros: [Float]
    /// Input written in place by an earlier stage, before it is split.
    private var scratch = SampleQueue()
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
        zeros = [Float](repeating: 0, count: 2 * coefficients.count + 2)
        reset()
    }

    mutating func reset() {
        base = outputStart - coefficients.count
        even.removeAll()
        odd.removeAll()
        // Silence before the first input: x[2q] for 2q < inputStart, x[2q+1] for 2q+1 < inputStart.
        even.appendZeros(ceilingHalf(inputStart) - base)
        odd.appendZeros(ceilingHalf(inputStart - 1) - base)
        received = 0
        nextOutput = outputStart
        outputLimit = .max
    }

    /// Ends the stream: zero-pads so that every output that overlaps real input is ready.
    mutating func finish() {
        // Output m reaches back to x[2m − 2R + 1]; stop once that is past the last sample.
        let last = inputStart + received - 1
        outputLimit = (last + 2 * coefficients.count - 1) >> 1 + 1
        while nextOutput + readyCount < outputLimit {
            zeros.withUnsafeBufferPointer { append($0) }
        }
    }

    /// The decimator splits its input into even and odd samples, so input written in place
    /// lands in a scratch queue first (only a chain of decimators, from 88.2 kHz up, does it).
    mutating func receive(upTo n: Int, _ write: (UnsafeMutablePointer<Float>) -> Int) {
        var input = SampleQueue()
        swap(&input, &scratch)
        input.removeAll()
        input.append(upTo: n, write)
        input.withSamples { append($0) }
        swap(&input, &scratch)
    }

    mutating func append(_ input: UnsafeBufferPointer<Float>) {
        let r = coefficients.count
        let drop = min(nextOutput - r - base, even.count, odd.count)
        if drop > 0 {
            even.removeFirst(drop)
            odd.removeFirst(drop)
            base += drop
        }
        // Sample k of this chunk is x[inputStart + received + k].
        let firstEven = (inputStart + received) & 1
        let evens = (input.count - firstEven + 1) / 2
        let odds = input.count - evens
        even.append(upTo: evens) { Self.split(input, from: firstEven, count: evens, into: $0) }
        odd.append(upTo: odds) { Self.split(input, from: 1 - firstEven, count: odds, into: $0) }
        received += input.count
    }

    /// Appends `input[from], input[from + 2], …` (`count` of them) to `target`.
    /// - Returns: `count`.
    @_optimize(speed)
    private static func split(
        _ input: UnsafeBufferPointer<Float>, from: Int, count: Int, into target: UnsafeMutablePointer<Float>
    ) -> Int {
        let source = UnsafeRawPointer(input.baseAddress! + from)
        let destination = UnsafeMutableRawPointer(target)
        var k = 0
        // Sixteen samples in, their eight even-indexed ones out (one shuffle). The last
        // load must stay inside the input, hence `2k + 16 ≤ input.count − from`.
        while k + 8 <= count, 2 * k + 16 <= input.count - from {
            let pairs = source.loadUnaligned(fromByteOffset: 8 * k, as: SIMD16<Float>.self)
            destination.storeBytes(of: pairs.evenHalf, toByteOffset: 4 * k, as: SIMD8<Float>.self)
            k += 8
        }
        while k < count {
            target[k] = input[from + 2 * k]
            k += 1
        }
        return count
    }

    var readyCount: Int {
        // Output m needs even[m] and odd[m − r ... m + r − 1].
        let ready = min(base + even.count, base + odd.count - coefficients.count + 1, outputLimit)
        return max(0, ready - nextOutput)
    }

    @_optimize(speed)
    mutating func produce(into output: UnsafeMutablePointer<Float>, capacity: Int) -> Int {
        let r = coefficients.count
        let count = min(readyCount, capacity)
        guard count > 0 else { return 0 }
        let first = nextOutput - base, centre = self.centre
        even.withSamples { e in
            odd.withSamples { o in
                coefficients.withUnsafeBufferPointer { c in
                    let re = UnsafeRawPointer(e.baseAddress!), ro = UnsafeRawPointer(o.baseAddress!)
                    var m = 0
                    let c0 = c.baseAddress!
                    while m &+ 16 <= count {
                        let q = first &+ m
                        // Smallest taps first, the centre last: less round-off.
                        var acc = SIMD16<Float>()
                        var j = r &- 1
                        var up = (q &+ j) &* 4, down = (q &- 1 &- j) &* 4
                        while j >= 0 {
                            let pair = ro.loadUnaligned(fromByteOffset: up, as: SIMD16<Float>.self)
                                + ro.loadUnaligned(fromByteOffset: down, as: SIMD16<Float>.self)
                            acc += pair * c0[j]
                            j &-= 1
                            up &-= 4
                            down &+= 4
                        }
                        acc += re.loadUnaligned(fromByteOffset: q &* 4, as: SIMD16<Float>.self) * centre
                        UnsafeMutableRawPointer(output + m).storeBytes(of: acc, as: SIMD16<Float>.self)
                        m &+= 16
                    }
                    // The same operations in the same order, one lane at a time.
                    while m < count {
                        let q = first + m
                        var acc: Float = 0
                        for j in (0..<r).reversed() { acc += (o[q + j] + o[q - 1 - j]) * c[j] }
                        output[m] = acc + e[q] * centre
                        m += 1
                    }
                }
            }
        }
        nextOutput += count
        return count
    }
}

/// `⌈a / 2⌉` for any sign.
private func ceilingHalf(_ a: Int) -> Int { -((-a) >> 1) }
