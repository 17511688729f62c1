public import PCM

/// Cuts a stream into pieces of one fixed length, optionally overlapping.
///
/// Segment `i` covers exactly `[i·hop, min(i·hop + length, N))` frames of an `N`-frame stream,
/// for `i = 0, 1, …` up to the first segment that reaches the end. Without overlap
/// (`hop == length`) the segments tile the stream exactly once and there are ⌈N / length⌉ of
/// them. Boundaries are whole frames computed by integer multiplication, so they never drift,
/// however long the stream and whatever the sample rate.
///
/// The segmenter only counts frames: its memory is constant and it never looks at samples.
///
/// ```swift
/// var segmenter = try FixedLengthSegmenter(sampleRate: 16_000, lengthSeconds: 5)
/// let pieces = try segmenter.segments(of: buffer)   // 35 s → 7 pieces at 0, 5, … 30 s
/// ```
public struct FixedLengthSegmenter: Segmenter, Sendable {
    /// What to do with the last piece when it is shorter than the length.
    public enum TailPolicy: Hashable, Sendable, Codable {
        /// Keep the short last piece as its own segment.
        case keep
        /// Leave the short last piece out.
        case drop
        /// Join the last piece to the one before it when it is shorter than the given number of
        /// seconds; keep it as its own segment otherwise. A stream shorter than one length is
        /// kept as one segment.
        case mergeIfShorter(thanSeconds: Double)
    }

    /// How the tail is handled, in frames.
    enum Tail: Hashable, Sendable {
        case keep, drop
        case mergeIfShorter(thanFrames: Int)
    }

    /// Frames per second of the streams this segmenter accepts.
    public let sampleRate: Double
    /// The length of each full segment, in frames.
    public let lengthFrames: Int
    /// The distance between the starts of consecutive segments, in frames.
    public let hopFrames: Int
    let tail: Tail

    /// Frames pushed so far in the current stream.
    private var totalFrames = 0
    /// The index of the next segment to return.
    private var nextIndex = 0

    /// Creates a segmenter from lengths in frames.
    /// - Parameters:
    ///   - sampleRate: Frames per second of the stream.
    ///   - lengthFrames: Frames in each full segment; at least 1.
    ///   - hopFrames: Frames between segment starts, from 1 to `lengthFrames`; `nil` means
    ///     `lengthFrames` (no overlap).
    ///   - tail: What to do with a short last piece.
    /// - Throws: ``SegmentationError`` with `SegmentationError.Code.invalidParameter` for a
    ///   length or hop below one frame, `SegmentationError.Code.inconsistentParameters` for a
    ///   hop longer than the length or a merge threshold longer than the length, and
    ///   `SegmentationError.Code.invalidSampleRate` for a rate that is not positive.
    public init(
        sampleRate: Double, lengthFrames: Int, hopFrames: Int? = nil, tail: TailPolicy = .keep
    ) throws(SegmentationError) {
        try SegmentationError.checkSampleRate(sampleRate)
        guard lengthFrames >= 1 else {
            throw SegmentationError(.invalidParameter, "segment length of \(lengthFrames) frames must be at least 1 frame")
        }
        let hop = hopFrames ?? lengthFrames
        guard hop >= 1 else {
            throw SegmentationError(.invalidParameter, "hop of \(hop) frames must be at least 1 frame")
        }
        guard hop <= lengthFrames else {
            throw SegmentationError(
                .inconsistentParameters,
                "hop of \(hop) frames is longer than the segment length of \(lengthFrames) frames; frames would be skipped")
        }
        self.sampleRate = sampleRate
        self.lengthFrames = lengthFrames
        self.hopFrames = hop
        switch tail {
        case .keep: self.tail = .keep
        case .drop: self.tail = .drop
        case .mergeIfShorter(let seconds):
            let frames = try SegmentationError.frames(
                seconds, named: "merge threshold", sampleRate: sampleRate, minimumFrames: 0)
            guard frames <= lengthFrames else {
                throw SegmentationError(
                    .inconsistentParameters,
                    "merge threshold of \(seconds) s is longer than the segment length of \(Double(lengthFrames) / sampleRate) s")
            }
            self.tail = .mergeIfShorter(thanFrames: frames)
        }
    }

