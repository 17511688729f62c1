/// One channel of a sharp linear-phase low-pass FIR run by FFT overlap-save, with its delay
/// removed: output `t` is the filter centred on input `t`, so the stage neither moves nor
/// resamples the signal. Its output starts `delay` samples before its input (the filter
/// spreads the first samples backwards) and ends `delay` samples after it. It exists because a sharp filter costs O(log N) per sample this
/// way instead of O(taps) — the resampler runs it before a short, cheap polyphase stage.
///
/// Two consecutive blocks travel in one complex transform (one as the real part, one as the
/// imaginary part), which works because the filter is real. Blocks sit at fixed positions
/// from the start of the stream, so the output does not depend on how input was chunked.
struct FFTLowPassStage: FilterStage {
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
    private var history = SampleQueue()
    private var real: [Float]
    private var imaginary: [Float]
    private var received = 0
    /// Causal filter outputs computed so far; causal output k is centred output
    /// `outputStart + k`.
    private var computed = 0
    /// The causal outputs the stream has, once ``finish()`` was called.
    private var outputLimit = Int.max
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
        real = [Float](repeating: 0, count: size)
        imaginary = [Float](repeating: 0, count: size)
        reset()
    }

    mutating func reset() {
        history.removeAll()
        history.appendZeros(taps - 1)
        received = 0
        computed = 0
        outputLimit = .max
    }

    mutating func append(_ input: UnsafeBufferPointer<Float>) {
        history.append(input)
        received += input.count
    }

    mutating func receive(upTo n: Int, _ write: (UnsafeMutablePointer<Float>) -> Int) {
        received += history.append(upTo: n, write)
    }

    /// Ends the stream: zero-pads so that every output that overlaps real input is ready.
    mutating func finish() {
        outputLimit = received + 2 * delay  // through `delay` after the last input
        let pairs = (max(0, outputLimit - computed) + 2 * block - 1) / (2 * block)
        history.appendZeros(taps - 1 + pairs * 2 * block - history.count)
    }

    /// Whole pairs of blocks: the outputs of every pair whose input is complete.
    var readyCount: Int {
        let pairs = (history.count - (taps - 1)) / (2 * block)
        return max(0, min(pairs * 2 * block, outputLimit - computed))
    }

    mutating func produce(into output: UnsafeMutablePointer<Float>, capacity: Int) -> Int {
        var written = 0
        while history.count >= taps - 1 + 2 * block, computed < outputLimit {
            guard written + min(2 * block, outputLimit - computed) <= capacity else { break }
            transformPair()
            // Valid outputs are indices taps−1 ..< size of each half: causal outputs
            // `computed ..< computed + block` (real) and the next `block` (imaginary).
            for part in 0..<2 {
                let count = max(0, min(block, outputLimit - computed))
                (part == 0 ? real : imaginary).withUnsafeBufferPointer { (output + written).update(from: $0.baseAddress! + taps - 1, count: count) }
                written += count
                computed += block
            }
            history.removeFirst(2 * block)
        }
        return written
    }

    /// Filters the next pair of blocks into `real` and `imaginary`.
    @_optimize(speed)
    private mutating func transformPair() {
        let size = fft.count, shift = block
        history.withSamples { h in
            real.withUnsafeMutableBufferPointer { re in
                imaginary.withUnsafeMutableBufferPointer { im in
                    let r = re.baseAddress!, i = im.baseAddress!
                    r.update(from: h.baseAddress!, count: size)
                    i.update(from: h.baseAddress! + shift, count: size)
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
