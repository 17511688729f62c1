/// One channel's chain of stages: decimate-by-2 stages, the sharp FFT low-pass (when used),
/// then the rational polyphase stage. Each stage's outputs are written straight into the next
/// stage's input queue, and the last stage's into the caller's output, so every sample is
/// stored once per stage. Input goes through in slices short enough that the intermediate
/// signals stay in the cache from one stage to the next.
struct ResamplerChain {
    var halfBands: [HalfBandDecimator]
    var lowPass: FFTLowPassStage?
    var final: PolyphaseStage

    /// Input frames per slice.
    private static let sliceLength = 8_192

    /// The index of the next output frame.
    var outputIndex: Int { final.outputIndex }

    /// Consumes input and writes every output that is ready (at most `capacity`).
    /// - Returns: The number of outputs written.
    mutating func process(
        _ input: UnsafeBufferPointer<Float>, into output: UnsafeMutablePointer<Float>, capacity: Int
    ) -> Int {
        var written = 0
        var offset = 0
        while offset < input.count {
            let end = min(input.count, offset + Self.sliceLength)
            let slice = UnsafeBufferPointer(rebasing: input[offset..<end])
            if !halfBands.isEmpty {
                halfBands[0].append(slice)
            } else if lowPass != nil {
                lowPass!.append(slice)
            } else {
                final.append(slice)
            }
            advance(finishing: false)
            written += final.produce(into: output + written, capacity: capacity - written)
            offset = end
        }
        return written
    }

    /// Ends the stream, writes the last outputs up to `outputLimit` in all, and resets the
    /// chain for a new stream (keeping its storage).
    /// - Returns: The number of outputs written.
    mutating func flush(outputLimit: Int, into output: UnsafeMutablePointer<Float>, capacity: Int) -> Int {
        advance(finishing: true)
        final.finish(outputLimit: outputLimit)
        let written = final.produce(into: output, capacity: capacity)
        for s in halfBands.indices { halfBands[s].reset() }
        lowPass?.reset()
        final.reset()
        return written
    }

    /// Moves every ready sample down the chain to the final stage; when `finishing`, ends
    /// each stage's stream in turn once everything before it has arrived.
    private mutating func advance(finishing: Bool) {
        let last = halfBands.count - 1
        if last >= 0 {
            halfBands.withUnsafeMutableBufferPointer { stages in
                for s in 0..<last {
                    if finishing { stages[s].finish() }
                    pump(&stages[s], into: &stages[s + 1])
                }
                if finishing { stages[last].finish() }
            }
            if lowPass != nil {
                pump(&halfBands[last], into: &lowPass!)
            } else {
                pump(&halfBands[last], into: &final)
            }
        }
        if lowPass != nil {
            if finishing { lowPass!.finish() }
            pump(&lowPass!, into: &final)
        }
    }
}
