/// One channel of a sharp linear-phase low-pass FIR run by FFT overlap-save, with its delay
/// removed: output `t` is the filter centred on input `t`, so the stage neither moves nor
/// resamples the signal. Its output starts `delay` samples before its input (the filter
/// spreads the first samples backwards) and ends `delay` samples after it. It exists because a sharp filter costs O(log N) per sample this
/// way instead of O(taps) — the resampler runs it before a short, cheap polyphase stage.
///
/// Two consecutive blocks travel in one complex transform (one as the real part, one as the
/// imaginary part), which works because the filter is real. Blocks sit at fixed positions
/// from the start of the stream, so the output does not depend on how input was chunked.
struct FFTLowPassStage {
    private let fft: SplitComplexFFT
    /// Filter taps (odd) and the delay `(taps − 1) / 2` that is removed.
    private let taps: Int
    private let delay: Int
    /// New input samples per block.
    private let block: Int
    /// The filter's spectrum in the FFT's bit-reversed order, with the 1/N scale folded in.
    private let spectrumReal: [Float]
    private let spectrumImaginary: [Float]

    /// Pending input, starting with the `taps − 1` samples of overlap before the next block.
    private var history: [Float]
    private var real: [Float]
    private var imaginary: [Float]
    private var received = 0
    /// Causal filter outputs computed so far; causal output k is centred output
    /// `outputStart + k`.
    private var computed = 0
    /// The index of the first output: `delay` before the first input.
    let outputStart: Int

    /// Designs a stage.
    /// - Parameters:
    ///   - cutoff: The cutoff in cycles per sample.
    ///   - transition: The transition band's width in cycles per sample.
    ///   - attenuationDB: The stopband rejection to design for.
    ///   - inputStart: The index of the first input sample.
    init(cutoff: Double, transition: Double, attenuationDB: Double, inputStart: Int = 0) {
        let span = KaiserWindow.span(attenuationDB: attenuationDB, transition: transition)
        let half = Int((span / 2).rounded(.up))
        taps = 2 * half + 1
        delay = half
        outputStart = inputStart - half
        var size = 1024
        while size < 8 * taps { size *= 2 }
        let fft = SplitComplexFFT(count: size)
        self.fft = fft
        block = size - taps + 1
        let beta = KaiserWindow.beta(attenuationDB: attenuationDB)
        let i0Beta = KaiserWindow.besselI0(beta)
        var re = [Float](repeating: 0, count: size)
        var im = [Float](repeating: 0, count: size)
        for k in 0..<taps {
            re[k] = Float(KaiserWindow.lowPass(
                at: Double(k - half), cutoff: cutoff, halfSpan: Double(half), beta: beta, i0Beta: i0Beta)
                / Double(size))
        }
        re.withUnsafeMutableBufferPointer { r in
            im.withUnsafeMutableBufferPointer { i in fft.forward(r.baseAddress!, i.baseAddress!) }
        }
        spectrumReal = re
        spectrumImaginary = im
        history = [Float](repeating: 0, count: taps - 1)
        real = [Float](repeating: 0, count: size)
        imaginary = [Float](repeating: 0, count: size)
    }

    /// Returns the stage to its state before the first input, keeping its design.
    mutating func reset() {
        history.removeAll(keepingCapacity: true)
        history.append(contentsOf: repeatElement(0, count: taps - 1))
        received = 0
        computed = 0
    }

    /// Consumes input and appends the outputs of every complete pair of blocks.
    mutating func process(_ input: UnsafeBufferPointer<Float>, into output: inout [Float]) {
        history.append(contentsOf: input)
        received += input.count
        runBlocks(into: &output, outputLimit: .max)
    }

    /// Ends the stream: zero-pads and appends every output that overlaps real input.
    mutating func flush(into output: inout [Float]) {
        let limit = received + 2 * delay  // through `delay` after the last input
        while computed < limit {
            history.append(contentsOf: repeatElement(0, count: 2 * block))
            runBlocks(into: &output, outputLimit: limit)
        }
    }

    private mutating func runBlocks(into output: inout [Float], outputLimit: Int) {
        var consumed = 0
        while history.count - consumed >= taps - 1 + 2 * block {
            transformPair(at: consumed)
            // Valid outputs are indices taps−1 ..< size of each half: causal outputs
            // `computed ..< computed + block` (real) and the next `block` (imaginary).
            for part in 0..<2 {
                let last = outputLimit == .max ? block : min(block, outputLimit - computed)
                if last > 0 {
                    let source = part == 0 ? real : imaginary
                    output.append(contentsOf: source[(taps - 1)..<(taps - 1 + last)])
                }
                computed += block
            }
            consumed += 2 * block
        }
        if consumed > 0 { history.removeFirst(consumed) }
    }

    @_optimize(speed)
    private mutating func transformPair(at start: Int) {
        let size = fft.count, shift = block
        history.withUnsafeBufferPointer { h in
            real.withUnsafeMutableBufferPointer { re in
                imaginary.withUnsafeMutableBufferPointer { im in
                    let r = re.baseAddress!, i = im.baseAddress!
                    r.update(from: h.baseAddress! + start, count: size)
                    i.update(from: h.baseAddress! + start + shift, count: size)
                    fft.forward(r, i)
                    spectrumReal.withUnsafeBufferPointer { hr in
                        spectrumImaginary.withUnsafeBufferPointer { hi in
                            multiply(r, i, by: hr.baseAddress!, hi.baseAddress!, count: size)
                        }
                    }
                    fft.inverse(r, i)
                }
            }
        }
    }
}

/// `(re, im) *= (hr, hi)` element-wise, as complex numbers.
@inline(__always) @_optimize(speed)
private func multiply(
    _ re: UnsafeMutablePointer<Float>, _ im: UnsafeMutablePointer<Float>,
    by hr: UnsafePointer<Float>, _ hi: UnsafePointer<Float>, count: Int
) {
    let rr = UnsafeMutableRawPointer(re), ri = UnsafeMutableRawPointer(im)
    let fr = UnsafeRawPointer(hr), fi = UnsafeRawPointer(hi)
    var j = 0
    while j < count * 4 {
        let a = rr.loadUnaligned(fromByteOffset: j, as: SIMD8<Float>.self)
        let b = ri.loadUnaligned(fromByteOffset: j, as: SIMD8<Float>.self)
        let c = fr.loadUnaligned(fromByteOffset: j, as: SIMD8<Float>.self)
        let d = fi.loadUnaligned(fromByteOffset: j, as: SIMD8<Float>.self)
        rr.storeBytes(of: a * c - b * d, toByteOffset: j, as: SIMD8<Float>.self)
        ri.storeBytes(of: a * d + b * c, toByteOffset: j, as: SIMD8<Float>.self)
        j += 32
    }
}
