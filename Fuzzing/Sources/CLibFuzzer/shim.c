// Only the header matters: LLVMFuzzerRunDriver lives in the toolchain runtime.
