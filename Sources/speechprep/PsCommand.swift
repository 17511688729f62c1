import ArgumentParser
import ProcessProbe

/// `speechprep ps`: the process table as `ps aux` prints it, optionally filtered like `pgrep`.
struct PsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ps",
        abstract: "List processes as `ps aux` does; a pattern filters them as `pgrep` does.")

    @Option(
        name: .long, parsing: .unconditional,
        help: "Sort by a column: pid, ppid, user, pcpu, pmem, vsz, rss, start, time, comm; prefix - for largest first (-rss).")
    var sort: String = "pid"

    @Flag(name: [.customShort("f"), .long], help: "Match the pattern against the full command line, as pgrep -f.")
    var full = false

    @Argument(help: "An extended regular expression matched against the process name (or, with -f, the command line).")
    var pattern: String?

    func validate() throws {
        guard PsTable.SortKey.parse(sort) != nil else {
            throw ValidationError("unknown sort key '\(sort)'; use one of \(PsTable.SortKey.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() throws {
        let probe = ProcFS()
        let records = try pattern.map { try probe.find(named: $0, fullCommandLine: full) } ?? probe.snapshot()
        let order = PsTable.SortKey.parse(sort)!
        print(PsTable.render(PsTable.sorted(records, by: order.key, descending: order.descending)), terminator: "")
        if pattern != nil, records.isEmpty { throw ExitCode(1) }
    }
}
