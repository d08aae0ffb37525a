// swift-tools-version:6.0
// The libFuzzer target for DNSCore messages; built and run by run.sh (see README.md).
import Foundation
import PackageDescription

// A path dependency's identity is its directory name (`main`, a worktree name…).
let hanon = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

let package = Package(
    name: "hanon-fuzz",
    dependencies: [.package(path: "..")],
    targets: [
        .executableTarget(
            name: "MessageFuzz",
            dependencies: [.product(name: "DNSCore", package: hanon)],
            path: ".",
            sources: ["MessageFuzz.swift", "Seeds.swift"]
        )
    ]
)
