/// An error raised by the `Segmentation` module.
///
/// Errors are a struct with static codes, so new codes never break clients. Every message
/// names the file or record concerned and the cause, in words a user understands.
public struct SegmentationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// A short stable name for the code, for logs and JSON output.
        public let name: String
        /// Creates a code.
        /// - Parameter name: A short stable name.
        public init(_ name: String) { self.name = name }
        /// The code's name.
        public var description: String { name }
    }

    /// What went wrong.
    public var code: Code
    /// The file, record id or other subject the error is about, when there is one.
    public var subject: String?
    /// A sentence that says what was wrong.
    public var message: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - subject: The file or record concerned.
    ///   - message: The cause in plain words.
    public init(_ code: Code, subject: String? = nil, _ message: String) {
        self.code = code
        self.subject = subject
        self.message = message
    }

    /// `"subject: message"`, or the message alone when there is no subject.
    public var description: String {
        if let subject { return "\(subject): \(message)" }
        return message
    }
}

extension SegmentationError.Code {
    /// A sample rate that is zero, negative or not finite.
    public static let invalidSampleRate = Self("invalidSampleRate")
    /// A segment length, hop, duration or threshold that is zero, negative, not finite, or
    /// shorter than one frame where at least one frame is needed.
    public static let invalidParameter = Self("invalidParameter")
    /// Two parameters in the wrong order: a hop longer than the length, a minimum above its
    /// maximum, a stop threshold above the start threshold.
    public static let inconsistentParameters = Self("inconsistentParameters")
    /// A chunk whose sample rate differs from the rate the segmenter was made for.
    public static let sampleRateMismatch = Self("sampleRateMismatch")
    /// Reading the source or writing a piece failed (used by the splitting helper).
    public static let ioFailure = Self("ioFailure")
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
    public static let channelCountMismatch = Self("channelCountMismatch")
}
