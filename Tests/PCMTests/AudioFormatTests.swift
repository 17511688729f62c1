import Testing
import PCM

@Suite struct AudioFormatTests {
    @Test(arguments: [0.0, -16_000, .nan, .infinity, 2_000_000])
    func rejectsBadSampleRates(rate: Double) {
        #expect(throws: PCMError.self) { try AudioFormat(sampleRate: rate, channelCount: 1) }
    }

    @Test(arguments: [0, -1, 65])
    func rejectsBadChannelCounts(channels: Int) {
        #expect(throws: PCMError.self) { try AudioFormat(sampleRate: 16_000, channelCount: channels) }
    }

    @Test func bufferCountsFramesAndRejectsPartialFrames() throws {
        let stereo = try AudioFormat(sampleRate: 48_000, channelCount: 2)
        var buffer = try PCMBuffer(format: stereo, interleaved: [0, 0, 0.5, -0.5])
        #expect(buffer.frameCount == 2)
        #expect(throws: PCMError.self) { try buffer.append(interleaved: [1.0]) }
        let written = buffer.appendFrames(upTo: 4) { room in
            room[0] = 1; room[1] = -1
            return 1
        }
        #expect(written == 1)
        #expect(buffer.samples == [0, 0, 0.5, -0.5, 1, -1])
        #expect(buffer.frames(1..<3).samples == [0.5, -0.5, 1, -1])
    }
}
