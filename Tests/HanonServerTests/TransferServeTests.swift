// SPDX-License-Identifier: Apache-2.0

import DNSAuthority
import DNSCore
import DNSTransport
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing

@testable import HanonServer

/// Transfers, IXFR history from reloads, incoming NOTIFY and the NOTIFY
/// sender, in process on loopback.
@Suite struct TransferServeTests {
    static let origin = try! DomainName("serve.test.")

    static func zone(serial: UInt32, www: String) -> String {
        """
        $ORIGIN serve.test.
        $TTL 300
        @    SOA ns hostmaster \(serial) 3600 600 86400 60
             NS  ns
        ns   A   192.0.2.53
        www  A   \(www)

        """
    }

    static func start(zoneFile: String, access: [String]) async throws -> HanonServer {
        var settings = ServerSettings(
            listen: ["127.0.0.1:0"], threads: 1, zones: [ZoneSource(name: Self.origin, file: zoneFile)])
        settings.transfer[Self.origin] = ZoneTransferSettings(
            access: TransferACL(entries: access.compactMap(TransferACL.entry(parsing:))))
        let server = HanonServer(settings: settings, logger: Logger(label: "test"))
        try await server.start()
        return server
    }

    static func ask(_ server: HanonServer, _ message: DNSMessage, tcp: Bool) async throws -> DNSMessage {
        let listener = try #require(server.listeners.first { $0.transport == .udp })
        return try await DNSClient().query(
            message, server: listener.address, options: DNSQueryOptions(timeout: .seconds(2), tries: 2, tcpOnly: tcp)
        ).message
    }

    static func ixfr(from serial: UInt32) throws -> DNSMessage {
        var query = DNSMessage.query(id: 0, name: Self.origin, type: .ixfr, recursionDesired: false, edns: nil)
        query.authorities = [try ResourceRecord(text: "serve.test. 300 IN SOA ns hostmaster \(serial) 1 1 1 1")]
        return query
    }

    @Test func transfersFollowTheACLAndReloadsFeedIXFR() async throws {
        let dir = try ServeTests.TempDir()
        let file = try dir.write("z", Self.zone(serial: 1, www: "192.0.2.1"))
        let server = try await Self.start(zoneFile: file, access: ["127.0.0.0/8"])
        let axfr = DNSMessage.query(id: 0, name: Self.origin, type: .axfr, recursionDesired: false, edns: nil)
        let full = try await Self.ask(server, axfr, tcp: true)
        #expect(full.rcode == .noError && full.header.authoritative)
        #expect(full.answers.count == 5)  // SOA, NS, ns A, www A, SOA
        #expect(full.answers.first?.type == .soa && full.answers.last?.type == .soa)
        // AXFR over UDP: NOTIMP (RFC 5936 §4.2 defines no UDP transfer).
        #expect(try await Self.ask(server, axfr, tcp: false).rcode == .notImp)

        _ = try dir.write("z", Self.zone(serial: 2, www: "192.0.2.2"))
        let report = server.reload()
        #expect(report.reloaded == [Self.origin])
        #expect(server.transferHandler.history(of: Self.origin).map(\.toSerial) == [2])
        let incremental = try await Self.ask(server, try Self.ixfr(from: 1), tcp: true)
        #expect(
            incremental.answers.map(\.description) == [
                "serve.test. 300 IN SOA ns.serve.test. hostmaster.serve.test. 2 3600 600 86400 60",
                "serve.test. 300 IN SOA ns.serve.test. hostmaster.serve.test. 1 3600 600 86400 60",
                "www.serve.test. 300 IN A 192.0.2.1",
                "serve.test. 300 IN SOA ns.serve.test. hostmaster.serve.test. 2 3600 600 86400 60",
                "www.serve.test. 300 IN A 192.0.2.2",
                "serve.test. 300 IN SOA ns.serve.test. hostmaster.serve.test. 2 3600 600 86400 60",
            ])
        // Over UDP: the SOA alone (RFC 1995 §2).
        let overUDP = try await Self.ask(server, try Self.ixfr(from: 1), tcp: false)
        #expect(overUDP.answers.count == 1 && overUDP.answers.first?.type == .soa)

