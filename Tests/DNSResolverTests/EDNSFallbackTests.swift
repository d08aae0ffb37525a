// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSTransport
import Logging
import NIOCore
import Synchronization
import Testing

@testable import DNSResolver

/// A server that does not know EDNS: FORMERR (or NOTIMP, or BADVERS) to a
/// query with OPT, the answer to one without.
final class EDNSLessHandler: DNSRequestHandler {
    let rejection: RCode
    /// (had OPT) per query received.
    let seen = Mutex<[Bool]>([])

    init(rejection: RCode) { self.rejection = rejection }

    var queries: [Bool] { self.seen.withLock { $0 } }

    func handle(_ request: ByteBuffer, context: DNSRequestContext) -> ByteBuffer? {
        guard let query = try? DNSMessage(wire: request), let question = query.questions.first else { return nil }
        self.seen.withLock { $0.append(query.edns != nil) }
        var header = Header(id: query.header.id)
        header.isResponse = true
        header.authoritative = true
        header.recursionDesired = query.header.recursionDesired
        var reply = DNSMessage(header: header, questions: query.questions)
        if query.edns != nil {
            if self.rejection == .badVers {
                reply.edns = EDNS()
            }
            reply.rcode = self.rejection
            return reply.serialize()
        }
        reply.answers = [ResourceRecord(name: question.name, ttl: 300, rdata: .a(RDATA.A(IPv4Address(192, 0, 2, 7))))]
        return reply.serialize()
    }
}

/// RFC 6891 §7: an authority answering FORMERR, NOTIMP or BADVERS to a
/// query with OPT is asked again without, and remembered as EDNS-less.
@Suite(.serialized) struct EDNSFallbackTests {
    static func start(_ handler: EDNSLessHandler) async throws -> (DNSServer, SocketAddress) {
        let server = try await DNSServer.start(
            configuration: DNSServerConfiguration(
                listenAddresses: [try SocketAddress(ipAddress: "127.0.0.1", port: 0)], threads: 1),
            handler: handler)
        return (server, try #require(server.address(for: .udp)))
    }

    static func resolver(forwardingTo address: SocketAddress) -> RecursiveResolver {
        var options = ResolverOptions()
        options.forwardZones[DomainName.root] = [address]
        options.allowLoopbackUpstreams = true
        options.initialTimeout = .milliseconds(500)
        return RecursiveResolver(options: options, transport: NIOUpstreamTransport(), logger: Logger(label: "test"))
    }

    @Test(arguments: [RCode.formErr, .notImp, .badVers])
    func answeredWithoutEDNSAfterARejection(_ rejection: RCode) async throws {
        let handler = EDNSLessHandler(rejection: rejection)
        let (server, address) = try await Self.start(handler)
        defer { Task { await server.shutdown() } }
        let resolver = Self.resolver(forwardingTo: address)
        let response = await resolver.resolve(try FakeZones.query("www.example.test.", .a))
        #expect(response.rcode == .noError)
        #expect(response.answers.map(\.rdata) == [.a(RDATA.A(IPv4Address(192, 0, 2, 7)))])
        #expect(handler.queries == [true, false])
        #expect(resolver.health.counters.ednsFallbacks == 1)
        #expect(resolver.health.isEDNSLess(address))
        // Remembered: the next question goes without OPT at once.
        let next = await resolver.resolve(try FakeZones.query("mail.example.test.", .a))
        #expect(next.rcode == .noError && next.answers.count == 1)
        #expect(handler.queries == [true, false, false])
        await server.shutdown()
    }

    @Test func aServerRejectingBothIsNotMarked() async throws {
        let transport = RejectEverything()
        var options = ResolverOptions()
        let address = try SocketAddress(ipAddress: "10.9.9.9", port: 53)
        options.forwardZones[DomainName.root] = [address]
        let resolver = RecursiveResolver(options: options, transport: transport, logger: Logger(label: "test"))
        let response = await resolver.resolve(try FakeZones.query("www.example.test.", .a))
        #expect(response.rcode == .servFail)
        #expect(transport.withEDNS.withLock { $0 } == [true, false])
        #expect(!resolver.health.isEDNSLess(address))
    }

    @Test func markExpires() throws {
        let health = ServerHealth(logger: Logger(label: "test"), lameInterval: .seconds(60))
        let address = try SocketAddress(ipAddress: "192.0.2.1", port: 53)
        let now = ContinuousClock.now
        health.markEDNSLess(address, at: now)
        #expect(health.isEDNSLess(address, at: now + .seconds(59)))
        #expect(!health.isEDNSLess(address, at: now + .seconds(61)))
    }
}

/// FORMERR to everything, OPT or not.
final class RejectEverything: UpstreamTransport {
    let withEDNS = Mutex<[Bool]>([])

    func send(_ query: DNSMessage, to server: SocketAddress, overTCP: Bool, timeout: Duration) async -> UpstreamResult {
        self.withEDNS.withLock { $0.append(query.edns != nil) }
        var header = Header(id: query.header.id)
        header.isResponse = true
        var reply = DNSMessage(header: header, questions: query.questions)
        reply.rcode = .formErr
        return .reply(reply, roundTrip: .milliseconds(1))
    }
}
