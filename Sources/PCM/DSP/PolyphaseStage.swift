/// One channel of a rational-ratio polyphase FIR resampler: output sample `n` is the input
/// signal, low-passed by a Kaiser-windowed sinc, evaluated at input time `n · down / up`.
///
/// The filter is centred on that instant, so the output is time-aligned with the input (the
/// stage holds back `taps / 2` input samples of look-ahead and zero-pads at the end). The
/// coefficient table is phase-major: row `p` holds the taps for fractional position
/// `p / up`, laid out in input order, so each output is one contiguous SIMD dot product.
/// When `up` is too large for a table of that many rows, rows are made on a fine grid and
/// the output is interpolated linearly between the two neighbouring rows.
struct PolyphaseStage: FilterStage {
    /// Output samples per `down` input samples.
    let up: Int
    /// Input samples per `up` output samples.
    let down: Int
    /// Taps per output sample (a multiple of 4).
    let taps: Int
    /// Rows in the coefficient table: `up` when exact, otherwise the interpolation grid + 1.
    private let rows: Int
    private let exact: Bool
    /// `rows × taps` coefficients, each row 16-byte aligned.
    private let coefficients: AlignedFloats

    /// Input samples from absolute index `base` on (indices below 0 are the leading zeros).
    private var history = SampleQueue()
    private var base = 0
    private let inputStart: Int
    /// The next output's index, and its position `n · down = inputIndex · up + phase`.
    private(set) var outputIndex = 0
    private var inputIndex = 0
    private var phase = 0
    /// The stream's total output count once ``finish(outputLimit:)`` was called.
    private var outputLimit = Int.max

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
        // Whole SIMD4 blocks; the long filters of 130 dB and more get whole pairs of blocks:
        // Kaiser's length is a shade short there, and the extra taps buy ~3 dB of THD+N.
        let granule = attenuationDB > 130 ? 8 : 4
        let taps = max(granule, (Int(span.rounded(.up)) + granule - 1) / granule * granule)
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
        coefficients = AlignedFloats(table)
        self.inputStart = inputStart
        reset()
    }

    mutating func reset() {
        // Silence before the first input, back to the first window (which starts at 1 − taps/2).
        base = min(1 - taps / 2, inputStart)
        history.removeAll()
        history.appendZeros(inputStart - base)
        outputIndex = 0
        inputIndex = 0
        phase = 0
        outputLimit = .max
    }

    mutating func append(_ input: UnsafeBufferPointer<Float>) {
        discardConsumedHistory()
        history.append(input)
    }

    mutating func receive(upTo n: Int, _ write: (UnsafeMutablePointer<Float>) -> Int) {
        discardConsumedHistory()
        history.append(upTo: n, write)
    }

    /// Ends the stream: zero-pads so that every output before `outputLimit` (the total the
    /// whole resampler must produce) is ready, and none after it.
    mutating func finish(outputLimit limit: Int) {
        outputLimit = limit
        guard limit > outputIndex else { return }
        // The last output's input index, and the end of its window (`taps / 2` past it).
        let lastIndex = (inputIndex * up + phase + (limit - 1 - outputIndex) * down) / up
        history.appendZeros(lastIndex + taps / 2 + 1 - (base + history.count))
    }

    private mutating func discardConsumedHistory() {
        let drop = min(inputIndex - taps / 2 + 1 - base, history.count)
        if drop > 0 {
            history.removeFirst(drop)
            base += drop
        }
    }

    var readyCount: Int {
        let half = taps / 2
        // Output windows move forward monotonically: the last input index whose window is
        // complete, then how many outputs sit at or before it.
        let lastIndex = base + history.count - taps + half - 1
        guard lastIndex >= inputIndex else { return 0 }
        let reachable = ((lastIndex + 1 - inputIndex) * up - phase + down - 1) / down
        return max(0, min(reachable, outputLimit == .max ? .max : outputLimit - outputIndex))
    }

    @_optimize(speed)
    mutating func produce(into out: UnsafeMutablePointer<Float>, capacity: Int) -> Int {
        let count = min(readyCount, capacity)
        guard count > 0 else { return 0 }
        let k = taps, half = taps / 2
        let (wholeStep, phaseStep) = down.quotientAndRemainder(dividingBy: up)
        let up = self.up, exact = self.exact, rows = self.rows, first = base
        let c0 = UnsafePointer(coefficients.base)
        let (startIndex, startPhase) = (inputIndex, phase)
        (inputIndex, phase) = history.withSamples { h in
            var i = startIndex, p = startPhase
            let x0 = h.baseAddress! + (1 - half - first)
            if exact {
                return Self.exactOutputs(x0, c0, out, count, i, p, up, wholeStep, phaseStep, taps: k)
            } else {
                var written = 0
                while written < count {
                    let position = Double(p) * Double(rows - 1) / Double(up)
                    let row = Int(position)
                    let weight = Float(position - Double(row))
                    let x = x0 + i, ca = c0 + row * k, cb = ca + k
                    let y = fourDotProducts(x, ca, x, cb, x, ca, x, cb, count: k)
                    out[written] = y[0] + (y[1] - y[0]) * weight
                    written += 1
                    i += wholeStep; p += phaseStep; if p >= up { p -= up; i += 1 }
                }
            }
            return (i, p)
        }
        outputIndex += count
        return count
    }

    /// `count` outputs of an exact table from input position `(i, p)`, four at a time (a
    /// short last group repeats its first lane); returns the position after them.
    @inline(__always)
    private static func exactOutputs(
        _ x0: UnsafePointer<Float>, _ c0: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ count: Int,
        _ startIndex: Int, _ startPhase: Int, _ up: Int, _ wholeStep: Int, _ phaseStep: Int, taps k: Int
    ) -> (Int, Int) {
        var i = startIndex, p = startPhase
        /// The current output's input and coefficients, then a step to the next output.
        @inline(__always) func next() -> (UnsafePointer<Float>, UnsafePointer<Float>) {
            let lane = (x0 + i, c0 + p &* k)
            i &+= wholeStep
            p &+= phaseStep
            if p >= up { p &-= up; i &+= 1 }
            return lane
        }
        var written = 0
        while written &+ 4 <= count {
            let (xa, ca) = next(), (xb, cb) = next(), (xc, cc) = next(), (xd, cd) = next()
            let y = fourDotProducts(xa, ca, xb, cb, xc, cc, xd, cd, count: k)
            UnsafeMutableRawPointer(out + written).storeBytes(of: y, as: SIMD4<Float>.self)
            written &+= 4
        }
        if written < count {
            let (xa, ca) = next()
            var (xb, cb, xc, cc) = (xa, ca, xa, ca)
            if count - written > 1 { (xb, cb) = next() }
            if count - written > 2 { (xc, cc) = next() }
            let y = fourDotProducts(xa, ca, xb, cb, xc, cc, xa, ca, count: k)
            for lane in 0..<(count - written) { out[written + lane] = y[lane] }
        }
        return (i, p)
    }
}
