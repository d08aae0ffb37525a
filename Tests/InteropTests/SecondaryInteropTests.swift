// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSTransport
import DNSZone
import Foundation
import Logging
import NIOCore
import Synchronization
import Testing

@testable import DNSAuthority
@testable import HanonServer

/// hanon as a secondary of Knot and of BIND (issue 4 item 4): AXFR first,
/// IXFR after a change on the primary, the copy on disk, expiry.
@Suite(.serialized) struct SecondaryInteropTests {
    static let origin = "sec.test."
    static let zoneText = """
        $ORIGIN sec.test.
        $TTL 300
        @   SOA ns1 hostmaster 2026112901 1 1 30 60
            NS  ns1
        ns1 A   192.0.2.53
        www A   192.0.2.80
        *.wild TXT "wildcard"
        deep.a.b.c A 192.0.2.1

        """

    /// The zones the secondary installed, last one wins.
    final class Installed: Sendable {
        let zone = Mutex<Zone?>(nil)
        let count = Mutex(0)
        func set(_ zone: Zone?) {
            self.zone.withLock { $0 = zone }
            self.count.withLock { $0 += 1 }
        }
        var current: Zone? { self.zone.withLock { $0 } }
    }

    static func secondary(for primary: PeerServer, copy: String? = nil, key: TSIGKey? = nil) throws -> (
        SecondaryZone, Installed
    ) {
        let installed = Installed()
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let source = SecondarySource(
            name: try DomainName(Self.origin), primaries: [.init(address: try primary.address, keyName: key?.name)],
            copyPath: copy)
        let zone = SecondaryZone(source: source, logger: logger, keys: { name in key?.name == name ? key : nil }) {
            _, zone in installed.set(zone)
        }
        return (zone, installed)
    }

    static let secret = "c2VjcmV0LWZvci10aGUtdHJhbnNmZXItdGVzdHMtMzI="

    static func key(_ algorithm: TSIGAlgorithm, secret: String = Self.secret) throws -> TSIGKey {
        TSIGKey(name: try DomainName("xfr-key."), algorithm: algorithm, secret: Base64.decode(Array(secret.utf8)) ?? [])
    }

    /// TSIG on every exchange (RFC 8945): the SOA query and the transfer are
    /// signed and every reply checked; Knot refuses unsigned or badly signed
    /// requests, so a transfer only works when both sides agree.
    @Test(arguments: [TSIGAlgorithm.hmacSHA256, .hmacSHA512, .hmacSHA1, .hmacMD5])
    func fromKnotWithTSIG(_ algorithm: TSIGAlgorithm) async throws {
        let knot = try await PeerServer.knotPrimary(
            origin: Self.origin, zone: Self.zoneText, key: ("xfr-key", algorithm.mnemonic, Self.secret))
        defer { knot.stop() }
        let (secondary, installed) = try Self.secondary(for: knot, key: try Self.key(algorithm))
        #expect(await secondary.refresh())
        #expect(await secondary.status.lastError == nil)
        #expect(Self.serial(installed.current) == 2026112901)
        try await knot.knotChange(origin: Self.origin, [["zone-set", Self.origin, "signed", "300", "A", "192.0.2.5"]])
        #expect(await secondary.refresh())
        #expect(await secondary.status.lastError == nil)
        #expect(Self.records(installed.current).contains("signed.sec.test. 300 IN A 192.0.2.5"))
        #expect(await secondary.status.lastTransfer?.hasPrefix("IXFR") == true)

        // The wrong secret: Knot answers NOTAUTH/BADSIG, nothing is installed.
        let wrong = try Self.key(algorithm, secret: "d3Jvbmctc2VjcmV0LXdyb25nLXNlY3JldC13cm9uZw==")
        let (bad, badInstalled) = try Self.secondary(for: knot, key: wrong)
        #expect(await bad.refresh() == false)
        #expect(badInstalled.current == nil)
        let reason = await bad.status.lastError ?? ""
        #expect(reason.contains("TSIG") || reason.contains("NOTAUTH"), "\(reason)")
    }

