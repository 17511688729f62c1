public import Foundation

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
    public static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs a tool from an argv array (no shell) and waits for it.
    /// - Parameters:
    ///   - arguments: The tool's name (looked up on `PATH`) followed by its arguments.
    ///   - input: Bytes to write to its standard input.
    /// - Returns: Its exit status and output.
    /// - Throws: When the tool is not installed or cannot be started.
    @discardableResult
    public static func run(_ arguments: [String], input: Data? = nil) throws -> Output {
        guard let executable = find(arguments[0]) ?? (arguments[0].hasPrefix("/") ? arguments[0] : nil) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "\(arguments[0]) is not installed; run Scripts/bootstrap.sh"])
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = Array(arguments.dropFirst())
        let out = Pipe(), err = Pipe(), inp = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input == nil ? FileHandle.nullDevice : inp
        try process.run()
        if let input {
            inp.fileHandleForWriting.write(input)
            try? inp.fileHandleForWriting.close()
        }
        // Read both pipes concurrently so a chatty tool cannot fill one and block.
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { errData = err.fileHandleForReading.readDataToEndOfFile() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: outData, stderr: errData)
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
