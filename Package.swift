// swift-tools-version:6.0
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

/// The query path's targets: in release builds their functions may be
/// inlined and specialised into the modules that call them (full
/// cross-module optimisation), so a lookup's RRsets are used in place
/// instead of being copied (retained and released) across module calls.
/// Release builds also leave out the run-time exclusivity checks (about
/// 75 instructions each, six a query: `bench/query-callgrind.sh`); the
/// compile-time checks stay, and debug builds, which the tests run, keep
/// the run-time ones.
let hot: [SwiftSetting] =
    strict + [
        .unsafeFlags(
            ["-cross-module-optimization", "-enforce-exclusivity=unchecked"], .when(configuration: .release))
    ]

let package = Package(
    name: "hanon",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "hanon", targets: ["hanon"]),
        .library(name: "DNSCore", targets: ["DNSCore"]),
        .library(name: "DNSZone", targets: ["DNSZone"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-atomics.git", from: "1.3.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
    ],
    targets: [
        .target(
            name: "DNSCore",
            dependencies: [.product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: hot
        ),
        /// `__builtin_prefetch` for the query path (see `Zone+Prefetch.swift`).
        .target(name: "CPrefetch"),
        .target(name: "DNSZone", dependencies: ["DNSCore", "CPrefetch"], swiftSettings: hot),
        .target(
            name: "DNSSEC",
            dependencies: [
                "DNSCore", "DNSZone",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: hot
        ),
        .target(
            name: "DNSTransport",
            dependencies: [
                "DNSCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: hot
        ),
        .target(
            name: "DNSResolver",
            dependencies: [
                "DNSCore", "DNSZone", "DNSSEC", "DNSTransport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Atomics", package: "swift-atomics"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "HanonDDNS",
            dependencies: [
                "DNSCore", "DNSZone", "DNSTransport", "DNSAuthority",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "DNSAuthority",
            dependencies: ["DNSCore", "DNSZone", "DNSSEC", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: hot
        ),
        .target(name: "HanonConfig", swiftSettings: strict),
        .target(
            name: "HanonServer",
            dependencies: [
                "DNSCore", "DNSZone", "DNSSEC", "DNSTransport", "DNSAuthority", "DNSResolver", "HanonConfig",
                "HanonDDNS",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Atomics", package: "swift-atomics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "hanon",
            dependencies: [
                "DNSCore", "DNSZone", "DNSSEC", "DNSTransport", "DNSResolver", "DNSAuthority", "HanonConfig",
                "HanonServer", "HanonDDNS",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "DNSCoreTests", dependencies: ["DNSCore"], swiftSettings: strict),
        .testTarget(name: "DNSZoneTests", dependencies: ["DNSZone", "DNSCore"], swiftSettings: strict),
        .testTarget(name: "DNSSECTests", dependencies: ["DNSSEC", "DNSZone", "DNSCore"], swiftSettings: strict),
        .testTarget(
            name: "DNSTransportTests",
            dependencies: ["DNSTransport", "DNSResolver", "DNSCore"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "DNSAuthorityTests", dependencies: ["DNSAuthority", "DNSZone", "DNSCore", "DNSTransport"],
            swiftSettings: strict),
        .testTarget(
            name: "DNSResolverTests", dependencies: ["DNSResolver", "DNSSEC", "DNSZone", "DNSCore", "DNSTransport"],
            swiftSettings: strict),
        .testTarget(
            name: "HanonDDNSTests",
            dependencies: [
                "HanonDDNS", "DNSCore", "DNSTransport", "DNSAuthority",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strict),
        .testTarget(name: "HanonConfigTests", dependencies: ["HanonConfig"], swiftSettings: strict),
        .testTarget(
            name: "HanonServerTests",
            dependencies: ["HanonServer", "HanonConfig", "DNSAuthority", "DNSTransport", "DNSZone", "DNSCore"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "InteropTests",
            dependencies: [
                "DNSCore", "DNSZone", "DNSSEC", "DNSTransport", "DNSResolver", "DNSAuthority", "HanonServer",
                "HanonDDNS",
            ],
            swiftSettings: strict
        ),
    ]
)
