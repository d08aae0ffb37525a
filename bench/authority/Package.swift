// swift-tools-version:6.0
// Release-build measurements of the authoritative answer path, outside the main package
// (DNSAuthority is not a product, so its sources are linked in as AuthorityCopy).
//   zone-bench ZONEFILE [QUERIES]: parse, build, memory, lookups/s, responses/s (in process)
//   query-bench ZONEFILE QUERIES [ROUNDS] [COUNT]: per-query time, allocations (wire path)
//   nsd-diff ZONEFILE QUERIES PORT COUNT: compare hanon's answers with a server on 127.0.0.1:PORT
import Foundation
import PackageDescription

// A path dependency's identity is its directory name (the checkout may be called anything).
let hanon = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().lastPathComponent.lowercased()

let package = Package(
    name: "authority-bench",
    dependencies: [
        .package(path: "../.."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
    ],
    targets: [
        // DNSSEC is not a product of hanon either: its sources are linked in too
        // (DNSAuthority's TSIG and NSEC/NSEC3 proofs use it), imported by AuthorityCopy
        // under its own name through a module alias.
        .target(
            name: "DNSSECCopy",
            dependencies: [
                .product(name: "DNSZone", package: hanon), .product(name: "DNSCore", package: hanon),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]),
        .target(
            name: "AuthorityCopy",
            dependencies: [
                "DNSSECCopy", .product(name: "DNSZone", package: hanon), .product(name: "DNSCore", package: hanon),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: [.unsafeFlags(["-module-alias", "DNSSEC=DNSSECCopy"])]),
        .executableTarget(
            name: "zone-bench",
            dependencies: [
                "AuthorityCopy", .product(name: "DNSZone", package: hanon), .product(name: "DNSCore", package: hanon),
                .product(name: "NIOCore", package: "swift-nio"),
            ]),
        .executableTarget(
            name: "query-bench",
            dependencies: [
                "AuthorityCopy", .product(name: "DNSZone", package: hanon), .product(name: "DNSCore", package: hanon),
                .product(name: "NIOCore", package: "swift-nio"),
            ]),
        .executableTarget(
            name: "nsd-diff",
            dependencies: [
                "AuthorityCopy", .product(name: "DNSZone", package: hanon), .product(name: "DNSCore", package: hanon),
                .product(name: "NIOCore", package: "swift-nio"),
            ]),
    ]
)
