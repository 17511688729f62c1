// swift-tools-version: 6.1
// A package that uses SpeechPrep the way a downstream project does: as a path dependency,
// with SpeechPrepTesting in its own test target, and a small benchmark of the public API.
// It is NOT part of the SpeechPrep package graph; CI builds and tests it on its own.
import PackageDescription

let package = Package(
    name: "SpeechPrepConsumer",
    platforms: [.macOS(.v15)],
    dependencies: [
        // A path dependency's package name is its folder's name; `name:` pins it to
        // "SpeechPrep" whatever the checkout folder is called.
        .package(name: "SpeechPrep", path: "../.."),
    ],
    targets: [
        .target(
            name: "ConsumerKit",
            dependencies: [.product(name: "SpeechPrep", package: "SpeechPrep")],
            swiftSettings: [.swiftLanguageMode(.v6)]),
        .executableTarget(
            name: "consumer-bench",
            dependencies: ["ConsumerKit", .product(name: "SpeechPrep", package: "SpeechPrep")],
            swiftSettings: [.swiftLanguageMode(.v6)]),
        .testTarget(
            name: "ConsumerKitTests",
            dependencies: [
                "ConsumerKit",
                .product(name: "SpeechPrep", package: "SpeechPrep"),
                .product(name: "SpeechPrepTesting", package: "SpeechPrep"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]),
    ]
)
