import PCM

/// The part of a codec-library handle a decoder drives; lets every decoder share one read,
/// seek and close path.
protocol FrameSource: AnyObject {
    /// Decodes up to `count` frames of interleaved floats into `destination`.
    func readFloats(into destination: UnsafeMutablePointer<Float>, frames count: Int, position: Int) throws(CodecError) -> Int
    /// Moves to a frame.
    func seek(toFrame frame: Int) throws(CodecError)
}

extension AudioDecoder {
    /// Reads through a handle into a buffer, advancing `position`; shared by every decoder.
    func read(
        from source: (some FrameSource)?, into buffer: inout PCMBuffer, maxFrames: Int, position: inout Int
    ) throws(CodecError) -> Int {
        try validateRead(buffer, maxFrames: maxFrames)
        guard let source else { throw CodecError(.closed, subject: path, "the decoder was closed") }
        let start = position
        let n = try buffer.appendFrames(upTo: maxFrames) { (room) throws(CodecError) -> Int in
            try source.readFloats(into: room.baseAddress!, frames: maxFrames, position: start)
        }
        position += n
        return n
    }

    /// Seeks a handle, checking the target first; shared by every decoder.
    func seek(_ source: (some FrameSource)?, toFrame frame: Int, position: inout Int) throws(CodecError) {
        try validateSeek(frame)
        guard let source else { throw CodecError(.closed, subject: path, "the decoder was closed") }
        try source.seek(toFrame: frame)
        position = frame
    }
}
