import ArgumentParser
import ProcessProbe

/// `speechprep mem`: the machine's memory as `free` prints it, plus the cgroup limit.
struct MemCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mem",
        abstract: "Show memory as `free` does, with the cgroup limit that decides when a job is killed.",
        discussion: """
            Numbers follow procps-ng 4 (used = total - available). When the process runs in a \
            cgroup with a memory limit (container, Slurm job, Kubernetes pod) a Cgroup line follows.
            """,
        // -h means "human" here, as for free; help stays on --help.
        helpNames: [.long])

    /// The unit flags of `free`.
    enum Unit: String, EnumerableFlag {
        case bytes, kibi, mebi, gibi, human

        static func name(for value: Self) -> NameSpecification {
            switch value {
            case .bytes: [.short, .long]
            case .kibi: [.customShort("k"), .long]
            case .mebi: [.customShort("m"), .long]
            case .gibi: [.customShort("g"), .long]
            case .human: [.short, .long]
            }
        }

        static func help(for value: Self) -> ArgumentHelp? {
            switch value {
            case .bytes: "Show bytes."
            case .kibi: "Show KiB (the default)."
            case .mebi: "Show MiB."
            case .gibi: "Show GiB."
            case .human: "Show the shortest binary unit (B, Ki, Mi, Gi)."
            }
        }

        var tableUnit: FreeTable.Unit {
            switch self {
            case .bytes: .bytes
            case .kibi: .kibibytes
            case .mebi: .mebibytes
            case .gibi: .gibibytes
            case .human: .human
            }
        }
    }

    @Flag(exclusivity: .exclusive) var unit: Unit = .kibi

    @Option(name: .customLong("warn-below"), help: "Warn when available memory is below this percentage of the total.")
    var warnBelowPercent: Double = 10

    func run() throws {
        let probe = ProcFS()
        let memory = try probe.systemMemory()
        print(FreeTable.render(memory, unit: unit.tableUnit, cgroup: probe.cgroupMemory()), terminator: "")
        if memory.isSwapInUse {
            print("warning: \(FreeTable.format(memory.swapUsedBytes, unit: .human)) of swap in use (memory short, or a leak?)")
        }
        if memory.isAvailable(below: warnBelowPercent) {
            let percent = (memory.availablePercent * 10).rounded() / 10
            print("warning: only \(percent)% of memory available (below \(warnBelowPercent)%)")
        }
    }
}
