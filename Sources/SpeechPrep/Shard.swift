/// One of `count` disjoint, stable subsets of a dataset, chosen by a hash of each item's id.
///
/// Running shards `0..<count` on separate machines and merging their outputs with
/// ``ShardMerger`` gives the same files as one run over the whole dataset.
public struct Shard: Hashable, Sendable, Codable, CustomStringConvertible {
    /// This shard's number, from 0 to `count - 1`.
    public let index: Int
    /// How many shards the dataset is split into.
    public let count: Int

    /// Creates a shard.
    /// - Parameters:
    ///   - index: The shard's number, `0 ..< count`.
    ///   - count: The number of shards, at least 1.
    /// - Throws: `PipelineError.Code.invalidConfiguration` when the numbers are out of range.
    public init(index: Int, count: Int) throws(PipelineError) {
        guard count >= 1, (0..<count).contains(index) else {
            throw PipelineError(
                .invalidConfiguration, subject: "\(index)/\(count)",
                "a shard must be k/N with N ≥ 1 and 0 ≤ k < N")
        }
        self.index = index
        self.count = count
    }

    /// Parses `k/N`, as given to `--shard`.
    /// - Parameter text: Two integers separated by a slash.
    /// - Throws: `PipelineError.Code.invalidConfiguration` when the text is not `k/N`.
    public init(parsing text: String) throws(PipelineError) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
            throw PipelineError(.invalidConfiguration, subject: text, "a shard is written k/N, for example 0/4")
        }
        try self.init(index: index, count: count)
    }

    /// The shard an array-job scheduler assigned to this process, if any.
    ///
    /// Slurm array jobs set `SLURM_ARRAY_TASK_ID` and `SLURM_ARRAY_TASK_COUNT` (and
    /// `SLURM_ARRAY_TASK_MIN`, subtracted so arrays need not start at 0). A task resubmitted on
    /// its own (`sbatch --array=2`) is an array of one, so there the count must be given —
    /// `countHint` or `SPEECHPREP_SHARD_COUNT` — and then the task id is the shard number
    /// as is. Kubernetes Indexed Jobs set `JOB_COMPLETION_INDEX`, and the count comes from
    /// `countHint` or `SPEECHPREP_SHARD_COUNT`.
    /// - Parameters:
    ///   - environment: The process environment.
    ///   - countHint: The shard count when the scheduler does not publish one.
    /// - Returns: The shard, or `nil` when no scheduler variables are set.
    /// - Throws: `PipelineError.Code.invalidConfiguration` when the variables are inconsistent.
    public static func fromEnvironment(
        _ environment: [String: String], countHint: Int? = nil
    ) throws(PipelineError) -> Shard? {
        let explicitCount = countHint ?? environment["SPEECHPREP_SHARD_COUNT"].flatMap { Int($0) }
        if let id = environment["SLURM_ARRAY_TASK_ID"].flatMap({ Int($0) }) {
            if let explicitCount { return try Shard(index: id, count: explicitCount) }
            guard let count = environment["SLURM_ARRAY_TASK_COUNT"].flatMap({ Int($0) }) else {
                throw PipelineError(
                    .invalidConfiguration, subject: "SLURM_ARRAY_TASK_ID",
                    "is set but SLURM_ARRAY_TASK_COUNT is not; pass --shard-count or set SPEECHPREP_SHARD_COUNT")
            }
            let first = environment["SLURM_ARRAY_TASK_MIN"].flatMap { Int($0) } ?? 0
            return try Shard(index: id - first, count: count)
        }
        if let index = environment["JOB_COMPLETION_INDEX"].flatMap({ Int($0) }) {
            guard let count = explicitCount else {
                throw PipelineError(
                    .invalidConfiguration, subject: "JOB_COMPLETION_INDEX",
                    "is set but the shard count is unknown; pass --shard-count or set SPEECHPREP_SHARD_COUNT")
            }
            return try Shard(index: index, count: count)
        }
        return nil
    }

    /// Whether an item belongs to this shard.
    /// - Parameter id: The item's id.
    /// - Returns: `true` when the id's stable hash falls in this shard.
    public func contains(id: String) -> Bool {
        Int(Shard.stableHash(id) % UInt64(count)) == index
    }

    /// FNV-1a over the UTF-8 bytes: the same on every machine and every run (unlike `Hasher`).
    static func stableHash(_ id: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in id.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// The suffix of this shard's output files, `part-k-of-N`.
    public var partName: String { "part-\(index)-of-\(count)" }

    public var description: String { "\(index)/\(count)" }
}
