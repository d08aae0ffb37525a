// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSResolver
import DNSTransport
import Foundation
import Logging
import Synchronization
import Testing

/// The stub resolver for hanon's own lookups and `hanon query` without a
/// server (issue 6 item 6): with a dead first nameserver and a live NSD
/// second, the second answers and is named once.
@Suite(.serialized) struct StubResolverInteropTests {
    static let zone = """
        $ORIGIN example.
        $TTL 3600
        @ IN SOA ns1.example. hostmaster.example. 1 7200 3600 1209600 300
        @ IN NS ns1.example.
        ns1 IN A 192.0.2.53
        www IN A 192.0.2.1
        """

    /// 127.0.0.2 has nothing listening on NSD's port (ICMP port unreachable); 127.0.0.1 is NSD.
    static let resolvConf = """
        # a dead server first
        nameserver 127.0.0.2
        nameserver 127.0.0.1
        options timeout:1 attempts:2
        """

    static func withNSD(_ body: (NSDZoneServer) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hanon-stub-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("example.zone").path
        try Self.zone.write(toFile: file, atomically: true, encoding: .utf8)
        let nsd = try await NSDZoneServer.start(zones: [("example.", file)])
        defer { nsd.stop() }
        try await body(nsd)
    }

    @Test func stubResolverNamesTheServerItChoseOnce() async throws {
        guard Peer.available("nsd") || Peer.isCI else { return }
        try await Self.withNSD { nsd in
            let log = LineLog()
            let stub = StubResolver(
                configuration: ResolvConf(parsing: Self.resolvConf), path: "test/resolv.conf", port: nsd.port,
                logger: log.logger)
            for _ in 0..<3 {
                let response = try await stub.lookup(try DomainName("www.example.", origin: .root), .a)
                #expect(response.message.rcode == .noError)
                #expect(response.message.answers.count == 1)
            }
            #expect(stub.chosenServer?.host == "127.0.0.1")
            #expect(
                log.lines == ["notice stub resolver: using 127.0.0.1 (from nameserver 127.0.0.1 in test/resolv.conf)"])
        }
    }

    @Test func queryWithoutServerSaysOnceWhichAnswered() async throws {
        guard Peer.available("nsd") || Peer.isCI else { return }
        try await Self.withNSD { nsd in
            let words = ["-p", "\(nsd.port)", "www.example.", "A", "+tries=1", "+timeout=1"]
            let session = DigSession(words: words, arguments: try DigArguments(words))
            let targets = ResolvConf(parsing: Self.resolvConf).digTargets(path: "test/resolv.conf")
            var errors: [String] = []
            var output = ""
            let status = await session.run(targets: targets) { stream, text in
                if stream == .standardError { errors.append(text) } else { output += text }
            }
            #expect(status == 0)
            #expect(errors == ["using 127.0.0.1 (from nameserver 127.0.0.1 in test/resolv.conf)\n"])
            #expect(output.contains("192.0.2.1"))
        }
    }
}

/// Log lines as "level message".
final class LineLog: Sendable {
    private let store = Mutex<[String]>([])
    var lines: [String] { self.store.withLock { $0 } }

    var logger: Logger { Logger(label: "test") { _ in Handler(sink: self) } }

    struct Handler: LogHandler {
        let sink: LineLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { self.metadata[key] }
            set { self.metadata[key] = newValue }
        }
        func log(event: LogEvent) { self.sink.store.withLock { $0.append("\(event.level) \(event.message)") } }
    }
}
