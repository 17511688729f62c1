// The entry point: picks the harness named by SPEECHPREP_FUZZ_TARGET, then hands the command
// line to libFuzzer, which calls the harness for every input. A harness reports a bug by
// trapping (`precondition`); libFuzzer records that as a crash and saves the input.

import CLibFuzzer
import Glibc

/// A parser under test: takes any bytes, must never crash, hang or leak.
struct Harness: Sendable {
    var name: String
    var run: @Sendable (UnsafeBufferPointer<UInt8>) -> Void
}

/// Every harness, by the name `SPEECHPREP_FUZZ_TARGET` and `Scripts/fuzz.sh` use.
let harnesses: [Harness] = datasetHarnesses + audioHarnesses + textHarnesses

/// Prints `message` on standard error and exits with status 2 (a usage error, not a finding).
func usageExit(_ message: String) -> Never {
    var line = Array((message + "\n").utf8)
    _ = line.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
    exit(2)
}

let names = harnesses.map(\.name).joined(separator: " ")
guard let rawName = getenv("SPEECHPREP_FUZZ_TARGET") else {
    usageExit("set SPEECHPREP_FUZZ_TARGET to one of: \(names)")
}
let name = String(cString: rawName)
guard let harness = harnesses.first(where: { $0.name == name }) else {
    usageExit("unknown SPEECHPREP_FUZZ_TARGET '\(name)'; one of: \(names)")
}
/// The chosen harness, read by the C callback below (which cannot capture).
let selected = harness

/// libFuzzer's per-input callback. It has the conventional exported name because the fuzzer
/// runtime's own (unused) `main` refers to it.
@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    selected.run(UnsafeBufferPointer(start: data, count: size))
    return 0
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, testOneInput))
