// SPDX-License-Identifier: Apache-2.0

import DNSAuthority
import DNSCore
import DNSResolver
import DNSTransport
import Foundation
import HanonServer
import Logging
import NIOCore
import Testing

/// The resolver inside `hanon serve`: who is served, RD, the zones hanon
/// serves itself, and misses answered later over UDP and TCP.
@Suite("Resolver in hanon serve")
struct ResolverServeTests {
    static let zoneText = """
        $ORIGIN own.test.
        $TTL 300
        @    SOA ns hostmaster 1 3600 600 86400 60
             NS  ns
        ns   A   192.0.2.53
        www  A   192.0.2.1

        """

    static func server(allow: [String]) async throws -> (HanonServer, SocketAddress, URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hanon-rs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let zone = dir.appendingPathComponent("own.test.zone").path
        try Self.zoneText.write(toFile: zone, atomically: true, encoding: .utf8)
        var settings = ServerSettings(
            listen: ["127.0.0.1:0"], threads: 1, zones: [ZoneSource(name: try DomainName("own.test."), file: zone)])
        var options = ResolverOptions()
        // Nothing listens on 127.0.0.2:53: every iteration fails at once (port unreachable).
        options.rootHints = try RootHints(parsing: ". NS a.root.\na.root. A 127.0.0.2\n")
        options.allowLoopbackUpstreams = true
        settings.resolver = ResolverSettings(
            listen: [try SocketAddress(ipAddress: "127.0.0.1", port: 0)], allow: allow.compactMap { AddressPrefix($0) },
            options: options, dnssec: false)
        let server = HanonServer(settings: settings, logger: Logger(label: "test"))
        try await server.start()
        let address = try #require(server.resolverListeners.first { $0.transport == .udp }?.address)
        return (server, address, dir)
    }

    static func ask(
        _ address: SocketAddress, _ name: String, _ type: RecordType = .a, rd: Bool = true, tcp: Bool = false
    ) async throws -> DNSMessage {
        let query = DNSMessage.query(id: 0, name: try DomainName(name), type: type, recursionDesired: rd)
        return try await DNSClient().query(
            query, server: address, options: DNSQueryOptions(timeout: .seconds(3), tries: 1, tcpOnly: tcp)
        ).message
    }

    @Test func clientsOutsideAllowAreRefused() async throws {
        let (server, address, dir) = try await Self.server(allow: ["192.0.2.0/24"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let response = try await Self.ask(address, "www.own.test.")
        #expect(response.rcode == .refused && response.answers.isEmpty)
        await server.shutdown()
    }

    @Test func ownZonesAreAnsweredFromTheirData() async throws {
        let (server, address, dir) = try await Self.server(allow: ["127.0.0.0/8"])
        defer { try? FileManager.default.removeItem(at: dir) }
        for tcp in [false, true] {
            let response = try await Self.ask(address, "www.own.test.", tcp: tcp)
            #expect(response.rcode == .noError && response.header.recursionAvailable)
            #expect(response.answers.map { $0.rdata.description } == ["192.0.2.1"])
        }
        await server.shutdown()
    }

    @Test func withoutRDOnlyTheCacheAnswers() async throws {
        let (server, address, dir) = try await Self.server(allow: ["127.0.0.0/8"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let response = try await Self.ask(address, "www.example.", rd: false)
        #expect(response.rcode == .refused)
        await server.shutdown()
    }

    @Test func missesAreAnsweredLaterOverUDPAndTCP() async throws {
        let (server, address, dir) = try await Self.server(allow: ["127.0.0.0/8"])
        defer { try? FileManager.default.removeItem(at: dir) }
        for (tcp, name) in [(false, "www.example."), (true, "www.example.org.")] {
            let clock = ContinuousClock()
            let started = clock.now
            let response = try await Self.ask(address, name, tcp: tcp)
            #expect(response.rcode == .servFail && response.header.recursionAvailable)
            #expect(clock.now - started < .seconds(2))
        }
        await server.shutdown()
    }
}