    @Test func fromBINDWithTSIG() async throws {
        let bind = try await PeerServer.bindPrimary(
            origin: Self.origin, zone: Self.zoneText, key: ("xfr-key", "hmac-sha256", Self.secret))
        defer { bind.stop() }
        let (secondary, installed) = try Self.secondary(for: bind, key: try Self.key(.hmacSHA256))
        #expect(await secondary.refresh())
        #expect(await secondary.status.lastError == nil)
        #expect(Self.serial(installed.current) == 2026112901)
        try await bind.nsupdate(["update add tsig-ixfr.sec.test. 300 A 192.0.2.66"])
        #expect(await secondary.refresh())
        #expect(Self.records(installed.current).contains("tsig-ixfr.sec.test. 300 IN A 192.0.2.66"))
        #expect(await secondary.status.lastTransfer?.hasPrefix("IXFR") == true)
        // Without the key, BIND refuses the transfer.
        let (unsigned, unsignedInstalled) = try Self.secondary(for: bind)
        #expect(await unsigned.refresh() == false)
        #expect(unsignedInstalled.current == nil)
    }

    static func serial(_ zone: Zone?) -> UInt32? {
        guard case .soa(let soa)? = zone?.soa.rdata else { return nil }
        return soa.serial
    }

    static func records(_ zone: Zone?) -> Set<String> {
        Set((zone?.allRecords ?? []).filter { $0.type != .soa }.map(\.description))
    }

    @Test func fromKnotAXFRThenIXFR() async throws {
        let knot = try await PeerServer.knotPrimary(origin: Self.origin, zone: Self.zoneText)
        defer { knot.stop() }
        let (secondary, installed) = try Self.secondary(for: knot)
        #expect(await secondary.refresh())
        let first = installed.current
        #expect(Self.serial(first) == 2026112901)
        #expect(Self.records(first).contains("www.sec.test. 300 IN A 192.0.2.80"))
        #expect(Self.records(first).contains("deep.a.b.c.sec.test. 300 IN A 192.0.2.1"))
        #expect(first?.recordCount == 6)
        #expect(await secondary.status.lastTransfer?.hasPrefix("AXFR") == true)

        try await knot.knotChange(
            origin: Self.origin,
            [
                ["zone-set", Self.origin, "new", "300", "A", "192.0.2.99"],
                ["zone-unset", Self.origin, "www", "A", "192.0.2.80"],
            ])
        #expect(await secondary.refresh())
        let second = installed.current
        #expect(Self.serial(second).map { $0 > 2026112901 } == true)
        #expect(Self.records(second).contains("new.sec.test. 300 IN A 192.0.2.99"))
        #expect(!Self.records(second).contains("www.sec.test. 300 IN A 192.0.2.80"))
        #expect(await secondary.status.lastTransfer?.hasPrefix("IXFR") == true)

        // Up to date: no transfer, nothing installed.
        let installs = installed.count.withLock { $0 }
        #expect(await secondary.refresh())
        #expect(installed.count.withLock { $0 } == installs)
    }

    @Test func fromBINDAXFRThenIXFR() async throws {
        let bind = try await PeerServer.bindPrimary(origin: Self.origin, zone: Self.zoneText)
        defer { bind.stop() }
        let (secondary, installed) = try Self.secondary(for: bind)
        #expect(await secondary.refresh())
        #expect(Self.serial(installed.current) == 2026112901)
        try await bind.nsupdate([
            "update add added.sec.test. 300 A 192.0.2.44", "update delete www.sec.test. A",
        ])
        #expect(await secondary.refresh())
        let zone = installed.current
        #expect(Self.serial(zone) == 2026112902)
        #expect(Self.records(zone).contains("added.sec.test. 300 IN A 192.0.2.44"))
        #expect(!Self.records(zone).contains { $0.hasPrefix("www.") })
        #expect(await secondary.status.lastTransfer?.hasPrefix("IXFR") == true)
    }

