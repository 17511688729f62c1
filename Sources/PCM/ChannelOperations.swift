internal import RealModule

extension PCMBuffer {
    /// The average of all channels, as a mono buffer (a mono buffer is returned unchanged).
    /// - Returns: One channel at the same sample rate.
    @_optimize(speed)
    public func downmixedToMono() -> PCMBuffer {
        let channels = format.channelCount
        if channels == 1 { return self }
        let mono = try! AudioFormat(sampleRate: format.sampleRate, channelCount: 1)
        let frames = frameCount
        var out = [Float](repeating: 0, count: frames)
        let scale = 1 / Float(channels)
        samples.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                if channels == 2 {
                    for f in 0..<frames { target[f] = (source[2 * f] + source[2 * f + 1]) * 0.5 }
                } else {
                    for f in 0..<frames {
                        var sum: Float = 0
                        for c in 0..<channels { sum += source[f * channels + c] }
                        target[f] = sum * scale
                    }
                }
            }
        }
        return PCMBuffer(uncheckedFormat: mono, samples: out)
    }

    /// One channel as a mono buffer.
    /// - Parameter index: The channel, from 0 to `format.channelCount - 1`.
    /// - Returns: That channel's samples at the same sample rate.
    /// - Throws: `PCMError.Code.invalidArgument` when there is no such channel.
    public func channel(_ index: Int) throws(PCMError) -> PCMBuffer {
        let channels = format.channelCount
        guard (0..<channels).contains(index) else {
            throw PCMError(.invalidArgument, "channel \(index) does not exist in a \(channels)-channel buffer")
        }
        if channels == 1 { return self }
        let mono = try AudioFormat(sampleRate: format.sampleRate, channelCount: 1)
        return PCMBuffer(uncheckedFormat: mono, samples: Array(samples[index...].striding(by: channels)))
    }

    /// A mono buffer copied into every channel of a wider one.
    /// - Parameter channelCount: The wanted channel count (1 to ``AudioFormat/maximumChannelCount``).
    /// - Returns: The buffer with each sample repeated `channelCount` times per frame
    ///   (unchanged when it already has that many channels).
    /// - Throws: `PCMError.Code.formatMismatch` when the buffer is not mono (and not
    ///   already `channelCount` wide); `PCMError.Code.invalidChannelCount` for a bad count.
    public func upmixed(toChannels channelCount: Int) throws(PCMError) -> PCMBuffer {
        let wide = try AudioFormat(sampleRate: format.sampleRate, channelCount: channelCount)
        if channelCount == format.channelCount { return self }
        guard format.channelCount == 1 else {
            throw PCMError(.formatMismatch, "only mono can be upmixed; this buffer has \(format.channelCount) channels")
        }
        var out = [Float](repeating: 0, count: samples.count * channelCount)
        for (f, sample) in samples.enumerated() {
            for c in 0..<channelCount { out[f * channelCount + c] = sample }
        }
        return PCMBuffer(uncheckedFormat: wide, samples: out)
    }

    /// Multiplies every sample by a linear factor.
    /// - Parameter factor: The gain (1 leaves the buffer unchanged).
    public mutating func applyGain(_ factor: Float) {
        withUnsafeMutableSamples { samples in
            for i in samples.indices { samples[i] *= factor }
        }
    }

    /// Multiplies every sample by a gain given in decibels.
    /// - Parameter decibels: The gain in dB (0 leaves the buffer unchanged; −6.02 halves).
    public mutating func applyGain(decibels: Double) {
        applyGain(Float(Double.pow(10, decibels / 20)))
    }
}

extension ArraySlice {
    /// Every `step`-th element from the start.
    fileprivate func striding(by step: Int) -> some Sequence<Element> {
        stride(from: startIndex, to: endIndex, by: step).lazy.map { self[$0] }
    }
}
