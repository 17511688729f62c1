/// The noise floor as the quietest frame level (mean square) over a sliding window, kept as the minima
/// of a few blocks so memory does not grow with the window ("minimum statistics").
struct NoiseFloor: Sendable {
    private let blockFrames: Int
    private var blockMinima: [Float]
    private var position = 0
    private var currentMinimum = Float.infinity
    private var framesInBlock = 0

    init(blockFrames: Int, blockCount: Int) {
        self.blockFrames = blockFrames
        blockMinima = Array(repeating: .infinity, count: blockCount)
    }

    /// Adds a frame's level and returns the floor including it.
    mutating func update(_ level: Float) -> Float {
        currentMinimum = min(currentMinimum, level)
        framesInBlock += 1
        var floor = currentMinimum
        for value in blockMinima { floor = min(floor, value) }
        if framesInBlock == blockFrames {
            blockMinima[position] = currentMinimum
            position = (position + 1) % blockMinima.count
            (currentMinimum, framesInBlock) = (.infinity, 0)
        }
        return floor
    }

    mutating func reset() {
        for index in blockMinima.indices { blockMinima[index] = .infinity }
        (position, currentMinimum, framesInBlock) = (0, .infinity, 0)
    }
}

/// The mean-square level of the most recent analysis frames, in a ring of fixed capacity:
/// the look-back a forced split searches.
struct LevelHistory: Sendable {
    private var ring: [Float]

    init(capacity: Int) {
        ring = Array(repeating: 0, count: max(capacity, 8))
    }

    mutating func append(_ level: Float, at index: Int) {
        ring[index % ring.count] = level
    }

    /// The oldest analysis-frame index still held when `newest` is the latest.
    func oldestIndex(newest: Int) -> Int { max(0, newest - ring.count + 1) }

    /// The level summed over the five frames centred on `index` (those still held and not
    /// after `newest`), so a split prefers a quiet stretch over a single quiet frame.
    func smoothedLevel(around index: Int, newest: Int) -> Float {
        let low = max(index - 2, oldestIndex(newest: newest))
        let high = min(index + 2, newest)
        var sum: Float = 0
        for frame in low...high { sum += ring[frame % ring.count] }
        return sum / Float(high - low + 1)
    }

    mutating func reset() {
        for index in ring.indices { ring[index] = 0 }
    }
}
