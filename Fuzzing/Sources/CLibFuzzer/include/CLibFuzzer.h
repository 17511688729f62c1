// libFuzzer's driver, exported by the libclang_rt.fuzzer runtime that `-sanitize=fuzzer` links.
// Calling it from our own `main` (SwiftPM renames an executable's `main`, so libFuzzer's own
// `main` cannot be the entry point) runs the usual libFuzzer command line.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
