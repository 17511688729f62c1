public import AudioCodec
import PCM
public import Segmentation
import SpeechDataset
internal import Foundation

/// Cuts audio files into pieces with a `Segmenter` and writes each piece as its own file.
///
/// A file is read twice, chunk by chunk: once to find the segments, once to write them, so
/// memory stays bounded by the chunk size (plus one open encoder per overlapping piece)
/// whatever the recording's length. Every piece is written atomically (a temporary file in
/// the output folder, fsynced and renamed), so a crash never leaves a half-written piece
/// under its final name. Pieces keep the recording's sample rate and channels.
///
/// ```swift
/// let segmenter = try FixedLengthSegmenter(sampleRate: 16_000, lengthSeconds: 5)
/// let records = try SegmentSplitter.split(file: "talk.wav", segmenter: segmenter, outputDirectory: "pieces")
/// // pieces/talk_0000.wav, pieces/talk_0001.wav, …
/// ```
public struct SegmentSplitter: Sendable {
    /// The folder pieces are written to; created when missing.
    public var outputDirectory: String
    /// The pieces' file type.
    public var fileType: AudioFileType
    /// The fewest digits of the zero-padded index in ids (more are used when a file has more
    /// pieces, so ids of one file always sort in order).
    public var minimumIndexDigits: Int
    /// Frames decoded per read.
    public var chunkFrames: Int

    /// Creates a splitter.
    /// - Parameters:
    ///   - outputDirectory: Where pieces go; created when missing.
    ///   - fileType: The pieces' file type.
    ///   - minimumIndexDigits: The fewest digits in the index part of ids.
    ///   - chunkFrames: Frames decoded per read.
    public init(
        outputDirectory: String, fileType: AudioFileType = .wav16, minimumIndexDigits: Int = 4, chunkFrames: Int = 65_536
    ) {
        self.outputDirectory = outputDirectory
        self.fileType = fileType
        self.minimumIndexDigits = minimumIndexDigits
        self.chunkFrames = max(1, chunkFrames)
    }

    /// Splits one file with a default splitter; see ``split(file:segmenter:)``.
    /// - Parameters:
    ///   - file: The recording.
    ///   - segmenter: A segmenter made for the recording's sample rate.
    ///   - outputDirectory: Where pieces go.
    ///   - fileType: The pieces' file type.
    /// - Returns: One record per piece, in order.
    /// - Throws: `SegmentationError` as ``split(file:segmenter:)``.
    public static func split(
        file: String, segmenter: some Segmenter, outputDirectory: String, fileType: AudioFileType = .wav16
    ) throws(SegmentationError) -> [SegmentRecord] {
        try SegmentSplitter(outputDirectory: outputDirectory, fileType: fileType).split(file: file, segmenter: segmenter)
    }