    @Test func copyOnDiskServesAtOnceAfterRestart() async throws {
        let knot = try await PeerServer.knotPrimary(origin: Self.origin, zone: Self.zoneText)
        let copy = knot.directory.appendingPathComponent("copy.zone").path
        let (secondary, _) = try Self.secondary(for: knot, copy: copy)
        #expect(await secondary.refresh())
        #expect(FileManager.default.fileExists(atPath: copy))
        let directory = knot.directory
        knot.stop(removeDirectory: false)
        defer { try? FileManager.default.removeItem(at: directory) }

        // A new secondary (a restarted hanon) serves the copy before any primary answers.
        let (restarted, installed) = try Self.secondary(for: knot, copy: copy)
        await restarted.loadCopy()
        #expect(Self.serial(installed.current) == 2026112901)
        #expect(Self.records(installed.current).contains("www.sec.test. 300 IN A 192.0.2.80"))
    }

    /// SOA EXPIRE 30 s here; the test waits for it only when the primary is gone.
    @Test func expiresWhenNoPrimaryAnswers() async throws {
        let zone = Self.zoneText.replacingOccurrences(of: "1 1 30 60", with: "1 1 2 60")
        let knot = try await PeerServer.knotPrimary(origin: Self.origin, zone: zone)
        let (secondary, installed) = try Self.secondary(for: knot)
        #expect(await secondary.refresh())
        #expect(installed.current != nil)
        knot.stop()
        try await Task.sleep(for: .seconds(2.2))
        #expect(await secondary.refresh() == false)
        #expect(installed.current == nil)
        #expect(await secondary.status.expired)
    }

    /// The whole path through `hanon serve`: a `[[zone]]` with `primary`,
    /// Knot's NOTIFY after a change, the copy in the data directory served
    /// after a restart with the primary gone.
    @Test func hanonServeFollowsKnotThroughNotify() async throws {
        let hanon = try HanonBinary.require()
        let hanonPort = Int.random(in: 20000...32000)
        // REFRESH one hour: only the NOTIFY can make hanon see the change quickly.
        let zone = Self.zoneText.replacingOccurrences(of: "1 1 30 60", with: "3600 600 86400 60")
        let knot = try await PeerServer.knotPrimary(origin: Self.origin, zone: zone, notifyPort: hanonPort)
        defer { knot.stop() }
        let dir = knot.directory.appendingPathComponent("hanon")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let config = dir.appendingPathComponent("hanon.toml").path
        try """
        data = "."
        [dns]
        listen = ["127.0.0.1:\(hanonPort)"]
        threads = 1
        [[zone]]
        name = "sec.test"
        primary = ["127.0.0.1:\(knot.port)"]

        """.write(toFile: config, atomically: true, encoding: .utf8)
        let log = dir.appendingPathComponent("hanon.log").path
        var pid = try spawnDaemon(hanon, ["serve", "--config", config], output: log)
        defer { kill(pid, SIGKILL); _ = waitpid(pid, nil, 0) }
        let server = try SocketAddress(ipAddress: "127.0.0.1", port: hanonPort)
        func ask(_ name: String) async -> [String]? {
            let query = DNSMessage.query(
                id: 0, name: (try? DomainName(name)) ?? .root, type: .a, recursionDesired: false)
            guard
                let r = try? await DNSClient().query(
                    query, server: server, options: DNSQueryOptions(timeout: .milliseconds(500), tries: 1)),
                r.message.header.authoritative
            else { return nil }
            return r.message.answers.map { $0.rdata.description }
        }
        func waitFor(_ name: String, _ expected: [String]) async -> Bool {
            for _ in 0..<100 {
                if await ask(name) == expected { return true }
                try? await Task.sleep(for: .milliseconds(100))
            }
            return false
        }
        func hanonLog() -> String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }
        #expect(await waitFor("www.sec.test.", ["192.0.2.80"]), "\(hanonLog())")

        try await knot.knotChange(
            origin: Self.origin, [["zone-set", Self.origin, "notified", "300", "A", "192.0.2.7"]])
        #expect(await waitFor("notified.sec.test.", ["192.0.2.7"]), "\(hanonLog())\n\(knot.log("knot.log"))")
        #expect(hanonLog().contains("IXFR"))

