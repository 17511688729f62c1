public import PCM

/// Cuts a stream of audio into segments, chunk by chunk.
///
/// Push the stream's chunks in order, then call ``finish()``. Each call returns the segments
/// that became final, in stream order, so a long recording is cut in memory bounded by the
/// segmenter's own state rather than by the recording's length. The segments a segmenter
/// returns never depend on how the stream was chunked. After ``finish()`` the segmenter is
/// ready for a new stream, which starts again at frame 0.
public protocol Segmenter {
    /// Frames per second of the streams this segmenter accepts.
    var sampleRate: Double { get }

    /// Feeds the next chunk of the stream.
    /// - Parameter chunk: The next frames, at ``sampleRate``; any channel count.
    /// - Returns: Segments that became final, in order.
    /// - Throws: ``SegmentationError`` with code `SegmentationError.Code.sampleRateMismatch`
    ///   when the chunk's rate is not ``sampleRate``.
    mutating func push(_ chunk: PCMBuffer) throws(SegmentationError) -> [Segment]

    /// Ends the stream.
    /// - Returns: The remaining segments, in order.
    mutating func finish() -> [Segment]
}

extension Segmenter {
    /// Segments a whole buffer at once: one ``push(_:)`` then ``finish()``.
    /// - Parameter buffer: The complete stream.
    /// - Returns: All segments of the stream, in order.
    /// - Throws: ``SegmentationError`` when the buffer's rate is not ``sampleRate``.
    public mutating func segments(of buffer: PCMBuffer) throws(SegmentationError) -> [Segment] {
        var result = try push(buffer)
        result += finish()
        return result
    }
}