        // A change without a serial increase breaks the history: AXFR-style answer.
        _ = try dir.write("z", Self.zone(serial: 2, www: "192.0.2.3"))
        server.reload()
        #expect(server.transferHandler.history(of: Self.origin).isEmpty)
        let fallback = try await Self.ask(server, try Self.ixfr(from: 1), tcp: true)
        #expect(fallback.answers.count == 5)
        await server.shutdown()
    }

    @Test func aClientOutsideAllowTransferIsRefused() async throws {
        let dir = try ServeTests.TempDir()
        let server = try await Self.start(
            zoneFile: try dir.write("z", Self.zone(serial: 1, www: "192.0.2.1")), access: ["192.0.2.0/24"])
        let axfr = DNSMessage.query(id: 0, name: Self.origin, type: .axfr, recursionDesired: false, edns: nil)
        let refused = try await Self.ask(server, axfr, tcp: true)
        #expect(refused.rcode == .refused && refused.answers.isEmpty)
        #expect(try await Self.ask(server, try Self.ixfr(from: 1), tcp: false).rcode == .refused)
        await server.shutdown()
    }

    @Test func anIncomingNotifyIsAcknowledgedForOurZonesOnly() async throws {
        let dir = try ServeTests.TempDir()
        let server = try await Self.start(
            zoneFile: try dir.write("z", Self.zone(serial: 1, www: "192.0.2.1")), access: [])
        let soa = try ResourceRecord(text: "serve.test. 300 IN SOA ns hostmaster 1 1 1 1 1")
        let ours = try await Self.ask(server, Notify.message(origin: Self.origin, soa: soa), tcp: false)
        #expect(ours.rcode == .noError && ours.header.authoritative && ours.header.opcode == .notify)
        let other = try await Self.ask(
            server, Notify.message(origin: try DomainName("other.test."), soa: soa), tcp: false)
        #expect(other.rcode == .notAuth)
        await server.shutdown()
    }

    /// A UDP secondary that ignores the first `silent` NOTIFYs, then answers NOERROR.
    final class FakeSecondary: ChannelInboundHandler, Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        typealias OutboundOut = AddressedEnvelope<ByteBuffer>
        let silent: Int
        let received = NIOLockedValueBox(0)
        init(silent: Int) { self.silent = silent }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = Self.unwrapInboundIn(data)
            let count = self.received.withLockedValue {
                $0 += 1
                return $0
            }
            guard count > self.silent, var message = try? DNSMessage(wire: envelope.data) else { return }
            message.header.isResponse = true
            message.answers = []
            context.writeAndFlush(
                Self.wrapOutboundOut(
                    AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: message.serialize())),
                promise: nil)
        }
    }

    static func fakeSecondary(silent: Int) async throws -> (any Channel, FakeSecondary) {
        let handler = FakeSecondary(silent: silent)
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(handler) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return (channel, handler)
    }

    @Test func notifyIsRetriedUntilTheSecondaryAnswers() async throws {
        let (channel, secondary) = try await Self.fakeSecondary(silent: 2)
        let target = try #require(channel.localAddress)
        let sender = NotifySender(
            logger: Logger(label: "test"), schedule: NotifySender.Schedule(tries: 5, firstWait: .milliseconds(100)))
        let soa = try ResourceRecord(text: "serve.test. 300 IN SOA ns hostmaster 7 1 1 1 1")
        let outcome = await sender.notify(origin: Self.origin, soa: soa, target: target)
        #expect(outcome == .answered(.noError, tries: 3))
        #expect(secondary.received.withLockedValue { $0 } == 3)
        try await channel.close()
    }

    @Test func notifyGivesUpAfterTheLastTry() async throws {
        let (channel, secondary) = try await Self.fakeSecondary(silent: 100)
        let target = try #require(channel.localAddress)
        let sender = NotifySender(
            logger: Logger(label: "test"), schedule: NotifySender.Schedule(tries: 3, firstWait: .milliseconds(50)))
        let soa = try ResourceRecord(text: "serve.test. 300 IN SOA ns hostmaster 7 1 1 1 1")
        let started = ContinuousClock.now
        let outcome = await sender.notify(origin: Self.origin, soa: soa, target: target)
        #expect(outcome == .noAnswer(tries: 3))
        #expect(secondary.received.withLockedValue { $0 } == 3)
        // 50 + 100 + 200 ms of waiting, doubling.
        #expect(ContinuousClock.now - started >= .milliseconds(340))
        try await channel.close()
    }

    @Test func aNewerChangeSupersedesRetriesOfAnOlderOne() async throws {
        let (channel, _) = try await Self.fakeSecondary(silent: 100)
        let target = try #require(channel.localAddress)
        let sender = NotifySender(
            logger: Logger(label: "test"), schedule: NotifySender.Schedule(tries: 4, firstWait: .milliseconds(150)))
        let old = try ResourceRecord(text: "serve.test. 300 IN SOA ns hostmaster 7 1 1 1 1")
        let new = try ResourceRecord(text: "serve.test. 300 IN SOA ns hostmaster 8 1 1 1 1")
        async let first = sender.notify(origin: Self.origin, soa: old, target: target)
        try await Task.sleep(for: .milliseconds(50))
        async let second = sender.notify(origin: Self.origin, soa: new, target: target)
        #expect(await first == .superseded)
        #expect(await second == .noAnswer(tries: 4))
        try await channel.close()
    }
}
