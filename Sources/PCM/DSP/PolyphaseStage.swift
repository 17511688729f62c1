/// One channel of a rational-ratio polyphase FIR resampler: output sample `n` is the input
/// signal, low-passed by a Kaiser-windowed sinc, evaluated at input time `n · down / up`.
///
/// The filter is centred on that instant, so the output is time-aligned with the input (the
/// stage holds back `taps / 2` input samples of look-ahead and zero-pads at the end). The
/// coefficient table is phase-major: row `p` holds the taps for fractional position
/// `p / up`, laid out in input order, so each output is one contiguous SIMD dot product.
/// When `up` is too large for a table of that many rows, rows are made on a fine grid and
/// the output is interpolated linearly between the two neighbouring rows.
struct PolyphaseStage {
    /// Output samples per `down` input samples.
    let up: Int
    /// Input samples per `up` output samples.
    let down: Int
    /// Taps per output sample (a multiple of 8).
    let taps: Int
    /// Rows in the coefficient table: `up` when exact, otherwise the interpolation grid + 1.
    private let rows: Int
    private let exact: Bool
    private let coefficients: [Float]

    /// Input samples from absolute index `base` on (indices below 0 are the leading zeros).
    private var history: [Float]
    private var base: Int
    /// Real input samples received so far, the first being `x[inputStart]`.
    private var received = 0
    private let inputStart: Int
    /// The next output's index, and its position `n · down = inputIndex · up + phase`.
    private(set) var outputIndex = 0
    private var inputIndex = 0
    private var phase = 0

    /// Designs a stage.
    /// - Parameters:
    ///   - up: The ratio's numerator (output rate / gcd).
    ///   - down: The ratio's denominator (input rate / gcd).
    ///   - cutoff: The low-pass cutoff in cycles per input sample.
    ///   - transition: The transition band's width in cycles per input sample.
    ///   - attenuationDB: The stopband rejection to design for.
    ///   - inputStart: The index of the first input sample (negative after a stage whose
    ///     output starts before time 0); output 0 is always at time 0.
    init(up: Int, down: Int, cutoff: Double, transition: Double, attenuationDB: Double, inputStart: Int = 0) {
        self.up = up
        self.down = down
        let span = KaiserWindow.span(attenuationDB: attenuationDB, transition: transition)
        // The window spans `taps` input samples (±taps/2), which is what Kaiser's formula asks.
        let taps = max(8, (Int(span.rounded(.up)) + 7) / 8 * 8)
        self.taps = taps
        // Keep the table within ~4 MB; beyond that interpolate between rows.
        let maximumRows = max(64, (1 << 20) / taps)
        exact = up <= maximumRows
        rows = exact ? up : min(maximumRows, 4096) + 1
        let beta = KaiserWindow.beta(attenuationDB: attenuationDB)
        let i0Beta = KaiserWindow.besselI0(beta)
        let halfSpan = Double(taps / 2)
        var table = [Float](repeating: 0, count: rows * taps)
        for row in 0..<rows {
            let fraction = exact ? Double(row) / Double(up) : Double(row) / Double(rows - 1)
            for m in 0..<taps {
                let tau = fraction - Double(m - taps / 2 + 1)
                table[row * taps + m] = Float(
                    KaiserWindow.lowPass(at: tau, cutoff: cutoff, halfSpan: halfSpan, beta: beta, i0Beta: i0Beta))
            }
        }
        coefficients = table
        self.inputStart = inputStart
        history = []
        base = 0
        reset()
    }

    /// Returns the stage to its state before the first input, keeping its design.
    mutating func reset() {
        // Silence before the first input, back to the first window (which starts at 1 − taps/2).
        base = min(1 - taps / 2, inputStart)
        history.removeAll(keepingCapacity: true)
        history.append(contentsOf: repeatElement(0, count: inputStart - base))
        received = 0
        outputIndex = 0
        inputIndex = 0
        phase = 0
    }

