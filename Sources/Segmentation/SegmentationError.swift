// The error shape lives in SystemSupport; re-exported so `error.code` needs no second import.
@_exported public import SystemSupport

/// The domain of ``SegmentationError``: the module it comes from.
public enum SegmentationErrorDomain: ErrorDomain {}

/// An error raised by the `Segmentation` module.
///
/// Errors are a struct with static codes, so new codes never break clients. Every message
/// names the file or record concerned and the cause, in words a user understands.
public typealias SegmentationError = DomainError<SegmentationErrorDomain>

extension SegmentationError.Code {
    /// A sample rate that is zero, negative or not finite.
    public static var invalidSampleRate: Self { Self("invalidSampleRate") }
    /// A segment length, hop, duration or threshold that is zero, negative, not finite, or
    /// shorter than one frame where at least one frame is needed.
    public static var invalidParameter: Self { Self("invalidParameter") }
    /// Two parameters in the wrong order: a hop longer than the length, a minimum above its
    /// maximum, a stop threshold above the start threshold.
    public static var inconsistentParameters: Self { Self("inconsistentParameters") }
    /// A chunk whose sample rate differs from the rate the segmenter was made for.
    public static var sampleRateMismatch: Self { Self("sampleRateMismatch") }
    /// Reading the source or writing a piece failed (used by the splitting helper).
    public static var ioFailure: Self { Self("ioFailure") }
}

extension SegmentationError {
    /// Checks a sample rate.
    static func checkSampleRate(_ sampleRate: Double) throws(SegmentationError) {
        guard sampleRate.isFinite, sampleRate > 0 else {
            throw SegmentationError(.invalidSampleRate, "sample rate \(sampleRate) Hz must be a positive number")
        }
    }

    /// Converts a duration in seconds to a whole number of frames, checking it is finite and at
    /// least `minimumFrames` long.
    static func frames(
        _ seconds: Double, named name: String, sampleRate: Double, minimumFrames: Int = 1
    ) throws(SegmentationError) -> Int {
        guard seconds.isFinite, seconds >= 0, seconds * sampleRate < Double(Int.max / 4) else {
            throw SegmentationError(.invalidParameter, "\(name) of \(seconds) s must be a finite, non-negative duration")
        }
        let frames = Int((seconds * sampleRate).rounded())
        guard frames >= minimumFrames else {
            throw SegmentationError(
                .invalidParameter,
                "\(name) of \(seconds) s is \(frames) frames at \(sampleRate) Hz; it must be at least \(minimumFrames)")
        }
        return frames
    }

    /// Checks that a chunk has the segmenter's sample rate.
    static func checkChunk(rate chunkRate: Double, expected sampleRate: Double) throws(SegmentationError) {
        guard chunkRate == sampleRate else {
            throw SegmentationError(
                .sampleRateMismatch,
                "a chunk at \(chunkRate) Hz was pushed into a segmenter made for \(sampleRate) Hz; resample first")
        }
    }
}

extension SegmentationError.Code {
    /// Chunks of one stream with different channel counts.
    public static var channelCountMismatch: Self { Self("channelCountMismatch") }
}
