// swift-tools-version: 6.1
// SpeechPrep: turn raw audio collections into clean, scored speech datasets.
// The architecture is described in Docs/ARCHITECTURE.md.

import PackageDescription

/// One settings array for every Swift target, so the whole package is held to the same rules.
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "SpeechPrep",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "SystemSupport", targets: ["SystemSupport"]),
        .library(name: "PCM", targets: ["PCM"]),
        .library(name: "AudioCodec", targets: ["AudioCodec"]),
        .library(name: "Archive", targets: ["Archive"]),
        .library(name: "Segmentation", targets: ["Segmentation"]),
        .library(name: "SpeechDataset", targets: ["SpeechDataset"]),
        .library(name: "Scoring", targets: ["Scoring"]),
        .library(name: "ProcessProbe", targets: ["ProcessProbe"]),
        .library(name: "Transcription", targets: ["Transcription"]),
        .library(name: "Reporting", targets: ["Reporting"]),
        .library(name: "SpeechPrep", targets: ["SpeechPrep"]),
        .library(name: "SpeechPrepTesting", targets: ["SpeechPrepTesting"]),
        .executable(name: "speechprep", targets: ["speechprep"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
        // `Errno`, the typed errno that SystemSupport's errors carry as their cause.
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        // `swift package generate-documentation` renders every target's DocC catalog.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // MARK: - C libraries from Debian packages
        .systemLibrary(
            name: "CSndFile", path: "Sources/CSndFile", pkgConfig: "sndfile",
            providers: [.apt(["libsndfile1-dev"])]),
        .systemLibrary(
            name: "CMPG123", path: "Sources/CMPG123", pkgConfig: "libmpg123",
            providers: [.apt(["libmpg123-dev"])]),
        .systemLibrary(
            name: "CPocketSphinx", path: "Sources/CPocketSphinx", pkgConfig: "pocketsphinx",
            providers: [.apt(["libpocketsphinx-dev", "pocketsphinx-en-us"])]),
        .systemLibrary(
            name: "CArchive", path: "Sources/CArchive", pkgConfig: "libarchive",
            providers: [.apt(["libarchive-dev"])]),

        // MARK: - Library targets
        // The bottom layer: child processes (and the few glibc calls Swift cannot see).
        .target(name: "CSystemSupport"),
        .target(
            name: "SystemSupport",
            dependencies: ["CSystemSupport", .product(name: "SystemPackage", package: "swift-system")],
            swiftSettings: swiftSettings),
        .target(
            name: "PCM", dependencies: ["SystemSupport", .product(name: "RealModule", package: "swift-numerics")],
            swiftSettings: swiftSettings),
        .target(
            name: "AudioCodec", dependencies: ["PCM", "SystemSupport", "CSndFile", "CMPG123"],
            swiftSettings: swiftSettings),
        .target(name: "Segmentation", dependencies: ["PCM", "SystemSupport"], swiftSettings: swiftSettings),
        .target(name: "Archive", dependencies: ["CArchive", "SystemSupport"], swiftSettings: swiftSettings),
        .target(name: "SpeechDataset", dependencies: ["Archive", "SystemSupport"], swiftSettings: swiftSettings),
        .target(name: "Scoring", dependencies: ["SystemSupport"], swiftSettings: swiftSettings),
        .target(name: "ProcessProbe", dependencies: ["SystemSupport"], swiftSettings: swiftSettings),
        .target(
            name: "Reporting", dependencies: ["Scoring", "SpeechDataset", "SystemSupport"], swiftSettings: swiftSettings),
        .target(
            name: "Transcription", dependencies: ["PCM", "AudioCodec", "SystemSupport", "CPocketSphinx"],
            resources: [.embedInCode("Resources/speechprep_engine.py"), .embedInCode("Resources/whisper_engine.py")],
            swiftSettings: swiftSettings),
        .target(
            name: "SpeechPrep",
            dependencies: [
                "PCM", "AudioCodec", "Archive", "Segmentation", "SpeechDataset", "Scoring", "ProcessProbe",
                "Transcription", "SystemSupport", "Reporting",
            ],
            swiftSettings: swiftSettings),
        .target(
            name: "SpeechPrepTesting", dependencies: ["PCM", "AudioCodec", "SystemSupport", "Transcription"],
            resources: [.copy("Resources/commonvoice-sample")], swiftSettings: swiftSettings),
        .executableTarget(
            name: "speechprep",
            dependencies: [
                "SpeechPrep",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings),

        // MARK: - Tests
        .target(
            name: "TestSupport", dependencies: ["PCM", "AudioCodec", "SpeechPrepTesting"], path: "Tests/TestSupport",
            swiftSettings: swiftSettings),
        .testTarget(
            name: "SystemSupportTests", dependencies: ["SystemSupport", "ProcessProbe", "TestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "PCMTests", dependencies: ["PCM", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "AudioCodecTests", dependencies: ["AudioCodec", "PCM", "TestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "ArchiveTests", dependencies: ["Archive", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "SegmentationTests", dependencies: ["Segmentation", "AudioCodec", "PCM", "TestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "SpeechDatasetTests", dependencies: ["SpeechDataset", "Archive", "TestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "ScoringTests", dependencies: ["Scoring", "TestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "ProcessProbeTests", dependencies: ["ProcessProbe", "TestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "TranscriptionTests",
            dependencies: ["Transcription", "AudioCodec", "PCM", "Scoring", "ProcessProbe", "TestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "ReportingTests", dependencies: ["Reporting", "Scoring", "TestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "SpeechPrepTests", dependencies: ["SpeechPrep", "speechprep", "TestSupport"],
            swiftSettings: swiftSettings),
    ]
)