    /// Splits one file and writes its pieces.
    /// - Parameters:
    ///   - file: The recording; any format `AudioFile.open(_:)` reads.
    ///   - segmenter: A segmenter made for the recording's sample rate; it is copied, so the
    ///     caller's value is untouched.
    /// - Returns: One record per piece, in order, with ids `<stem>_<index>`.
    /// - Throws: `SegmentationError` with `SegmentationError.Code.sampleRateMismatch` when
    ///   the segmenter expects another rate, or `SegmentationError.Code.ioFailure` naming the
    ///   file when reading the recording or writing a piece fails.
    public func split(file: String, segmenter: some Segmenter) throws(SegmentationError) -> [SegmentRecord] {
        var segmenter = segmenter
        var decoder = try codec(file) { () throws(CodecError) in try AudioFile.open(file) }
        defer { decoder.close() }
        guard decoder.format.sampleRate == segmenter.sampleRate else {
            throw SegmentationError(
                .sampleRateMismatch, subject: file,
                "the file is \(decoder.format.sampleRate) Hz but the segmenter was made for \(segmenter.sampleRate) Hz")
        }

        // Pass 1: find the segments.
        var segments: [Segment] = []
        var chunk = PCMBuffer(format: decoder.format, frameCapacity: chunkFrames)
        while try read(decoder, into: &chunk) > 0 {
            do { segments += try segmenter.push(chunk) } catch {
                throw SegmentationError(error.code, subject: file, error.message)
            }
        }
        segments += segmenter.finish()
        segments.removeAll { $0.frameCount == 0 }

        let stem = Self.stem(of: file)
        let digits = max(minimumIndexDigits, String(max(0, segments.count - 1)).count)
        let records = segments.enumerated().map { index, segment in
            let number = String(index)
            let id = "\(stem)_\(String(repeating: "0", count: max(0, digits - number.count)))\(number)"
            return SegmentRecord(
                id: id, source: file, audioPath: "\(outputDirectory)/\(id).\(fileType.fileExtension)", segment: segment)
        }
        guard !records.isEmpty else { return [] }

        // Pass 2: read again from the start and write each piece as the stream passes it.
        do { try decoder.seek(toFrame: 0) } catch {
            decoder.close()
            decoder = try codec(file) { () throws(CodecError) in try AudioFile.open(file) }
        }
        do { try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true) } catch {
            throw SegmentationError(.ioFailure, subject: outputDirectory, "cannot create the output folder: \(error.localizedDescription)")
        }
        try write(records, from: decoder, into: &chunk)
        return records
    }

    /// Streams the decoder once, feeding every piece that overlaps each chunk to its encoder.
    private func write(_ records: [SegmentRecord], from decoder: any AudioDecoder, into chunk: inout PCMBuffer) throws(SegmentationError) {
        var next = 0
        var open: [(record: SegmentRecord, encoder: SndFileEncoder)] = []
        var position = 0
        while next < records.count || !open.isEmpty {
            let count = try read(decoder, into: &chunk)
            guard count > 0 else {
                throw SegmentationError(
                    .ioFailure, subject: decoder.path,
                    "the file ended at frame \(position) on the second read, before piece \(open.first?.record.id ?? records[next].id); did it change?")
            }
            let end = position + count
            while next < records.count, records[next].segment.startFrame < end {
                let record = records[next]
                let encoder = try codec(record.audioPath) { () throws(CodecError) in
                    try SndFileEncoder(path: record.audioPath, format: decoder.format, fileType: fileType)
                }
                open.append((record, encoder))
                next += 1
            }
            for (record, encoder) in open {
                let overlap = max(record.segment.startFrame, position)..<min(record.segment.endFrame, end)
                guard !overlap.isEmpty else { continue }
                let piece = chunk.frames((overlap.lowerBound - position)..<(overlap.upperBound - position))
                try codec(record.audioPath) { () throws(CodecError) in try encoder.write(piece) }
            }
            while let first = open.first, first.record.segment.endFrame <= end {
                try codec(first.record.audioPath) { () throws(CodecError) in try first.encoder.finish() }
                open.removeFirst()
            }
            position = end
        }
    }

    private func read(_ decoder: any AudioDecoder, into chunk: inout PCMBuffer) throws(SegmentationError) -> Int {
        chunk.removeAll()
        return try codec(decoder.path) { () throws(CodecError) in try decoder.read(into: &chunk, maxFrames: chunkFrames) }
    }

    /// Runs a codec call, turning its error into a `SegmentationError` about `path`.
    private func codec<T>(_ path: String, _ body: () throws(CodecError) -> T) throws(SegmentationError) -> T {
        do { return try body() } catch {
            throw SegmentationError(.ioFailure, subject: error.subject ?? path, "\(error.message) (\(error.code))")
        }
    }

    /// The name of a file without its folder and extension, with whitespace replaced by `_`
    /// so it can be a Kaldi key.
    /// - Parameter path: A file path.
    /// - Returns: Its stem.
    public static func stem(of path: String) -> String {
        String(ManifestEntry.defaultID(forAudioPath: path).map { $0.isWhitespace ? "_" : $0 })
    }

    /// Writes records as a NeMo manifest (JSON lines), atomically.
    /// - Parameters:
    ///   - records: The pieces, in order.
    ///   - path: The manifest's path.
    ///   - pointingIntoSource: When true (the default) each line names the recording with an
    ///     `offset` and `duration`; otherwise it names the piece's own file.
    /// - Throws: `SegmentationError.Code.ioFailure` naming the manifest when writing fails.
    public static func writeNeMoManifest(_ records: [SegmentRecord], to path: String, pointingIntoSource: Bool = true) throws(SegmentationError) {
        do throws(DatasetError) {
            var writer = try NeMoManifestWriter(path: path)
            for record in records { try writer.write(pointingIntoSource ? record.sourceEntry() : record.pieceEntry()) }
            try writer.finish()
        } catch {
            throw SegmentationError(.ioFailure, subject: path, error.description)
        }
    }

    /// Writes records as a Kaldi data directory with a `segments` file (`wav.scp` names the
    /// recordings), each file atomically.
    /// - Parameters:
    ///   - records: The pieces.
    ///   - path: The data directory; created when missing.
    /// - Throws: `SegmentationError.Code.ioFailure` naming the folder when writing fails.
    public static func writeKaldiDataDirectory(_ records: [SegmentRecord], to path: String) throws(SegmentationError) {
        do throws(DatasetError) {
            var writer = try KaldiDataDirectoryWriter(path: path)
            for record in records { try writer.write(record.sourceEntry()) }
            try writer.finish()
        } catch {
            throw SegmentationError(.ioFailure, subject: path, error.description)
        }
    }
}
