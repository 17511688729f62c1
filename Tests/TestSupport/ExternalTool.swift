public import Foundation
import SystemSupport

/// Runs real command-line tools (sox, soxi, mpg123, espeak-ng, free, ps, …) from tests, so
/// results can be compared against them.
public enum ExternalTool {
    /// The result of running a tool.
    public struct Output: Sendable {
        /// The exit status.
        public var status: Int32
        /// Everything the tool wrote to standard output.
        public var stdout: Data
        /// Everything the tool wrote to standard error.
        public var stderr: Data
        /// Standard output as UTF-8 text.
        public var text: String { String(decoding: stdout, as: UTF8.self) }
    }

    /// Whether an executable of that name is on `PATH`.
    /// - Parameter name: The executable's name.
    /// - Returns: The absolute path, or `nil` when it is not installed.
    public static func find(_ name: String) -> String? { ChildProcess.find(name) }

    /// Runs a tool from an argv array (no shell) and waits for it.
    ///
    /// It runs as a `SystemSupport.ChildProcess` (Foundation's `Process` leaves a weak-reference
    /// side table behind per run, which LeakSanitizer reports; Docs/notes/sanitizers.md). Its
    /// standard input and standard error are files in a scratch folder, so the output pipe is
    /// the only one read (nothing can fill up and block) and standard error comes back whole.
    /// - Parameters:
    ///   - arguments: The tool's name (looked up on `PATH`) followed by its arguments.
    ///   - input: Bytes to write to its standard input.
    /// - Returns: Its exit status (128 + the signal when a signal killed it) and output.
    /// - Throws: When the tool is not installed or cannot be started.
    @discardableResult
    public static func run(_ arguments: [String], input: Data? = nil) throws -> Output {
        guard ChildProcess.find(arguments[0]) != nil else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "\(arguments[0]) is not installed; run Scripts/bootstrap.sh"])
        }
        let scratch = try TemporaryDirectory(prefix: "external-tool")
        let inputPath = scratch.file("stdin"), errorPath = scratch.file("stderr")
        if let input { try input.write(to: URL(fileURLWithPath: inputPath)) }
        let child = try ChildProcess(
            arguments: arguments, standardInput: input == nil ? .null : .appendToFile(inputPath),
            standardError: .appendToFile(errorPath))
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = try chunk.withUnsafeMutableBytes { buffer throws(ChildProcessError) in
                try child.read(into: buffer.baseAddress!, count: buffer.count)
            }
            output += chunk[..<count]
            if count < chunk.count { break }
        }
        let status: Int32 =
            switch child.wait() {
            case .exited(let status): status
            case .signalled(let signal): 128 + signal
            case nil: -1  // not reached: an unbounded wait returns how it ended
            }
        return Output(status: status, stdout: Data(output), stderr: Data(SystemCall.contents(of: errorPath, limit: .max) ?? []))
    }
}

/// Where the committed test fixtures live.
public enum Fixtures {
    /// The absolute path of `Tests/Fixtures`.
    public static let directory: String = {
        var url = URL(fileURLWithPath: #filePath)
        url.deleteLastPathComponent()  // TestSupport
        url.deleteLastPathComponent()  // Tests
        return url.appendingPathComponent("Fixtures").path
    }()

    /// The absolute path of a fixture file.
    /// - Parameter name: A path relative to `Tests/Fixtures`.
    /// - Returns: The absolute path.
    public static func path(_ name: String) -> String { "\(directory)/\(name)" }
}
