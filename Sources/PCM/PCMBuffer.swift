/// A run of interleaved 32-bit float PCM frames with their format.
///
/// `PCMBuffer` is a copy-on-write value type: copies are cheap until one of them is changed.
/// Samples are interleaved (`frame0ch0, frame0ch1, frame1ch0, …`) and nominally within
/// `-1.0...1.0`; values outside that range are kept until a conversion to integers clips them.
///
/// Hot loops use the scoped accessors ``withUnsafeSamples(_:)`` and
/// ``withUnsafeMutableSamples(_:)``; the pointer must not escape the closure.
public struct PCMBuffer: Sendable, Equatable {
    /// The format of every frame in the buffer.
    public let format: AudioFormat
    /// The interleaved samples; `samples.count == frameCount * format.channelCount`.
    public private(set) var samples: [Float]

    /// Creates an empty buffer.
    /// - Parameters:
    ///   - format: The format of the frames the buffer will hold.
    ///   - frameCapacity: Frames to reserve room for, so appends up to it do not allocate.
    public init(format: AudioFormat, frameCapacity: Int = 0) {
        self.format = format
        self.samples = []
        samples.reserveCapacity(max(0, frameCapacity) * format.channelCount)
    }

    /// Creates a buffer from interleaved samples.
    /// - Parameters:
    ///   - format: The format of the frames.
    ///   - samples: Interleaved samples; the count must be a multiple of the channel count.
    /// - Throws: `PCMError.Code.invalidLength` when `samples` is not whole frames.
    public init(format: AudioFormat, interleaved samples: [Float]) throws(PCMError) {
        guard samples.count % format.channelCount == 0 else {
            throw PCMError(
                .invalidLength,
                "\(samples.count) samples are not a whole number of \(format.channelCount)-channel frames")
        }
        self.format = format
        self.samples = samples
    }

    /// The number of frames in the buffer.
    public var frameCount: Int { samples.count / format.channelCount }

    /// Whether the buffer holds no frames.
    public var isEmpty: Bool { samples.isEmpty }

    /// The duration of the buffer in seconds.
    public var durationSeconds: Double { format.duration(ofFrames: frameCount) }

    /// Appends the frames of another buffer.
    /// - Parameter other: A buffer of the same format.
    /// - Throws: `PCMError.Code.formatMismatch` when the formats differ.
    public mutating func append(_ other: PCMBuffer) throws(PCMError) {
        guard other.format == format else {
            throw PCMError(.formatMismatch, "cannot append \(other.format) frames to a \(format) buffer")
        }
        samples.append(contentsOf: other.samples)
    }

    /// Appends interleaved samples.
    /// - Parameter interleaved: Samples whose count is a multiple of the channel count.
    /// - Throws: `PCMError.Code.invalidLength` when the samples are not whole frames.
    public mutating func append(interleaved: some Collection<Float>) throws(PCMError) {
        guard interleaved.count % format.channelCount == 0 else {
            throw PCMError(
                .invalidLength,
                "\(interleaved.count) samples are not a whole number of \(format.channelCount)-channel frames")
        }
        samples.append(contentsOf: interleaved)
    }

    /// Removes every frame, optionally keeping the storage for reuse.
    /// - Parameter keepingCapacity: Whether to keep the allocated storage.
    public mutating func removeAll(keepingCapacity: Bool = true) {
        samples.removeAll(keepingCapacity: keepingCapacity)
    }

    /// Removes the first `count` frames.
    /// - Parameter count: Frames to remove; clamped to the buffer's length.
    public mutating func removeFirst(frames count: Int) {
        samples.removeFirst(min(max(0, count), frameCount) * format.channelCount)
    }

    /// Returns a copy of a range of frames.
    /// - Parameter range: Frame indices within `0..<frameCount`.
    /// - Returns: A buffer of the same format holding those frames.
    /// - Precondition: `range` lies within the buffer.
    public func frames(_ range: Range<Int>) -> PCMBuffer {
        precondition(range.lowerBound >= 0 && range.upperBound <= frameCount, "frame range out of bounds")
        let c = format.channelCount
        var copy = PCMBuffer(format: format)
        copy.samples = Array(samples[(range.lowerBound * c)..<(range.upperBound * c)])
        return copy
    }

    /// Calls `body` with a pointer to the interleaved samples.
    /// - Parameter body: A closure that reads the samples; the pointer must not escape it.
    /// - Returns: What `body` returns.
    public func withUnsafeSamples<R, E: Error>(
        _ body: (UnsafeBufferPointer<Float>) throws(E) -> R
    ) throws(E) -> R {
        let result: Result<R, E> = samples.withUnsafeBufferPointer { pointer in
            do throws(E) { return .success(try body(pointer)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Calls `body` with a mutable pointer to the interleaved samples.
    /// - Parameter body: A closure that changes samples in place; the pointer must not escape.
    /// - Returns: What `body` returns.
    public mutating func withUnsafeMutableSamples<R, E: Error>(
        _ body: (inout UnsafeMutableBufferPointer<Float>) throws(E) -> R
    ) throws(E) -> R {
        let result: Result<R, E> = samples.withUnsafeMutableBufferPointer { pointer in
            do throws(E) { return .success(try body(&pointer)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Appends `frames` frames written in place by `body`.
    ///
    /// This is the way decoders fill a buffer: `body` receives room for `frames` frames and
    /// returns how many it wrote. The room is zero-filled before `body` runs (a Swift array
    /// cannot grow uninitialised) and what `body` did not write is removed again.
    /// - Parameters:
    ///   - frames: The most frames `body` may write.
    ///   - body: Writes interleaved samples into the pointer and returns the frames written.
    /// - Returns: The frames appended.
    @discardableResult
    public mutating func appendFrames<E: Error>(
        upTo frames: Int,
        _ body: (UnsafeMutableBufferPointer<Float>) throws(E) -> Int
    ) throws(E) -> Int {
        let c = format.channelCount
        let start = samples.count
        var written = 0
        var failure: E?
        samples.append(contentsOf: repeatElement(0, count: frames * c))
        samples.withUnsafeMutableBufferPointer { all in
            let room = UnsafeMutableBufferPointer(rebasing: all[start..<(start + frames * c)])
            do throws(E) { written = min(max(0, try body(room)), frames) } catch { failure = error }
        }
        samples.removeLast((frames - written) * c)
        if let failure { throw failure }
        return written
    }
}

extension PCMBuffer {
    /// Wraps samples already known to be whole frames of `format`.
    init(uncheckedFormat format: AudioFormat, samples: [Float]) {
        self.init(format: format)
        self.samples = samples
    }

    /// The same samples labelled with another format of the same channel count.
    func relabelled(as format: AudioFormat) -> PCMBuffer {
        PCMBuffer(uncheckedFormat: format, samples: samples)
    }
}
