internal import Foundation

extension SilenceSegmenter {
    /// How the silence segmenter decides what is speech and where to cut.
    ///
    /// The defaults are tuned for speech at 16 kHz, clean or with moderate background noise
    /// (down to about 20 dB SNR): 10 ms analysis frames, speech starting 9 dB above the noise
    /// floor and ending when the level drops below 5 dB above it, pauses of 250 ms or more
    /// splitting, 100 ms of padding kept around speech, and pieces of at most 20 s.
    public struct Parameters: Hashable, Sendable, Codable {
        /// The analysis frame length in seconds: the level is measured once per frame.
        public var frameSeconds: Double = 0.010
        /// How far above the noise floor, in dB, a frame's level must rise to start speech.
        public var startThresholdDB: Double = 9
        /// How far above the noise floor, in dB, a frame's level must stay to continue speech;
        /// at most ``startThresholdDB`` (the gap is the hysteresis).
        public var stopThresholdDB: Double = 5
        /// The lowest level in dBFS the noise floor may take, so that digital silence does not
        /// make the faintest hiss count as speech.
        public var minimumNoiseFloorDBFS: Double = -65
        /// The noise floor is the quietest frame level over this many seconds of recent audio.
        /// The first half-window of a stream is judged against the floor measured over all of
        /// it, so a recording that starts mid-word is not taken for background.
        public var noiseFloorWindowSeconds: Double = 5
        /// Speech (frames above the thresholds) shorter than this in total is dropped as a click.
        public var minimumSpeechSeconds: Double = 0.100
        /// Pauses shorter than this do not split; they stay inside the piece.
        public var minimumSilenceSeconds: Double = 0.250
        /// Audio kept before and after the speech of each piece; at most
        /// ``minimumSilenceSeconds``.
        public var paddingSeconds: Double = 0.100
        /// The longest piece. A piece that would grow longer is split at the quietest point of
        /// the last ``splitSearchSeconds`` before the limit, so words are not cut in half.
        public var maximumSegmentSeconds: Double = 20
        /// How far back from the maximum length the quietest split point is searched for;
        /// less than ``maximumSegmentSeconds``.
        public var splitSearchSeconds: Double = 5

        /// Creates parameters; every argument has the documented default.
        /// - Parameters:
        ///   - frameSeconds: Analysis frame length.
        ///   - startThresholdDB: dB above the floor that starts speech.
        ///   - stopThresholdDB: dB above the floor that continues speech.
        ///   - minimumNoiseFloorDBFS: The lowest noise floor.
        ///   - noiseFloorWindowSeconds: The window the floor is the minimum over.
        ///   - minimumSpeechSeconds: The shortest speech kept.
        ///   - minimumSilenceSeconds: The shortest pause that splits.
        ///   - paddingSeconds: Audio kept around speech.
        ///   - maximumSegmentSeconds: The longest piece.
        ///   - splitSearchSeconds: The window searched for a forced split.
        public init(
            frameSeconds: Double = 0.010, startThresholdDB: Double = 9, stopThresholdDB: Double = 5,
            minimumNoiseFloorDBFS: Double = -65, noiseFloorWindowSeconds: Double = 5,
            minimumSpeechSeconds: Double = 0.100, minimumSilenceSeconds: Double = 0.250,
            paddingSeconds: Double = 0.100, maximumSegmentSeconds: Double = 20,
            splitSearchSeconds: Double = 5
        ) {
            self.frameSeconds = frameSeconds
            self.startThresholdDB = startThresholdDB
            self.stopThresholdDB = stopThresholdDB
            self.minimumNoiseFloorDBFS = minimumNoiseFloorDBFS
            self.noiseFloorWindowSeconds = noiseFloorWindowSeconds
            self.minimumSpeechSeconds = minimumSpeechSeconds
            self.minimumSilenceSeconds = minimumSilenceSeconds
            self.paddingSeconds = paddingSeconds
            self.maximumSegmentSeconds = maximumSegmentSeconds
            self.splitSearchSeconds = splitSearchSeconds
        }
    }

