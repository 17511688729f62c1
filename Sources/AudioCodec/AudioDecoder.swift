public import PCM

/// A source of PCM frames read from an audio file, chunk by chunk.
///
/// Decoders own C handles and a file descriptor, so they are reference types used by one
/// thread at a time. They close themselves when released; ``close()`` frees the file earlier.
///
/// ```swift
/// let decoder = try AudioFile.open("speech.mp3")
/// var chunk = PCMBuffer(format: decoder.format)
/// while try decoder.read(into: &chunk, maxFrames: 65_536) > 0 {
///     // use chunk, then chunk.removeAll()
/// }
/// ```
public protocol AudioDecoder: AnyObject {
    /// The path the decoder reads.
    var path: String { get }
    /// The sample rate and channel count of the frames ``read(into:maxFrames:)`` produces.
    var format: AudioFormat { get }
    /// The exact number of frames in the file, when the decoder knows it.
    var frameCount: Int? { get }
    /// What the decoder learned about the file: container, codec, bit depth and size.
    var info: AudioInfo { get }

    /// Decodes up to `maxFrames` frames and appends them to `buffer`.
    /// - Parameters:
    ///   - buffer: A buffer in ``format``; decoded frames are appended to it.
    ///   - maxFrames: The most frames to append; must be positive.
    /// - Returns: The frames appended; `0` only at the end of the file.
    /// - Throws: ``CodecError`` with `truncated` or `corrupt` when the data breaks off (the
    ///   message gives the frame position reached), `invalidArgument` when `buffer` has
    ///   another format, `closed` after ``close()``.
    func read(into buffer: inout PCMBuffer, maxFrames: Int) throws(CodecError) -> Int

    /// Moves the read position.
    /// - Parameter frame: The frame to read next, from `0` to ``frameCount``.
    /// - Throws: ``CodecError`` with `invalidArgument` for a position outside the file or
    ///   `unsupportedCodec` when the source cannot seek.
    func seek(toFrame frame: Int) throws(CodecError)

    /// Releases the file and the codec state; later reads throw `closed`. Safe to call twice.
    func close()
}

extension AudioDecoder {
    /// Decodes every remaining frame into one buffer.
    /// - Parameter chunkFrames: Frames to decode per step.
    /// - Returns: The remaining frames of the file.
    /// - Throws: ``CodecError`` as ``read(into:maxFrames:)`` does.
    public func readAll(chunkFrames: Int = 65_536) throws(CodecError) -> PCMBuffer {
        // Reserve from the promised length, but never more than 4 Mi samples (16 MB) up front:
        // a FLAC header can promise billions of frames in a 100-byte file. Past the
        // reservation the buffer grows only as real frames arrive.
        var buffer = PCMBuffer(format: format, frameCapacity: min(frameCount ?? 0, (1 << 22) / format.channelCount))
        while try read(into: &buffer, maxFrames: chunkFrames) > 0 {}
        return buffer
    }

    /// Checks the arguments of ``read(into:maxFrames:)``; shared by every decoder.
    func validateRead(_ buffer: PCMBuffer, maxFrames: Int) throws(CodecError) {
        guard buffer.format == format else {
            throw CodecError(
                .invalidArgument, subject: path,
                "the buffer holds \(buffer.format) frames but the file decodes to \(format)")
        }
        guard maxFrames > 0 else {
            throw CodecError(.invalidArgument, subject: path, "maxFrames must be positive, not \(maxFrames)")
        }
    }

    /// Checks a seek target against the known length; shared by every decoder.
    func validateSeek(_ frame: Int) throws(CodecError) {
        guard frame >= 0, frame <= (frameCount ?? Int.max) else {
            throw CodecError(
                .invalidArgument, subject: path,
                "cannot seek to frame \(frame): the file has \(frameCount.map(String.init) ?? "an unknown number of") frames")
        }
    }
}

/// A sink that writes PCM frames to an audio file.
///
/// Output goes to a temporary file in the target folder; ``finish()`` flushes it to disk and
/// renames it into place, so a crash never leaves a half-written file under the final name.
/// An encoder released without ``finish()`` removes its temporary file.
public protocol AudioEncoder: AnyObject {
    /// The format of the frames the encoder accepts.
    var format: AudioFormat { get }
    /// The final path of the file.
    var path: String { get }

    /// Writes frames.
    /// - Parameter buffer: Frames in ``format``.
    /// - Throws: ``CodecError`` with `writeFailed` (for example the disk is full),
    ///   `invalidArgument` for another format, `closed` after ``finish()``.
    func write(_ buffer: PCMBuffer) throws(CodecError)

    /// Completes the file: writes the header, `fsync`s, and renames the file into place.
    /// - Throws: `CodecError.Code.writeFailed` when any step fails; the temporary file is
    ///   then removed and the final path is left as it was.
    func finish() throws(CodecError)
}
