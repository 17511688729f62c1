/// One channel's filter stage in the resampler's chain, as the chain drives it: samples go
/// into the stage's own queue, outputs come out into whatever memory the next consumer
/// offers (the next stage's queue or the caller's output array), so nothing is copied
/// between stages but the data itself, once.
protocol FilterStage {
    /// The outputs that can be produced now (at most the stream's end once ``finish()``).
    var readyCount: Int { get }

    /// Appends input samples.
    mutating func append(_ input: UnsafeBufferPointer<Float>)

    /// Appends input samples written in place by `write` into room for `n` of them; `write`
    /// returns how many it wrote.
    mutating func receive(upTo n: Int, _ write: (UnsafeMutablePointer<Float>) -> Int)

    /// Writes up to `capacity` of the ready outputs to `output`.
    /// - Returns: The number written.
    mutating func produce(into output: UnsafeMutablePointer<Float>, capacity: Int) -> Int

    /// Returns the stage to its state before the first input, keeping its design and storage.
    mutating func reset()
}

/// Moves every ready output of `source` into `target`'s input, in place.
@inline(__always)
func pump<Source: FilterStage, Target: FilterStage>(_ source: inout Source, into target: inout Target) {
    let n = source.readyCount
    guard n > 0 else { return }
    target.receive(upTo: n) { source.produce(into: $0, capacity: n) }
}
