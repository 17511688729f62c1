// Parsers for the text files under /proc, working on raw bytes so reading the process
// table never builds a String it does not keep.

// MARK: - /proc/<pid>/stat

/// The fields of `/proc/<pid>/stat` that the `ps aux` columns need (see proc_pid_stat(5)).
struct ProcStat {
    var pid: Int32 = 0
    var command = ""
    var state: UInt8 = 0
    var ppid: Int32 = 0
    var processGroup: Int32 = 0
    var session: Int32 = 0
    var ttyNumber: Int64 = 0
    var terminalProcessGroup: Int32 = 0
    var kernelFlags: UInt64 = 0
    var userTicks: UInt64 = 0
    var systemTicks: UInt64 = 0
    var nice: Int = 0
    var threadCount: Int = 0
    var startTicks: UInt64 = 0
    var virtualBytes: UInt64 = 0
    var residentPages: Int64 = 0

    /// Whether this is a kernel thread (`PF_KTHREAD`): no memory map, no arguments.
    var isKernelThread: Bool { kernelFlags & 0x0020_0000 != 0 }

    /// Parses the file's bytes; `nil` when they are not laid out as documented.
    init?(_ bytes: UnsafeRawBufferPointer) {
        // The command is in parentheses and may itself contain ") ", so the fields resume
        // after the LAST closing parenthesis.
        guard let open = bytes.firstIndex(of: UInt8(ascii: "(")),
            let close = bytes.lastIndex(of: UInt8(ascii: ")")), close > open
        else { return nil }
        var head = ByteScanner(UnsafeRawBufferPointer(rebasing: bytes[0..<open]))
        pid = Int32(truncatingIfNeeded: head.nextInteger() ?? 0)
        command = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[(open + 1)..<close]), as: UTF8.self)
        var fields = ByteScanner(UnsafeRawBufferPointer(rebasing: bytes[(close + 1)...]))
        guard let stateByte = fields.nextField()?.first else { return nil }
        state = stateByte
        // Field numbers below are those of proc_pid_stat(5); `state` was field 3.
        for number in 4...24 {
            guard let value = fields.nextInteger() else { return nil }
            switch number {
            case 4: ppid = Int32(truncatingIfNeeded: value)
            case 5: processGroup = Int32(truncatingIfNeeded: value)
            case 6: session = Int32(truncatingIfNeeded: value)
            case 7: ttyNumber = value
            case 8: terminalProcessGroup = Int32(truncatingIfNeeded: value)
            case 9: kernelFlags = UInt64(truncatingIfNeeded: value)
            case 14: userTicks = UInt64(clamping: value)
            case 15: systemTicks = UInt64(clamping: value)
            case 19: nice = Int(value)
            case 20: threadCount = Int(value)
            case 22: startTicks = UInt64(clamping: value)
            case 23: virtualBytes = UInt64(clamping: value)
            case 24: residentPages = value
            default: break
            }
        }
    }
}

// MARK: - Key/value files

/// Walks `Key: value` lines (`/proc/meminfo`, `/proc/<pid>/status`) and reports the numeric
/// value of each key found in `keys`, in the unit the file uses.
func scanKeyedValues(
    _ bytes: UnsafeRawBufferPointer, keys: [StaticString], _ found: (_ keyIndex: Int, _ value: Int64) -> Void
) {
    var lineStart = 0
    let end = bytes.count
    while lineStart < end {
        var colon = lineStart
        while colon < end, bytes[colon] != UInt8(ascii: ":"), bytes[colon] != UInt8(ascii: "\n") { colon += 1 }
        var lineEnd = colon
        while lineEnd < end, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
        if colon < lineEnd {
            let key = UnsafeRawBufferPointer(rebasing: bytes[lineStart..<colon])
            for (index, wanted) in keys.enumerated() where wanted.utf8CodeUnitCount == key.count {
                let same = wanted.withUTF8Buffer { $0.elementsEqual(key) }
                if same {
                    var scanner = ByteScanner(UnsafeRawBufferPointer(rebasing: bytes[(colon + 1)..<lineEnd]))
                    if let value = scanner.nextInteger() { found(index, value) }
                    break
                }
            }
        }
        lineStart = lineEnd + 1
    }
}

/// The first integer in a file's bytes (`memory.current`, `/proc/<pid>/statm`'s first
/// field), or `nil` when the file holds none (such as `max`).
func firstInteger(_ bytes: UnsafeRawBufferPointer, skippingFields: Int = 0) -> Int64? {
    var scanner = ByteScanner(bytes)
    for _ in 0..<skippingFields { _ = scanner.nextField() }
    return scanner.nextInteger()
}

// MARK: - Scanner

/// A cursor over bytes separated by spaces, tabs and newlines.
struct ByteScanner {
    private let bytes: UnsafeRawBufferPointer
    private var position = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D
    }

    /// The next run of non-space bytes.
    mutating func nextField() -> UnsafeRawBufferPointer? {
        while position < bytes.count, Self.isSpace(bytes[position]) { position += 1 }
        guard position < bytes.count else { return nil }
        let start = position
        while position < bytes.count, !Self.isSpace(bytes[position]) { position += 1 }
        return UnsafeRawBufferPointer(rebasing: bytes[start..<position])
    }

    /// The next field read as a decimal integer with an optional sign.
    mutating func nextInteger() -> Int64? {
        guard let field = nextField(), !field.isEmpty else { return nil }
        var index = 0
        var negative = false
        if field[0] == UInt8(ascii: "-") || field[0] == UInt8(ascii: "+") {
            negative = field[0] == UInt8(ascii: "-")
            index = 1
        }
        guard index < field.count else { return nil }
        var value: Int64 = 0
        while index < field.count {
            let digit = field[index] &- 0x30
            guard digit < 10 else { return nil }
            value = value &* 10 &+ Int64(digit)
            index += 1
        }
        return negative ? -value : value
    }
}
