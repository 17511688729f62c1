public import PCM

/// Cuts a stream into pieces of speech separated by pauses.
///
/// The level of every short analysis frame (10 ms by default) is compared with an adaptive
/// noise floor — the quietest frame level of the last few seconds. Speech starts when a frame
/// rises ``Parameters/startThresholdDB`` above the floor and continues while frames stay
/// ``Parameters/stopThresholdDB`` above it (hysteresis, so a level wavering around one
/// threshold does not flicker). A pause of at least ``Parameters/minimumSilenceSeconds`` ends
/// a piece; speech shorter than ``Parameters/minimumSpeechSeconds`` is dropped; each piece
/// keeps ``Parameters/paddingSeconds`` of audio on either side of its speech. A piece that
/// would grow beyond ``Parameters/maximumSegmentSeconds`` is split at the quietest point of
/// the last ``Parameters/splitSearchSeconds`` before the limit — a gap between words rather
/// than the middle of one.
///
/// Memory is bounded: besides a few counters the segmenter keeps one level per analysis frame
/// for the split-search window, one per noise-floor block, and the levels of the first half
/// noise-floor window (held until the floor has seen enough audio to judge them) — never
/// samples. The output does not depend on how the stream is chunked: samples are accumulated
/// in stream order.
public struct SilenceSegmenter: Segmenter, Sendable {
    /// Frames per second of the streams this segmenter accepts.
    public let sampleRate: Double
    /// The parameters the segmenter was made with.
    public let parameters: Parameters
    let plan: Plan

    // MARK: - Stream state

    /// Sum of squares of the samples of the analysis frame being filled, and their count.
    private var pendingSum: Double = 0
    private var pendingSamples = 0
    /// Stream frames (not analysis frames) pushed so far.
    private var streamFrames = 0
    /// The index of the next analysis frame.
    private var analysisIndex = 0
    /// Whether the last analysis frame was speech (the hysteresis state).
    private var inSpeech = false
    private var noiseFloor: NoiseFloor
    private var levels: LevelHistory
    /// The levels of the first frames of the stream, held until the noise floor has seen
    /// enough audio to judge them; `nil` once they have been classified.
    private var warmUp: [WarmUpFrame]? = []
    private var warmUpFloor: Float = 0
    private struct WarmUpFrame: Sendable {
        var level: Float
        var frames: Int
    }
    /// Channels of the current stream's chunks.
    private var channelCount = 1

    /// The piece being grown, if any.
    private var open: OpenPiece?
    /// Where the last returned piece ended, so padding never overlaps it.
    private var previousEnd = 0

    private struct OpenPiece: Sendable {
        var start: Int
        var lastSpeechEnd: Int
        var voicedFrames = 0
        var silentFrames = 0
    }

    /// Creates a segmenter.
    /// - Parameters:
    ///   - sampleRate: Frames per second of the stream.
    ///   - parameters: Thresholds and durations; the defaults suit 16 kHz speech.
    /// - Throws: ``SegmentationError`` with `SegmentationError.Code.invalidParameter` for a
    ///   negative, non-finite or too-short duration, and
    ///   `SegmentationError.Code.inconsistentParameters` when a minimum exceeds its maximum
    ///   (stop threshold above start threshold, padding longer than the minimum silence,
    ///   search window not shorter than the maximum length).
    public init(sampleRate: Double, parameters: Parameters = .init()) throws(SegmentationError) {
        self.sampleRate = sampleRate
        self.parameters = parameters
        let plan = try Plan(parameters, sampleRate: sampleRate)
        self.plan = plan
        noiseFloor = NoiseFloor(blockFrames: plan.floorBlockFrames, blockCount: plan.floorBlockCount)
        levels = LevelHistory(capacity: plan.splitSearch / plan.frameLength + 8)
    }

    /// Feeds the next chunk of the stream.
    /// - Parameter chunk: The next frames, at ``sampleRate``; any channel count.
    /// - Returns: Segments that became final, in order.
    /// - Throws: ``SegmentationError`` with `SegmentationError.Code.sampleRateMismatch` when
    ///   the chunk's rate is not ``sampleRate``, or
    ///   `SegmentationError.Code.channelCountMismatch` when a chunk's channel count differs
    ///   from the earlier chunks' of the same stream.
    public mutating func push(_ chunk: PCMBuffer) throws(SegmentationError) -> [Segment] {
        try SegmentationError.checkChunk(rate: chunk.format.sampleRate, expected: sampleRate)
        let channels = chunk.format.channelCount
        let streamStarted = pendingSamples > 0 || streamFrames > 0 || !(warmUp?.isEmpty ?? false)
        if streamStarted, channels != channelCount {
            throw SegmentationError(
                .channelCountMismatch,
                "a \(channels)-channel chunk followed a \(channelCount)-channel chunk in the same stream")
        }
        channelCount = channels
        let samplesPerFrame = plan.frameLength * channels
        var result: [Segment] = []
        chunk.withUnsafeSamples { samples in
            var index = 0
            while index < samples.count {
                let take = min(samples.count - index, samplesPerFrame - pendingSamples)
                // Accumulate sample by sample in stream order, so the sum (and every decision
                // made from it) is the same whatever the chunk boundaries.
                var sum = pendingSum
                for sample in samples[index..<(index + take)] {
                    sum += Double(sample * sample)
                }
                pendingSum = sum
                pendingSamples += take
                index += take
                if pendingSamples == samplesPerFrame {
                    completeAnalysisFrame(into: &result)
                }
            }
        }
        return result
    }

