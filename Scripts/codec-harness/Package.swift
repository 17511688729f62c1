// swift-tools-version: 6.1
// A tiny release-mode command used by Scripts/compare-codecs.sh to time SpeechPrep's decoder
// and converter as one process per job, like the peer tools it is compared with. It lives
// outside the root package so the library's graph gains no target.
import PackageDescription

let package = Package(
    name: "codec-harness",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "SpeechPrep", path: "../..")],
    targets: [
        .executableTarget(
            name: "codec-harness",
            dependencies: [.product(name: "AudioCodec", package: "SpeechPrep"), .product(name: "PCM", package: "SpeechPrep")],
            swiftSettings: [.swiftLanguageMode(.v6)])
    ]
)
