// swift-tools-version:6.0
// A throughput check for DNSTransport's server listeners (not a test): a UDP/TCP
// server with a trivial handler, to run dnsperf against. See ../udp-echo.sh.
// Its Sources/DNSCore and Sources/DNSTransport are symlinks into the main package,
// so this builds the very same code in release mode without a library product.
import PackageDescription

let package = Package(
    name: "listener-udp-bench",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2")
    ],
    targets: [
        .target(name: "DNSCore", dependencies: [.product(name: "NIOCore", package: "swift-nio")]),
        .target(
            name: "DNSTransport",
            dependencies: [
                "DNSCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "udp-echo",
            dependencies: [
                "DNSTransport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
    ]
)