    /// The parameters converted to frames and checked.
    struct Plan: Sendable {
        var frameLength: Int          // samples per analysis frame
        var startRatio: Float         // power ratio above the floor that starts speech
        var stopRatio: Float          // power ratio above the floor that continues speech
        var minimumFloor: Float       // mean square
        var floorBlockFrames: Int     // analysis frames per noise-floor block
        var floorBlockCount: Int      // blocks in the noise-floor window
        var warmUpFrames: Int         // analysis frames held before the first decision
        var minimumSpeechFrames: Int  // analysis frames
        var minimumSilenceFrames: Int // analysis frames
        var padding: Int              // samples
        var maximumLength: Int        // samples
        var splitSearch: Int          // samples

        init(_ p: Parameters, sampleRate: Double) throws(SegmentationError) {
            try SegmentationError.checkSampleRate(sampleRate)
            frameLength = try SegmentationError.frames(p.frameSeconds, named: "analysis frame", sampleRate: sampleRate)
            let frameSeconds = Double(frameLength) / sampleRate
            func analysisFrames(_ seconds: Double, _ name: String) throws(SegmentationError) -> Int {
                _ = try SegmentationError.frames(seconds, named: name, sampleRate: sampleRate, minimumFrames: 0)
                return Int((seconds / frameSeconds).rounded())
            }
            for (value, name) in [(p.startThresholdDB, "start threshold"), (p.stopThresholdDB, "stop threshold"),
                                  (p.minimumNoiseFloorDBFS, "minimum noise floor")] where !value.isFinite {
                throw SegmentationError(.invalidParameter, "\(name) of \(value) dB must be a finite number")
            }
            guard p.stopThresholdDB <= p.startThresholdDB else {
                throw SegmentationError(
                    .inconsistentParameters,
                    "stop threshold \(p.stopThresholdDB) dB is above the start threshold \(p.startThresholdDB) dB")
            }
            startRatio = Float(pow(10, p.startThresholdDB / 10))
            stopRatio = Float(pow(10, p.stopThresholdDB / 10))
            minimumFloor = Float(pow(10, p.minimumNoiseFloorDBFS / 10))
            let windowFrames = max(1, try analysisFrames(p.noiseFloorWindowSeconds, "noise floor window"))
            floorBlockCount = min(8, windowFrames)
            floorBlockFrames = max(1, windowFrames / floorBlockCount)
            warmUpFrames = max(1, windowFrames / 2)
            minimumSpeechFrames = try analysisFrames(p.minimumSpeechSeconds, "minimum speech")
            minimumSilenceFrames = max(1, try analysisFrames(p.minimumSilenceSeconds, "minimum silence"))
            padding = try SegmentationError.frames(p.paddingSeconds, named: "padding", sampleRate: sampleRate, minimumFrames: 0)
            maximumLength = try SegmentationError.frames(
                p.maximumSegmentSeconds, named: "maximum segment length", sampleRate: sampleRate,
                minimumFrames: 2 * frameLength)
            splitSearch = try SegmentationError.frames(
                p.splitSearchSeconds, named: "split search window", sampleRate: sampleRate, minimumFrames: 0)
            guard p.paddingSeconds <= p.minimumSilenceSeconds else {
                throw SegmentationError(
                    .inconsistentParameters,
                    "padding of \(p.paddingSeconds) s is longer than the minimum silence of \(p.minimumSilenceSeconds) s")
            }
            guard p.minimumSpeechSeconds <= p.maximumSegmentSeconds else {
                throw SegmentationError(
                    .inconsistentParameters,
                    "minimum speech of \(p.minimumSpeechSeconds) s is longer than the maximum segment of \(p.maximumSegmentSeconds) s")
            }
            guard splitSearch < maximumLength else {
                throw SegmentationError(
                    .inconsistentParameters,
                    "split search window of \(p.splitSearchSeconds) s is not shorter than the maximum segment of \(p.maximumSegmentSeconds) s")
            }
        }
    }
}
