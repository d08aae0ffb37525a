// SPDX-License-Identifier: Apache-2.0

import DNSAuthority
import DNSCore
import HanonDDNS
import NIOCore
import NIOPosix
import Synchronization
import Testing

/// Network-facing paths given bad answers: they end in an outcome or an error, never a crash.
@Suite struct MalformedReplyTests {
    /// A TCP server answering each DNS request with what `reply` makes of the request's bytes.
    final class FakeDNSServer: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let reply: @Sendable ([UInt8]) -> [UInt8]?

        init(reply: @escaping @Sendable ([UInt8]) -> [UInt8]?) { self.reply = reply }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var buffer = unwrapInboundIn(data)
            guard let length = buffer.readInteger(as: UInt16.self),
                let request = buffer.readBytes(length: min(Int(length), buffer.readableBytes))
            else { return }
            guard let answer = reply(request) else {
                context.close(promise: nil)
                return
            }
            var out = ByteBuffer()
            out.writeInteger(UInt16(truncatingIfNeeded: answer.count))
            out.writeBytes(answer)
            context.writeAndFlush(NIOAny(out), promise: nil)
        }

        static func start(_ reply: @escaping @Sendable ([UInt8]) -> [UInt8]?) async throws -> any Channel {
            try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(FakeDNSServer(reply: reply))
                    }
                }
                .bind(host: "127.0.0.1", port: 0).get()
        }
    }

    static let addresses = RecordAddresses(v4: IPAddress("192.0.2.1"))

    @Test(arguments: ["garbage", "wrong id", "not a response", "close", "servfail", "refused", "noerror"])
    func rfc2136RepliesMapToOutcomes(kind: String) async throws {
        let server = try await FakeDNSServer.start { request in
            var reply = request
            guard reply.count >= 12 else { return nil }
            switch kind {
            case "garbage": return [0xde, 0xad]
            case "wrong id": reply[0] ^= 0xFF
            case "close": return nil
            default: break
            }
            if kind != "not a response" { reply[2] |= 0x80 }
            reply[3] = (reply[3] & 0xF0) | (kind == "servfail" ? 2 : kind == "refused" ? 5 : 0)
            return reply
        }
        defer { server.close(promise: nil) }
        let address = try #require(server.localAddress)
        let provider = RFC2136Provider(
            server: address, zone: DomainName("example."), key: nil, timeout: .seconds(3))
        let outcome = await provider.update(name: "h.example", addresses: Self.addresses)
        switch kind {
        case "noerror": #expect(outcome.isSuccess)
        case "refused":
            guard case .permanentError = outcome else {
                Issue.record("\(outcome)")
                return
            }
        default:
            guard case .temporaryError = outcome else {
                Issue.record("\(kind): \(outcome)")
                return
            }
        }
    }

    @Test func anUpdateCarriesADeleteAndAnAddPerFamily() throws {
        let message = RFC2136Provider.message(
            zone: DomainName("example."), owner: DomainName("h.example."),
            addresses: RecordAddresses(v4: IPAddress("192.0.2.1"), v6: IPAddress("2001:db8::1")), ttl: 60)
        #expect(message.header.opcode == .update)
        #expect(message.questions.first?.type == .soa)
        #expect(message.authorities.map(\.dnsClass) == [.any, .in, .any, .in])
        #expect(message.authorities.map(\.type) == [.a, .a, .aaaa, .aaaa])
        let reparsed = try DNSMessage(wire: message.serialize())
        #expect(reparsed.authorities.count == 4)
    }

    @Test func anOversizedOrNonHTTPAnswerIsAnError() async throws {
        let ca = try SharedCA.get()
        let server = try await TestHTTPSServer.start(ca.good) { _ in (200, String(repeating: "x", count: 2 << 20)) }
        defer { Task { await server.stop() } }
        let client = try ca.client()
        await #expect(throws: DDNSError.self) {
            _ = try await client.send(.GET, try #require(HTTPSURL("https://localhost:\(server.port)/")))
        }
        // A dyndns2 provider maps it to a temporary error.
        let provider = DynDNS2Provider(
            server: try #require(HTTPSURL("https://localhost:\(server.port)")), user: "u", password: "p",
            client: client)
        guard case .temporaryError = await provider.update(name: "h.example", addresses: Self.addresses) else {
            Issue.record("oversized answer accepted")
            return
        }
    }

    @Test func nothingListeningIsATemporaryError() async throws {
        let ca = try SharedCA.get()
        let provider = DynDNS2Provider(
            server: try #require(HTTPSURL("https://127.0.0.1:1")), user: "u", password: "p", client: try ca.client())
        guard case .temporaryError = await provider.update(name: "h.example", addresses: Self.addresses) else {
            Issue.record("connection refused not temporary")
            return
        }
    }
}
