import Foundation
import SpeechPrep

/// Shows pipeline progress: a live bar with rate and ETA on a terminal, one plain line every
/// `interval` items otherwise (logs, pipes, detached jobs). (What a job records for
/// `speechprep jobs` is the library's: `Job.run`.)
final class ProgressReporter: @unchecked Sendable {
    // @unchecked: `report` is only called from the pipeline's collecting thread.
    private let output = FileHandleOutput.standardError
    private let interval: Int
    private let live: Bool
    private let quiet: Bool
    private var lastDraw = Date.distantPast
    private var drewBar = false

    init(interval: Int, quiet: Bool) {
        self.interval = max(1, interval)
        live = !quiet && output.isTerminal
        self.quiet = quiet
    }

    func report(_ event: ProgressEvent) {
        if quiet { return }
        let now = Date()
        if live {
            guard now.timeIntervalSince(lastDraw) >= 0.1 || event.done == event.total else { return }
            lastDraw = now
            output.write("\r" + bar(event) + "\u{1B}[K")
            drewBar = true
        } else if event.done % interval == 0 || event.done == event.total {
            output.write(line(event) + "\n")
        }
    }

    /// Ends the bar's line so later output starts on a fresh one.
    func finish() {
        if drewBar { output.write("\n") }
    }

    private func bar(_ event: ProgressEvent) -> String {
        let width = 30
        let filled = Int((event.fraction * Double(width)).rounded(.down))
        let cells = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        return "\(cells) \(event.done)/\(event.total) \(String(format: "%3.0f%%", event.fraction * 100)) "
            + stats(event)
    }

    private func line(_ event: ProgressEvent) -> String {
        "progress \(event.done)/\(event.total) (\(String(format: "%.1f%%", event.fraction * 100))) " + stats(event)
    }

    private func stats(_ event: ProgressEvent) -> String {
        String(format: "%.1f clips/s %.1fx realtime", event.itemsPerSecond, event.audioSecondsPerSecond)
            + " ETA \(event.etaSeconds.map(formatDuration) ?? "--:--")"
            + (event.failed > 0 ? " failed \(event.failed)" : "")
    }
}
