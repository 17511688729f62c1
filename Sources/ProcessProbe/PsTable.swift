public import Foundation

/// Formats ``ProcessRecord``s as the columns of `ps aux`.
public enum PsTable {
    /// A column to sort by, as `ps --sort` names them.
    public enum SortKey: String, CaseIterable, Sendable {
        /// Process id.
        case pid
        /// Parent process id.
        case ppid
        /// User name.
        case user
        /// `%CPU`.
        case pcpu
        /// `%MEM`.
        case pmem
        /// Virtual size.
        case vsz
        /// Resident size.
        case rss
        /// Start time.
        case start
        /// CPU time.
        case time
        /// Command name.
        case comm

        /// Parses `ps --sort` syntax: a key with an optional `-` (descending) or `+` prefix;
        /// `%cpu`, `%mem`, `cpu`, `mem` and `cmd` are accepted as aliases.
        /// - Parameter text: For example `-rss`.
        /// - Returns: The key and whether the order is descending, or `nil` for an unknown key.
        public static func parse(_ text: String) -> (key: SortKey, descending: Bool)? {
            var name = Substring(text)
            var descending = false
            if let first = name.first, first == "-" || first == "+" {
                descending = first == "-"
                name = name.dropFirst()
            }
            let aliases = ["%cpu": "pcpu", "cpu": "pcpu", "%mem": "pmem", "mem": "pmem", "cmd": "comm", "args": "comm"]
            guard let key = SortKey(rawValue: aliases[String(name)] ?? String(name)) else { return nil }
            return (key, descending)
        }
    }

    /// Sorts records by a column; ties keep pid order.
    /// - Parameters:
    ///   - records: The records.
    ///   - key: The column.
    ///   - descending: Largest first.
    /// - Returns: The sorted records.
    public static func sorted(_ records: [ProcessRecord], by key: SortKey, descending: Bool = false) -> [ProcessRecord] {
        func ascending(_ a: ProcessRecord, _ b: ProcessRecord) -> Bool {
            switch key {
            case .pid: a.pid < b.pid
            case .ppid: a.ppid < b.ppid
            case .user: a.user < b.user
            case .pcpu: a.cpuPercent < b.cpuPercent
            case .pmem: a.memPercent < b.memPercent
            case .vsz: a.vszKiB < b.vszKiB
            case .rss: a.rssKiB < b.rssKiB
            case .start: a.start < b.start
            case .time: a.cpuTime < b.cpuTime
            case .comm: a.command < b.command
            }
        }
        let byPID = records.sorted { $0.pid < $1.pid }
        return byPID.enumerated().sorted { x, y in
            if ascending(x.element, y.element) { return !descending }
            if ascending(y.element, x.element) { return descending }
            return x.offset < y.offset
        }.map(\.element)
    }

    /// Renders `USER PID %CPU %MEM VSZ RSS TTY STAT START TIME COMMAND` lines.
    /// - Parameters:
    ///   - records: The processes, in the order to print.
    ///   - now: The moment `START` is relative to (today's processes show `HH:MM`, this
    ///     year's `MonDD`, older ones the year).
    /// - Returns: A header line and one line per process, each ending in a newline.
    public static func render(_ records: [ProcessRecord], now: Date = Date()) -> String {
        let header = ["USER", "PID", "%CPU", "%MEM", "VSZ", "RSS", "TTY", "STAT", "START", "TIME", "COMMAND"]
        let leftAligned: Set<Int> = [0, 6, 7]
        // The widths of ps aux; as in ps, a wider value pushes the rest of its line along.
        let widths = [8, 5, 4, 4, 6, 5, 8, 4, 5, 6, 0]
        let clock = StartColumn(now: now)
        let rows = records.map { record -> [String] in
            [
                record.user.count > 8 ? String(record.user.prefix(7)) + "+" : record.user,
                String(record.pid), tenths(record.cpuPercent), tenths(record.memPercent),
                String(record.vszKiB), String(record.rssKiB), record.tty ?? "?", record.stat,
                clock.format(record.start), cpuTime(record.cpuTime),
                record.commandLine + (record.state == .zombie ? " <defunct>" : ""),
            ]
        }
        func line(_ cells: [String]) -> String {
            var text = ""
            for (index, cell) in cells.enumerated() {
                if index > 0 { text += " " }
                if index == cells.count - 1 {
                    text += cell
                } else if leftAligned.contains(index) {
                    text += cell.padding(toWidth: widths[index])
                } else {
                    text += cell.leftPadded(toWidth: widths[index])
                }
            }
            return text + "\n"
        }
        return line(header) + rows.map(line).joined()
    }

    private static func tenths(_ percent: Double) -> String {
        let permille = Int((percent * 10).rounded(.down))
        return permille > 999 ? String(permille / 10) : "\(permille / 10).\(permille % 10)"
    }

    /// `ps aux`'s `TIME`: minutes and seconds of CPU time, `M:SS`.
    private static func cpuTime(_ duration: Duration) -> String {
        let seconds = Int(duration.components.seconds)
        let remainder = seconds % 60
        return "\(seconds / 60):\(remainder < 10 ? "0" : "")\(remainder)"
    }

    /// `ps`'s `START` rule: `HH:MM` today, `MonDD` this year, the year otherwise.
    private struct StartColumn {
        let calendar = Calendar.current
        let now: Date
        let time: DateFormatter
        let day: DateFormatter
        let year: DateFormatter

        init(now: Date) {
            self.now = now
            func formatter(_ pattern: String) -> DateFormatter {
                let formatter = DateFormatter()
                formatter.locale = Locale(identifier: "en_US_POSIX")
                formatter.dateFormat = pattern
                return formatter
            }
            time = formatter("HH:mm")
            day = formatter("MMMdd")
            year = formatter("yyyy")
        }

        func format(_ date: Date) -> String {
            if calendar.component(.year, from: date) != calendar.component(.year, from: now) {
                return year.string(from: date)
            }
            if calendar.ordinality(of: .day, in: .year, for: date) != calendar.ordinality(of: .day, in: .year, for: now) {
                return day.string(from: date)
            }
            return time.string(from: date)
        }
    }
}