        // hanon zone status, through the control socket in the data directory.
        let status = try runProcess(hanon, ["zone", "status", "--config", config])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.hasPrefix("[sec.test.] serial: "), "\(status.stdout)")
        #expect(status.stdout.contains("source: primary 127.0.0.1:\(knot.port)"), "\(status.stdout)")
        #expect(status.stdout.contains("last transfer: IXFR"), "\(status.stdout)")
        let unknown = try runProcess(hanon, ["zone", "status", "nope.test", "--config", config])
        #expect(unknown.status == 1)
        #expect(unknown.stdout == "error: no zone nope.test.\n")

        // Restart with the primary gone: the copy serves.
        kill(pid, SIGTERM)
        #expect(await waitForExit(pid, timeout: .seconds(15)) == 0)
        knot.stop(removeDirectory: false)
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("secondary/sec.test.zone").path))
        pid = try spawnDaemon(hanon, ["serve", "--config", config], output: log)
        #expect(await waitFor("notified.sec.test.", ["192.0.2.7"]), "\(hanonLog())")
    }

    /// A secondary zone whose primary never answered: SERVFAIL for its
    /// names (hanon is authoritative but has no data), REFUSED elsewhere.
    @Test func secondaryWithoutDataAnswersServfail() async throws {
        let hanon = try HanonBinary.require()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hanon-sec-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let ports = TransferInteropTests.randomPorts(2)
        let config = dir.appendingPathComponent("hanon.toml").path
        try """
        data = "."
        [dns]
        listen = ["127.0.0.1:\(ports[0])"]
        threads = 1
        [[zone]]
        name = "sec.test"
        primary = ["127.0.0.1:\(ports[1])"]

        """.write(toFile: config, atomically: true, encoding: .utf8)
        let log = dir.appendingPathComponent("hanon.log").path
        let pid = try spawnDaemon(hanon, ["serve", "--config", config], output: log)
        defer {
            kill(pid, SIGKILL)
            _ = waitpid(pid, nil, 0)
        }
        let server = try SocketAddress(ipAddress: "127.0.0.1", port: ports[0])
        func rcode(_ name: String) async -> RCode? {
            let query = DNSMessage.query(
                id: 0, name: (try? DomainName(name)) ?? .root, type: .a, recursionDesired: false)
            return try? await DNSClient().query(
                query, server: server, options: DNSQueryOptions(timeout: .milliseconds(500), tries: 1)
            ).message.rcode
        }
        var got: RCode?
        for _ in 0..<50 {
            got = await rcode("www.sec.test.")
            if got != nil { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(got == .servFail)
        #expect(await rcode("www.other.test.") == .refused)
    }

    /// NSD as the primary: AXFR, then after a change and NSD's reload the
    /// new zone (NSD 4.6 keeps no IXFR history, so the IXFR is answered in
    /// full or refused and followed by AXFR; either way the zone is replaced).
    @Test func fromNSD() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("hanon-nsd-src-\(UUID()).zone")
        try Self.zoneText.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let nsd = try await NSDZoneServer.start(
            zones: [(origin: Self.origin, file: file.path)], zoneOptions: "    provide-xfr: 127.0.0.1 NOKEY\n")
        defer { nsd.stop() }
        let installed = Installed()
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let source = SecondarySource(
            name: try DomainName(Self.origin),
            primaries: [.init(address: try SocketAddress(ipAddress: "127.0.0.1", port: nsd.port))], copyPath: nil)
        let secondary = SecondaryZone(source: source, logger: logger) { _, zone in installed.set(zone) }
        #expect(await secondary.refresh())
        #expect(Self.serial(installed.current) == 2026112901)
        #expect(Self.records(installed.current).contains("www.sec.test. 300 IN A 192.0.2.80"))

        let changed = Self.zoneText.replacingOccurrences(of: "2026112901", with: "2026112902")
            .replacingOccurrences(of: "192.0.2.80", with: "192.0.2.81")
        try changed.write(to: nsd.directory.appendingPathComponent("zone0.zone"), atomically: true, encoding: .utf8)
        nsd.reload()
        var serial: UInt32?
        for _ in 0..<50 {
            #expect(await secondary.refresh())
            serial = Self.serial(installed.current)
            if serial == 2026112902 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(serial == 2026112902)
        #expect(Self.records(installed.current).contains("www.sec.test. 300 IN A 192.0.2.81"))
        #expect(!Self.records(installed.current).contains("www.sec.test. 300 IN A 192.0.2.80"))
    }
}
