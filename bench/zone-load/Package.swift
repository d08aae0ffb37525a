// swift-tools-version:6.0
// Zone load measurement (what `hanon serve` does per zone: parse, check, build the Zone),
// outside the main package so it builds only DNSCore and DNSZone.
//   zone-load ZONEFILE [ORIGIN]: CPU and wall seconds per phase, RSS after each, peak RSS
import Foundation
import PackageDescription

// A path dependency's identity is its directory name (the checkout may be called anything).
let hanon = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().lastPathComponent.lowercased()

let package = Package(
    name: "zone-load-bench",
    dependencies: [.package(path: "../..")],
    targets: [
        .executableTarget(
            name: "zone-load",
            dependencies: [.product(name: "DNSZone", package: hanon), .product(name: "DNSCore", package: hanon)]
        )
    ]
)
