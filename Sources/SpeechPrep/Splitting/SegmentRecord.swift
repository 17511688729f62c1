public import Segmentation
public import SpeechDataset

/// One piece written by ``SegmentSplitter``: its id, the recording it came from, where in the
/// recording it lies, and the file it was written to.
public struct SegmentRecord: Hashable, Sendable, Codable {
    /// `<source-stem>_<zero-padded index>`, e.g. `talk_0007`: stable for the same input and
    /// parameters, and sorting ids as text sorts the pieces by position.
    public var id: String
    /// The recording the piece was cut from.
    public var source: String
    /// The file the piece was written to.
    public var audioPath: String
    /// Where the piece starts in the recording, in seconds.
    public var offset: Double
    /// The piece's length in seconds.
    public var duration: Double
    /// The piece's frames in the recording.
    public var segment: Segment

    /// Creates a record.
    /// - Parameters:
    ///   - id: The piece's id.
    ///   - source: The recording's path.
    ///   - audioPath: The piece's file.
    ///   - segment: Where the piece lies in the recording.
    public init(id: String, source: String, audioPath: String, segment: Segment) {
        self.id = id
        self.source = source
        self.audioPath = audioPath
        self.offset = segment.startSeconds
        self.duration = segment.durationSeconds
        self.segment = segment
    }

    /// The recording's id, as Kaldi's `segments` file names it: the source's stem.
    public var recordingID: String { SegmentSplitter.stem(of: source) }

    /// The piece as a manifest entry that points into the recording with an offset and a
    /// duration: a NeMo manifest line with `offset`/`duration`, or a Kaldi `segments` line
    /// (`<id> <recording-id> <start> <end>`) with `wav.scp` naming the recording.
    /// - Returns: An entry with `audioPath` = ``source``.
    public func sourceEntry() -> ManifestEntry {
        ManifestEntry(id: id, audioPath: source, offset: offset, duration: duration, extra: ["recording_id": recordingID])
    }

    /// The piece as a manifest entry of its own file (no offset).
    /// - Returns: An entry with `audioPath` = ``audioPath``.
    public func pieceEntry() -> ManifestEntry {
        ManifestEntry(id: id, audioPath: audioPath, duration: duration)
    }
}
