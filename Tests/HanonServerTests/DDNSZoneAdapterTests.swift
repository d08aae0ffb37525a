// SPDX-License-Identifier: Apache-2.0

import DNSAuthority
import DNSCore
import DNSZone
import Foundation
import HanonConfig
import HanonDDNS
import Logging
import Testing

@testable import HanonServer

/// The dyndns2 endpoint's writer (DDNSZoneAdapter): addresses go into the
/// zone through the dynamic update path — journal, serial, IXFR history —
/// and the same addresses again change nothing.
@Suite struct DDNSZoneAdapterTests {
    static func server(_ dir: ServeTests.TempDir, extra: String = "") throws -> HanonServer {
        let zone = try dir.write("z", ServeTests.zoneText)
        _ = try dir.write("other", ServeTests.zoneText.replacingOccurrences(of: "serve.test.", with: "other.test."))
        let text = """
            data = "\(dir.url.path)/data"
            [dns]
            listen = ["127.0.0.1:1"]
            [[zone]]
            name = "serve.test"
            file = "\(zone)"
            [[zone]]
            name = "other.test"
            file = "\(dir.url.path)/other"
            [ddns.server]
            listen-http = ["127.0.0.1:1"]
            [[ddns.server.user]]
            name = "u"
            password = "p"
            names = ["*.serve.test"]
            \(extra)
            """
        let config = try Config.parse(text: text, file: dir.url.path + "/hanon.toml")
        return HanonServer(settings: try ServerSettings(config: config), logger: Logger(label: "test"))
    }

    static func rrset(_ server: HanonServer, _ name: String, _ type: RecordType) throws -> RRSet? {
        let zone = try #require(server.handler.processor.zones.zone(for: try DomainName(name)))
        return zone.rrset(at: try DomainName(name), type: type)
    }

    static func serial(_ server: HanonServer) throws -> UInt32 {
        try #require(server.handler.processor.zones.zone(for: try DomainName("serve.test."))).serial
    }

    @Test func addressesGoThroughTheUpdatePath() async throws {
        let dir = try ServeTests.TempDir()
        let server = try Self.server(dir)
        let writer = server.ddnsWriter
        let www: DomainName = "www.serve.test."
        let v4 = try #require(IPv4Address("192.0.2.1"))
        #expect(try await writer.setAddresses(www, v4: [v4], v6: [], ttl: 60) == .unchanged)
        #expect(try Self.serial(server) == 1)

        let new4 = try #require(IPv4Address("192.0.2.9"))
        #expect(try await writer.setAddresses(www, v4: [new4], v6: [], ttl: 60) == .changed)
        let a = try #require(try Self.rrset(server, "www.serve.test.", .a))
        #expect(a.rdata.map(\.description) == ["192.0.2.9"])
        #expect(a.ttl == 300)  // an existing RRset keeps its TTL
        #expect(try Self.serial(server) == 2)

        let host: DomainName = "host.serve.test."
        let v6 = try #require(IPv6Address("2001:db8::1"))
        #expect(try await writer.setAddresses(host, v4: [new4], v6: [v6], ttl: 60) == .changed)
        #expect(try Self.rrset(server, "host.serve.test.", .aaaa)?.ttl == 60)
        #expect(try Self.rrset(server, "host.serve.test.", .a)?.rdata.map(\.description) == ["192.0.2.9"])
        #expect(try Self.serial(server) == 3)  // one update, one serial step for both types
        #expect(try await writer.setAddresses(host, v4: [new4], v6: [v6], ttl: 60) == .unchanged)
        // Only v6 given: A stays.
        let v6b = try #require(IPv6Address("2001:db8::2"))
        #expect(try await writer.setAddresses(host, v4: [], v6: [v6b], ttl: 60) == .changed)
        #expect(try Self.rrset(server, "host.serve.test.", .a)?.rdata.map(\.description) == ["192.0.2.9"])
        #expect(try Self.serial(server) == 4)

        // Journalled: the IXFR history has every step.
        #expect(server.updater.diffs(zone: try DomainName("serve.test."), from: 1)?.map(\.toSerial) == [2, 3, 4])
        // Not a zone served here.
        #expect(
            try await writer.setAddresses(try DomainName("a.example.net."), v4: [v4], v6: [], ttl: nil) == .notServed)
    }

    @Test func onlyZonesWithDDNSNamesGetAJournal() throws {
        let dir = try ServeTests.TempDir()
        let server = try Self.server(dir)
        let zones = server.updaterStatus().map(\.zone.description)
        #expect(zones == ["serve.test."])
    }

    @Test func unreadablePasswordFileNamesTheLine() throws {
        let dir = try ServeTests.TempDir()
        #expect {
            try Self.server(
                dir,
                extra: """
                    [[ddns.server.user]]
                    name = "v"
                    password-file = "missing.pw"
                    names = ["v.serve.test"]
                    """)
        } throws: { error in
            "\(error)".contains("hanon.toml:18:17: ddns.server.user.password-file: cannot read")
        }
    }
}
