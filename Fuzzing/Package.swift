// swift-tools-version: 6.1
// libFuzzer harnesses for every parser of untrusted bytes, in their own package so the
// sanitizer build (`-sanitize=fuzzer,address`) never touches the root package's build folder.
// Build and run with `Scripts/fuzz.sh [target] [seconds]`; see Docs/notes/fuzzing.md.

import PackageDescription

let package = Package(
    name: "SpeechPrepFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "SpeechPrep", path: "../"),
    ],
    targets: [
        .target(name: "CLibFuzzer"),
        // One executable holding every harness; `SPEECHPREP_FUZZ_TARGET` picks one at start-up.
        // One link instead of twelve keeps the instrumented build short (it runs in CI).
        .executableTarget(
            name: "speechprep-fuzz",
            dependencies: [
                "CLibFuzzer",
                .product(name: "SpeechDataset", package: "SpeechPrep"),
                .product(name: "AudioCodec", package: "SpeechPrep"),
                .product(name: "PCM", package: "SpeechPrep"),
                .product(name: "Scoring", package: "SpeechPrep"),
            ],
            path: "Sources/SpeechPrepFuzz",
            swiftSettings: [
                .swiftLanguageMode(.v6),
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("MemberImportVisibility"),
                .enableUpcomingFeature("InternalImportsByDefault"),
            ]),
    ]
)