    /// Creates a segmenter from lengths in seconds.
    ///
    /// The length and hop are rounded once to whole frames; every boundary is then an exact
    /// multiple of the hop in frames.
    /// - Parameters:
    ///   - sampleRate: Frames per second of the stream.
    ///   - lengthSeconds: The length of each full segment; at least one frame.
    ///   - hopSeconds: Seconds between segment starts, at most `lengthSeconds`; `nil` means no
    ///     overlap. Overlap is `lengthSeconds - hopSeconds`.
    ///   - tail: What to do with a short last piece.
    /// - Throws: ``SegmentationError`` as ``init(sampleRate:lengthFrames:hopFrames:tail:)``,
    ///   and `SegmentationError.Code.invalidParameter` for a negative or non-finite duration.
    public init(
        sampleRate: Double, lengthSeconds: Double, hopSeconds: Double? = nil, tail: TailPolicy = .keep
    ) throws(SegmentationError) {
        try SegmentationError.checkSampleRate(sampleRate)
        let length = try SegmentationError.frames(lengthSeconds, named: "segment length", sampleRate: sampleRate)
        var hop: Int?
        if let hopSeconds {
            hop = try SegmentationError.frames(hopSeconds, named: "hop", sampleRate: sampleRate)
        }
        try self.init(sampleRate: sampleRate, lengthFrames: length, hopFrames: hop, tail: tail)
    }

    /// Feeds the next chunk of the stream.
    /// - Parameter chunk: The next frames, at ``sampleRate``; any channel count.
    /// - Returns: Segments that became final, in order.
    /// - Throws: ``SegmentationError`` with `SegmentationError.Code.sampleRateMismatch` when
    ///   the chunk's rate is not ``sampleRate``.
    public mutating func push(_ chunk: PCMBuffer) throws(SegmentationError) -> [Segment] {
        try SegmentationError.checkChunk(rate: chunk.format.sampleRate, expected: sampleRate)
        return advance(byFrames: chunk.frameCount)
    }

    /// Feeds the next `count` frames without their samples; the segmenter only counts frames.
    /// - Parameter count: Frames that follow the ones already pushed; negative counts as 0.
    /// - Returns: Segments that became final, in order.
    public mutating func advance(byFrames count: Int) -> [Segment] {
        totalFrames += max(0, count)
        var result: [Segment] = []
        while nextIndex * hopFrames + lengthFrames <= totalFrames, isSafeToReturn(nextIndex) {
            result.append(segment(nextIndex, end: nextIndex * hopFrames + lengthFrames))
            nextIndex += 1
        }
        return result
    }

    /// Ends the stream and makes the segmenter ready for a new one.
    /// - Returns: The remaining segments, in order.
    public mutating func finish() -> [Segment] {
        var result = advance(byFrames: 0)
        defer { (totalFrames, nextIndex) = (0, 0) }
        // At most one full segment is still held (waiting to see whether a short tail follows).
        let last = nextIndex
        var heldFull: Segment?
        if last * hopFrames + lengthFrames <= totalFrames {
            heldFull = segment(last, end: last * hopFrames + lengthFrames)
        }
        let tailIndex = heldFull == nil ? last : last + 1
        let tailStart = tailIndex * hopFrames
        let previousEnd = tailIndex == 0 ? 0 : (tailIndex - 1) * hopFrames + lengthFrames
        guard tailStart < totalFrames, previousEnd < totalFrames else {
            // No tail: the last full segment reaches the end (or the stream is empty).
            if let heldFull { result.append(heldFull) }
            return result
        }
        let tailSegment = segment(tailIndex, end: totalFrames)
        switch tail {
        case .keep:
            result += [heldFull, tailSegment].compactMap { $0 }
        case .drop:
            if let heldFull { result.append(heldFull) }
        case .mergeIfShorter(let threshold):
            if var heldFull, tailSegment.frameCount < threshold {
                heldFull.endFrame = totalFrames
                result.append(heldFull)
            } else {
                result += [heldFull, tailSegment].compactMap { $0 }
            }
        }
        return result
    }

    /// Whether full segment `index` can be returned now: under the merge policy it is held
    /// until the piece after it is known to be long enough not to be merged into it.
    private func isSafeToReturn(_ index: Int) -> Bool {
        guard case .mergeIfShorter(let threshold) = tail else { return true }
        let followingStart = (index + 1) * hopFrames
        return totalFrames - followingStart >= threshold
            && totalFrames > index * hopFrames + lengthFrames
    }

    private func segment(_ index: Int, end: Int) -> Segment {
        Segment(startFrame: index * hopFrames, endFrame: end, sampleRate: sampleRate)
    }
}
