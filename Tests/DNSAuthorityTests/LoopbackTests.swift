// SPDX-License-Identifier: Apache-2.0

import DNSAuthority
import DNSCore
import DNSTransport
import DNSZone
import NIOCore
import Testing

/// The answer tables again, through real sockets: a `DNSServer` on
/// 127.0.0.1 (port 0) answering with the same `QueryProcessor`, asked with
/// `DNSClient` over UDP (no TCP retry, so TC is seen as sent) and over TCP.
@Suite(.serialized) struct LoopbackTests {
    struct ProcessorHandler: DNSRequestHandler {
        let processor: QueryProcessor
        func handle(_ request: ByteBuffer, context: DNSRequestContext) -> ByteBuffer? {
            self.processor.respond(to: request, transport: context.transport == .tcp ? .tcp : .udp)
        }
    }

    static func run(_ cases: [Case], _ processor: QueryProcessor) async throws {
        let server = try await DNSServer.start(
            configuration: DNSServerConfiguration(
                listenAddresses: [try SocketAddress(ipAddress: "127.0.0.1", port: 0)], threads: 1),
            handler: ProcessorHandler(processor: processor))
        defer { Task { await server.shutdown() } }
        let address = try #require(server.address(for: .udp))
        for c in cases where c.transport == .udp {
            let query = try c.query()
            let udp = try await DNSClient().query(
                query, server: address,
                options: DNSQueryOptions(timeout: .seconds(3), tries: 2, retryTruncatedOverTCP: false))
            #expect(udp.transport == .udp)
            try verify(c, query: query, response: udp.message)
            // Over TCP nothing is truncated: the same answer where UDP had it whole
            // (zone transfers aside: NOTIMP over UDP, REFUSED over TCP for now).
            guard !c.tc, !c.q.hasSuffix(" AXFR"), !c.q.hasSuffix(" IXFR") else { continue }
            let tcp = try await DNSClient().query(
                query, server: address, options: DNSQueryOptions(timeout: .seconds(3), tries: 1, tcpOnly: true))
            #expect(tcp.transport == .tcp)
            try verify(c, query: query, response: tcp.message)
        }
        await server.shutdown()
    }

    @Test func answerTable() async throws {
        try await Self.run(answerCases, try exampleProcessor())
    }

    @Test func wildcardTableOfRFC4592() async throws {
        try await Self.run(
            rfc4592Cases, QueryProcessor(zones: ZoneTable([try makeZone(rfc4592Zone, origin: "example.")])))
    }

    @Test func multiZoneTable() async throws {
        try await Self.run(multiZoneCases, try MultiZoneTests.processor())
    }

    @Test func chaosAndNSID() async throws {
        let processor = try exampleProcessor(
            AuthorityOptions(nsid: Array("ns1.test".utf8), identity: "ns1.test", version: nil))
        try await Self.run(
            [
                Case(q: "id.server. CH TXT", aa: false, answer: ["id.server. 0 CH TXT \"ns1.test\""]),
                Case(q: "version.bind. CH TXT", rcode: .refused, aa: false),
            ], processor)
    }
}
