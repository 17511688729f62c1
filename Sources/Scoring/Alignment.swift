/// A run of tokens that the alignment treats the same way — jiwer's `AlignmentChunk`.
public struct AlignmentChunk: Hashable, Sendable, Codable {
    /// What happened to the run.
    public enum Kind: String, Hashable, Sendable, Codable {
        /// The tokens are the same in both.
        case equal
        /// Reference tokens replaced by as many hypothesis tokens.
        case substitute
        /// Hypothesis tokens not in the reference.
        case insert
        /// Reference tokens missing from the hypothesis.
        case delete
    }

    /// What happened to the run.
    public var kind: Kind
    /// Positions of the run in the reference tokens (empty for an insertion).
    public var referenceRange: Range<Int>
    /// Positions of the run in the hypothesis tokens (empty for a deletion).
    public var hypothesisRange: Range<Int>

    /// Creates a chunk.
    /// - Parameters:
    ///   - kind: What happened.
    ///   - referenceRange: Positions in the reference tokens.
    ///   - hypothesisRange: Positions in the hypothesis tokens.
    public init(kind: Kind, referenceRange: Range<Int>, hypothesisRange: Range<Int>) {
        self.kind = kind
        self.referenceRange = referenceRange
        self.hypothesisRange = hypothesisRange
    }
}

/// The alignment of one reference with one hypothesis: their tokens, the chunks (the same op
/// sequence jiwer 4.0 reports, tie-breaking included) and the counts.
public struct Alignment: Hashable, Sendable, Codable {
    /// What the texts were cut into.
    public var unit: ScoringUnit
    /// The reference's tokens after normalisation.
    public var reference: [String]
    /// The hypothesis's tokens after normalisation.
    public var hypothesis: [String]
    /// The op sequence, in order; empty when both texts are empty.
    public var chunks: [AlignmentChunk]
    /// Hits, substitutions, deletions and insertions.
    public var counts: ErrorCounts

    /// Creates an alignment.
    /// - Parameters:
    ///   - unit: What the texts were cut into.
    ///   - reference: Reference tokens.
    ///   - hypothesis: Hypothesis tokens.
    ///   - chunks: The op sequence.
    ///   - counts: The counts the chunks add up to.
    public init(unit: ScoringUnit, reference: [String], hypothesis: [String], chunks: [AlignmentChunk], counts: ErrorCounts) {
        self.unit = unit
        self.reference = reference
        self.hypothesis = hypothesis
        self.chunks = chunks
        self.counts = counts
    }
}

extension AlignmentChunk {
    /// rapidfuzz's `Editops.as_opcodes`: runs of the same operation at consecutive positions
    /// become one chunk, and the gaps between them become `equal` chunks.
    static func chunks(from operations: [EditOperation], referenceLength: Int, hypothesisLength: Int) -> [AlignmentChunk] {
        var chunks: [AlignmentChunk] = []
        var source = 0, destination = 0
        var index = 0
        while index < operations.count {
            let first = operations[index]
            if source < first.source || destination < first.destination {
                chunks.append(AlignmentChunk(kind: .equal, referenceRange: source..<first.source, hypothesisRange: destination..<first.destination))
                source = first.source
                destination = first.destination
            }
            let sourceStart = source, destinationStart = destination
            while index < operations.count, operations[index].kind == first.kind,
                operations[index].source == source, operations[index].destination == destination
            {
                switch first.kind {
                case .replace: source += 1; destination += 1
                case .insert: destination += 1
                case .delete: source += 1
                }
                index += 1
            }
            let kind: Kind = switch first.kind {
            case .replace: .substitute
            case .insert: .insert
            case .delete: .delete
            }
            chunks.append(AlignmentChunk(kind: kind, referenceRange: sourceStart..<source, hypothesisRange: destinationStart..<destination))
        }
        if source < referenceLength || destination < hypothesisLength {
            chunks.append(AlignmentChunk(kind: .equal, referenceRange: source..<referenceLength, hypothesisRange: destination..<hypothesisLength))
        }
        return chunks
    }
}