    /// Consumes input and appends every output whose filter window is complete.
    /// - Parameter outputLimit: Outputs with this index or higher are not produced (yet).
    mutating func process(_ input: UnsafeBufferPointer<Float>, outputLimit: Int = .max, into output: inout [Float]) {
        discardConsumedHistory()
        history.append(contentsOf: input)
        received += input.count
        produce(into: &output, outputLimit: outputLimit, windowStartLimit: .max)
    }

    /// Ends the stream: zero-pads and appends the remaining outputs.
    /// - Parameter outputLimit: For the last stage, the total output count the whole
    ///   resampler must produce; `nil` for an intermediate stage, which emits every output
    ///   whose window still overlaps real input.
    mutating func flush(outputLimit: Int?, into output: inout [Float]) {
        let windowStartLimit = outputLimit == nil ? inputStart + received - 1 : Int.max
        let limit = outputLimit ?? .max
        while outputIndex < limit, inputIndex - taps / 2 + 1 <= windowStartLimit {
            discardConsumedHistory()
            history.append(contentsOf: repeatElement(0, count: taps + 2 * (down / up + 1)))
            produce(into: &output, outputLimit: limit, windowStartLimit: windowStartLimit)
        }
    }

    private mutating func discardConsumedHistory() {
        let drop = (inputIndex - taps / 2 + 1) - base
        if drop > 0, drop >= history.count / 2 {
            let count = min(drop, history.count)
            history.removeFirst(count)
            base += count
        }
    }

    @_optimize(speed)
    private mutating func produce(into output: inout [Float], outputLimit: Int, windowStartLimit: Int) {
        let available = base + history.count
        let bound = max(0, (available - inputIndex) * up / down + 2)
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: bound))
        var n = outputIndex, i = inputIndex, p = phase
        let k = taps, half = taps / 2, first = base
        let (wholeStep, phaseStep) = down.quotientAndRemainder(dividingBy: up)
        let up = self.up, exact = self.exact, rows = self.rows
        var written = 0
        history.withUnsafeBufferPointer { h in
            coefficients.withUnsafeBufferPointer { c in
                output.withUnsafeMutableBufferPointer { o in
                    let x0 = h.baseAddress!, c0 = c.baseAddress!
                    while n < outputLimit, written < bound {
                        let windowStart = i - half + 1
                        if windowStart > windowStartLimit || windowStart + k > available { break }
                        let x = x0 + (windowStart - first)
                        var nextI = i + wholeStep, nextP = p + phaseStep
                        if nextP >= up { nextP -= up; nextI += 1 }
                        let nextStart = nextI - half + 1
                        if exact, n + 1 < outputLimit, written + 1 < bound, nextStart <= windowStartLimit,
                            nextStart + k <= available
                        {
                            // Two outputs at once: independent chains the CPU can overlap.
                            let (y0, y1) = dotProducts(
                                x, c0 + p * k, x0 + (nextStart - first), c0 + nextP * k, count: k)
                            o[start + written] = y0
                            o[start + written + 1] = y1
                            written += 2
                            n += 2
                            i = nextI + wholeStep
                            p = nextP + phaseStep
                            if p >= up { p -= up; i += 1 }
                            continue
                        }
                        if exact {
                            o[start + written] = dotProduct(x, c0 + p * k, count: k)
                        } else {
                            let position = Double(p) * Double(rows - 1) / Double(up)
                            let row = Int(position)
                            let weight = Float(position - Double(row))
                            let a = dotProduct(x, c0 + row * k, count: k)
                            let b = dotProduct(x, c0 + (row + 1) * k, count: k)
                            o[start + written] = a + (b - a) * weight
                        }
                        written += 1
                        n += 1
                        i = nextI
                        p = nextP
                    }
                }
            }
        }
        output.removeLast(bound - written)
        outputIndex = n
        inputIndex = i
        phase = p
    }
}
