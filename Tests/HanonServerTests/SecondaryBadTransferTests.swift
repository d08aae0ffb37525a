// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSTransport
import DNSZone
import Logging
import NIOCore
import Synchronization
import Testing

@testable import HanonServer

/// A secondary zone fed broken transfers by a scripted primary (issue 4,
/// "bad input"): an IXFR whose deletions do not match is refused and the
/// zone stays as it was until a good AXFR replaces it; a broken AXFR changes
/// nothing.
@Suite(.serialized) struct SecondaryBadTransferTests {
    static func soa(_ serial: UInt32) -> String {
        "bad.test. 300 IN SOA ns.bad.test. admin.bad.test. \(serial) 3600 600 86400 60"
    }
    static let zone1 = [Self.soa(1), "bad.test. 300 IN NS ns.bad.test.", "ns.bad.test. 300 IN A 192.0.2.1"]

    /// Answers SOA queries with `serial` over UDP and TCP, and IXFR/AXFR
    /// over TCP with the scripted record lists.
    final class ScriptedPrimary: DNSRequestHandler {
        let serial: UInt32
        let ixfr: [String]
        let axfr: [String]
        let asked = Mutex<[RecordType]>([])

        init(serial: UInt32, ixfr: [String], axfr: [String]) {
            self.serial = serial
            self.ixfr = ixfr
            self.axfr = axfr
        }

        func reply(to request: ByteBuffer, records: [String]) -> ByteBuffer? {
            guard let query = try? DNSMessage(wire: request), let question = query.questions.first else { return nil }
            var header = Header(id: query.header.id)
            header.isResponse = true
            header.authoritative = true
            var reply = DNSMessage(header: header, questions: [question])
            reply.answers = records.compactMap { try? ResourceRecord(text: $0) }
            return reply.serialize()
        }

        func handle(_ request: ByteBuffer, context: DNSRequestContext) -> ByteBuffer? {
            self.reply(to: request, records: [SecondaryBadTransferTests.soa(self.serial)])
        }

        func stream(_ request: ByteBuffer, context: DNSRequestContext) -> (any DNSResponseStream)? {
            guard let query = try? DNSMessage(wire: request), let type = query.questions.first?.type,
                type == .ixfr || type == .axfr
            else { return nil }
            self.asked.withLock { $0.append(type) }
            let message = self.reply(to: request, records: type == .ixfr ? self.ixfr : self.axfr)
            var sent = false
            return DNSLazyResponseStream {
                guard !sent else { return nil }
                sent = true
                return message
            }
        }
    }

    final class Installed: Sendable {
        let zone = Mutex<Zone?>(nil)
        func withLock<T>(_ body: (inout Zone?) -> T) -> T { self.zone.withLock { body(&$0) } }
    }

    static func run(_ primary: ScriptedPrimary) async throws -> (SecondaryZone, Installed, DNSServer) {
        var configuration = DNSServerConfiguration(
            listenAddresses: [try SocketAddress(ipAddress: "127.0.0.1", port: 0)], threads: 1)
        configuration.udpEngine = .nio
        let server = try await DNSServer.start(configuration: configuration, handler: primary)
        let port = server.listeners.first?.address.port ?? 0
        let installed = Installed()
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let source = SecondarySource(
            name: try DomainName("bad.test."),
            primaries: [.init(address: try SocketAddress(ipAddress: "127.0.0.1", port: port))], copyPath: nil)
        let secondary = SecondaryZone(source: source, logger: logger) { _, zone in installed.withLock { $0 = zone } }
        return (secondary, installed, server)
    }

    static func serial(_ zone: Zone?) -> UInt32? {
        guard case .soa(let soa)? = zone?.soa.rdata else { return nil }
        return soa.serial
    }

    @Test func ixfrWithForeignDeletionFallsBackToAXFR() async throws {
        // Start at serial 1 (a good AXFR), then the primary moves to 2.
        let first = ScriptedPrimary(serial: 1, ixfr: [], axfr: Self.zone1 + [Self.soa(1)])
        let (secondary, installed, server) = try await Self.run(first)
        #expect(await secondary.refresh())
        #expect(Self.serial(installed.withLock { $0 }) == 1)
        await server.shutdown()

        let zone2 = [Self.soa(2), "bad.test. 300 IN NS ns.bad.test.", "ns.bad.test. 300 IN A 192.0.2.2"]
        let broken = ScriptedPrimary(
            serial: 2,
            // Deletes an address the zone never had.
            ixfr: [
                Self.soa(2), Self.soa(1), "ns.bad.test. 300 IN A 192.0.2.99", Self.soa(2),
                "ns.bad.test. 300 IN A 192.0.2.2", Self.soa(2),
            ],
            axfr: zone2 + [Self.soa(2)])
        // Same secondary, new primary on a new port: build a second secondary
        // that starts from serial 1 the same way.
        let (secondary2, installed2, server2) = try await Self.run(broken)
        defer { Task { await server2.shutdown() } }
        // Bring secondary2 to serial 1 first through a one-off good zone.
        let seed = try Zone(
            origin: try DomainName("bad.test."), records: Self.zone1.map { try ResourceRecord(text: $0) })
        await secondary2.seed(seed)
        #expect(await secondary2.refresh())
        #expect(broken.asked.withLock { $0 } == [.ixfr, .axfr])
        let zone = installed2.withLock { $0 }
        #expect(Self.serial(zone) == 2)
        #expect(zone?.rrset(at: try DomainName("ns.bad.test."), type: .a)?.rdata.map(\.description) == ["192.0.2.2"])
    }

    @Test func brokenAXFRChangesNothing() async throws {
        let broken = ScriptedPrimary(
            serial: 3, ixfr: [],
            // The closing SOA differs from the opening one.
            axfr: [Self.soa(3), "bad.test. 300 IN NS ns.bad.test.", Self.soa(4)])
        let (secondary, installed, server) = try await Self.run(broken)
        defer { Task { await server.shutdown() } }
        let seed = try Zone(
            origin: try DomainName("bad.test."), records: Self.zone1.map { try ResourceRecord(text: $0) })
        await secondary.seed(seed)
        #expect(await secondary.refresh() == false)
        #expect(installed.withLock { $0 } == nil)  // nothing installed
        #expect(Self.serial(await secondary.current) == 1)
        #expect(await secondary.status.lastError?.contains("closing SOA") == true)
    }
}
