// swift-tools-version: 6.1
// Benchmarks live in their own package so the benchmark runner's dependencies stay out of
// SpeechPrep's graph. Run with `cd Benchmarks && swift package benchmark`.

import PackageDescription

let areas = ["Resample", "Decode", "Segment", "Score", "Dataset", "Probe", "Transcribe", "Pipeline"]

let package = Package(
    name: "SpeechPrepBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "SpeechPrep", path: "../"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
    ],
    targets: areas.map { area in
        .executableTarget(
            name: "\(area)Benchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "SpeechPrep", package: "SpeechPrep"),
            ],
            path: "Benchmarks/\(area)",
            swiftSettings: [.swiftLanguageMode(.v6)],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")])
    }
)
