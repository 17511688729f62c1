/// A span of a recording, in frames, with the sample rate that gives the frames a duration.
///
/// A segment covers the half-open range `startFrame..<endFrame` of the stream that was pushed
/// into a ``Segmenter``; frame 0 is the first frame pushed.
public struct Segment: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The first frame of the segment.
    public var startFrame: Int
    /// One past the last frame of the segment.
    public var endFrame: Int
    /// Frames per second of the stream the frames count.
    public var sampleRate: Double

    /// Creates a segment.
    /// - Parameters:
    ///   - startFrame: The first frame.
    ///   - endFrame: One past the last frame; not before `startFrame`.
    ///   - sampleRate: Frames per second.
    /// - Precondition: `0 <= startFrame <= endFrame`.
    public init(startFrame: Int, endFrame: Int, sampleRate: Double) {
        precondition(0 <= startFrame && startFrame <= endFrame, "a segment must not end before it starts")
        self.startFrame = startFrame
        self.endFrame = endFrame
        self.sampleRate = sampleRate
    }

    /// The frames covered, as a range.
    public var frameRange: Range<Int> { startFrame..<endFrame }
    /// The number of frames in the segment.
    public var frameCount: Int { endFrame - startFrame }
    /// Where the segment starts, in seconds from the start of the stream.
    public var startSeconds: Double { Double(startFrame) / sampleRate }
    /// Where the segment ends, in seconds from the start of the stream.
    public var endSeconds: Double { Double(endFrame) / sampleRate }
    /// The length of the segment in seconds.
    public var durationSeconds: Double { Double(frameCount) / sampleRate }

    /// The frame range and rate, e.g. `[0, 80000) @ 16000.0 Hz`.
    public var description: String {
        "[\(startFrame), \(endFrame)) @ \(sampleRate) Hz"
    }
}