    /// Ends the stream and makes the segmenter ready for a new one.
    /// - Returns: The remaining segments, in order.
    public mutating func finish() -> [Segment] {
        var result: [Segment] = []
        if pendingSamples > 0 { completeAnalysisFrame(into: &result) }
        endWarmUp(into: &result)
        if let piece = open {
            close(piece, end: min(piece.lastSpeechEnd + plan.padding, streamFrames), into: &result)
        }
        // Start afresh for the next stream; the parameters were checked already.
        noiseFloor.reset()
        levels.reset()
        (pendingSum, pendingSamples, streamFrames, analysisIndex) = (0, 0, 0, 0)
        (inSpeech, open, previousEnd, warmUp) = (false, nil, 0, [])
        return result
    }

    // MARK: - Per analysis frame

    /// Measures the analysis frame in `pendingSum` and classifies it, or holds its level while
    /// the noise floor warms up.
    private mutating func completeAnalysisFrame(into result: inout [Segment]) {
        let frames = pendingSamples / channelCount
        // Levels stay linear (mean square): thresholds in dB are ratios, so no logarithm per frame.
        let level = Float(pendingSum / Double(pendingSamples))
        (pendingSum, pendingSamples) = (0, 0)
        let floor = noiseFloor.update(level)
        guard warmUp != nil else {
            classify(level: level, frames: frames, floor: floor, into: &result)
            return
        }
        warmUp?.append(WarmUpFrame(level: level, frames: frames))
        warmUpFloor = floor
        if warmUp?.count == plan.warmUpFrames { endWarmUp(into: &result) }
    }

    /// Classifies the frames held during warm-up against the floor measured over all of them,
    /// so a stream that starts in the middle of speech is not taken for background.
    private mutating func endWarmUp(into result: inout [Segment]) {
        guard let held = warmUp else { return }
        warmUp = nil
        for frame in held {
            classify(level: frame.level, frames: frame.frames, floor: warmUpFloor, into: &result)
        }
    }

    /// Decides whether the next analysis frame is speech and moves the open piece on.
    private mutating func classify(level: Float, frames: Int, floor rawFloor: Float, into result: inout [Segment]) {
        let frameStart = streamFrames
        streamFrames += frames
        let floor = max(rawFloor, plan.minimumFloor)
        inSpeech = level > floor * (inSpeech ? plan.stopRatio : plan.startRatio)
        levels.append(level, at: analysisIndex)
        analysisIndex += 1

        if inSpeech {
            var piece = open ?? OpenPiece(start: max(frameStart - plan.padding, previousEnd), lastSpeechEnd: frameStart)
            piece.lastSpeechEnd = streamFrames
            piece.voicedFrames += 1
            piece.silentFrames = 0
            open = piece
        } else {
            open?.silentFrames += 1
        }
        guard let piece = open else { return }
        if streamFrames - piece.start >= plan.maximumLength {
            if inSpeech {
                splitAtQuietestPoint(piece, into: &result)
            } else {
                // Already in a (short) pause: end the piece in it.
                close(piece, end: min(piece.lastSpeechEnd + plan.padding, piece.start + plan.maximumLength), into: &result)
            }
        } else if piece.silentFrames >= plan.minimumSilenceFrames {
            close(piece, end: min(piece.lastSpeechEnd + plan.padding, streamFrames), into: &result)
        }
    }

    /// Returns the open piece if it holds enough speech, and closes it.
    private mutating func close(_ piece: OpenPiece, end: Int, into result: inout [Segment]) {
        open = nil
        guard piece.voicedFrames >= plan.minimumSpeechFrames, end > piece.start else { return }
        result.append(Segment(startFrame: piece.start, endFrame: end, sampleRate: sampleRate))
        previousEnd = end
    }

    /// Ends the open piece at the quietest analysis frame near its maximum length and starts
    /// the next piece there.
    private mutating func splitAtQuietestPoint(_ piece: OpenPiece, into result: inout [Segment]) {
        let length = plan.frameLength
        let limit = piece.start + plan.maximumLength
        // Candidate split points are analysis-frame centres within the search window.
        let lowest = max(piece.start + 1, limit - plan.splitSearch)
        var first = (lowest - length / 2 + length - 1) / length
        let last = min((limit - length / 2) / length, analysisIndex - 1)
        first = max(first, levels.oldestIndex(newest: analysisIndex - 1))
        var best = last
        var bestLevel = Float.infinity
        if first <= last {
            for candidate in first...last {
                let level = levels.smoothedLevel(around: candidate, newest: analysisIndex - 1)
                if level < bestLevel { (best, bestLevel) = (candidate, level) }
            }
        }
        let split = min(max(best * length + length / 2, piece.start + 1), limit)
        result.append(Segment(startFrame: piece.start, endFrame: split, sampleRate: sampleRate))
        previousEnd = split
        var rest = piece
        rest.start = split
        rest.voicedFrames = max(rest.voicedFrames, plan.minimumSpeechFrames)
        open = rest
    }
}
