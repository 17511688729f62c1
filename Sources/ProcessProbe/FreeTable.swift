/// Formats ``SystemMemory`` as the table procps-ng's `free` prints.
public enum FreeTable {
    /// The unit of the numbers, as `free`'s `-b`, `-k`, `-m`, `-g` and `-h` options.
    public enum Unit: String, CaseIterable, Sendable {
        /// Bytes (`-b`).
        case bytes
        /// KiB (`-k`, `free`'s default).
        case kibibytes
        /// MiB (`-m`).
        case mebibytes
        /// GiB (`-g`).
        case gibibytes
        /// The shortest of B, Ki, Mi, Gi, Ti, Pi that fits in four characters (`-h`).
        case human
    }

    /// The header line, exactly as `free` 4.0 prints it.
    public static let header =
        "               total        used        free      shared  buff/cache   available"

    /// Renders the table.
    /// - Parameters:
    ///   - memory: The figures.
    ///   - unit: The unit of the numbers.
    ///   - cgroup: The caller's cgroup; when it has a memory limit, a `Cgroup:` line follows.
    /// - Returns: The lines, each ending in a newline.
    public static func render(_ memory: SystemMemory, unit: Unit = .kibibytes, cgroup: CgroupMemory? = nil) -> String {
        func row(_ label: String, _ values: [Int]) -> String {
            // procps-ng 4 sizes the label column to its longest label ("Total:") plus two,
            // and each number column to twelve; a wider number simply pushes the line on.
            var line = label.padding(toWidth: 8)
            for value in values { line += format(value, unit: unit).leftPadded(toWidth: 12) }
            return line + "\n"
        }
        var text = header + "\n"
        text += row(
            "Mem:",
            [
                memory.totalBytes, memory.usedBytes, memory.freeBytes, memory.sharedBytes, memory.buffCacheBytes,
                memory.availableBytes,
            ])
        text += row("Swap:", [memory.swapTotalBytes, memory.swapUsedBytes, memory.swapFreeBytes])
        if let cgroup, cgroup.isLimited {
            let parts: [(String, Int?)] = [
                ("limit", cgroup.limitBytes), ("usage", cgroup.usageBytes), ("peak", cgroup.peakBytes),
                ("swap limit", cgroup.swapLimitBytes), ("swap usage", cgroup.swapUsageBytes),
            ]
            text += "Cgroup: "
            text += parts.compactMap { name, value in value.map { "\(name) \(format($0, unit: unit))" } }
                .joined(separator: ", ")
            text += "\n"
        }
        return text
    }

    /// Formats one quantity as `free` does.
    ///
    /// Plain units truncate (`-m` prints 331 for 331.9 MiB). Human-readable output tries
    /// `123B`, then each binary unit with one decimal (`8.7Mi`) and then without (`331Mi`),
    /// taking the first that is at most four characters plus the `i` — the rule of
    /// procps-ng's `scale_size`, including its single-precision rounding.
    /// - Parameters:
    ///   - bytes: The quantity in bytes.
    ///   - unit: The unit.
    /// - Returns: The text without padding.
    public static func format(_ bytes: Int, unit: Unit) -> String {
        switch unit {
        case .bytes: return String(bytes)
        case .kibibytes: return String(bytes / 1024)
        case .mebibytes: return String(bytes / (1024 * 1024))
        case .gibibytes: return String(bytes / (1024 * 1024 * 1024))
        case .human:
            if String(bytes).count + 1 <= 4 { return "\(bytes)B" }
            var scale = 1.0
            for letter in ["K", "M", "G", "T", "P"] {
                scale *= 1024
                let value = Float(Double(bytes) / scale)
                let decimal = tenths(value) + letter + "i"
                if decimal.count <= 5 { return decimal }
                let whole = String(Int(Double(bytes) / scale)) + letter + "i"
                if whole.count <= 5 { return whole }
            }
            return String(Int(Double(bytes) / scale)) + "Pi"
        }
    }

    /// `%.1f` of a single-precision value, rounding half to even as printf does on the
    /// exact binary value.
    private static func tenths(_ value: Float) -> String {
        let scaled = (Double(value) * 10).rounded(.toNearestOrEven)
        let whole = Int(scaled) / 10
        let fraction = Int(scaled) % 10
        return "\(whole).\(fraction)"
    }
}

extension String {
    func padding(toWidth width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }

    func leftPadded(toWidth width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
