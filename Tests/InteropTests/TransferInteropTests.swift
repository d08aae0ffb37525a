// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSTransport
import DNSZone
import Foundation
import NIOCore
import Testing

/// Outgoing transfers and NOTIFY with real peers: `dig AXFR` and `kdig
/// AXFR` get every record, `kdig IXFR=serial` the incremental answer after
/// a zone-file change and a reload, and NSD, BIND `named` and Knot as secondaries
/// of hanon take the zone by AXFR, then by IXFR when hanon's NOTIFY says it changed.
@Suite(.serialized) struct TransferInteropTests {
    static let origin = "xfr.test."

    /// The zone at `serial`: `names` hosts, a delegation with glue, an RRSIG;
    /// serial 2 changes one address and adds `new`.
    static func zoneText(serial: UInt32, names: Int = 20) -> String {
        var text = """
            $ORIGIN xfr.test.
            $TTL 3600
            @ SOA ns1 hostmaster \(serial) 7200 3600 1209600 300
            @ NS ns1
            ns1 A 127.0.0.1
            www A \(serial == 1 ? "192.0.2.1" : "192.0.2.2")
            www RRSIG A 13 3 3600 20300101000000 20200101000000 12345 xfr.test. dGVzdA==
            sub NS ns.sub
            ns.sub A 192.0.2.53

            """
        if serial > 1 { text += "new A 192.0.2.99\n" }
        for k in 0..<names {
            text +=
                "host\(k) A 198.51.100.\(k % 250 + 1)\nhost\(k) TXT \"host \(k): padding padding padding padding\"\n"
        }
        return text
    }

    /// A `hanon serve` on a random port of 127.0.0.1 serving `xfr.test.`,
    /// transfers allowed to 127.0.0.0/8, NOTIFY to `notify`.
    final class HanonPrimary {
        let port: Int
        let directory: URL
        let pid: pid_t
        var zoneFile: String { self.directory.appendingPathComponent("xfr.test.zone").path }
        var logFile: String { self.directory.appendingPathComponent("hanon.log").path }
        var log: String { (try? String(contentsOfFile: self.logFile, encoding: .utf8)) ?? "" }

        init(port: Int, zone: String, notify: [Int] = []) throws {
            let hanon = try HanonBinary.require()
            self.port = port
            self.directory = FileManager.default.temporaryDirectory.appendingPathComponent("hanon-xfr-\(UUID())")
            try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
            let config = self.directory.appendingPathComponent("hanon.toml").path
            let targets = notify.map { "\"127.0.0.1:\($0)\"" }.joined(separator: ", ")
            try """
            data = "."
            [dns]
            listen = ["127.0.0.1:\(port)"]
            threads = 1
            [[zone]]
            name = "xfr.test"
            file = "xfr.test.zone"
            allow-transfer = ["127.0.0.0/8"]
            notify = [\(targets)]

            """.write(toFile: config, atomically: true, encoding: .utf8)
            try zone.write(
                toFile: self.directory.appendingPathComponent("xfr.test.zone").path, atomically: true, encoding: .utf8)
            self.pid = try spawnDaemon(
                hanon, ["serve", "--config", config], output: self.directory.appendingPathComponent("hanon.log").path)
        }

        func stop() {
            kill(self.pid, SIGTERM)
            if waitpid(self.pid, nil, WNOHANG) == 0 {
                Thread.sleep(forTimeInterval: 0.2)
                kill(self.pid, SIGKILL)
                _ = waitpid(self.pid, nil, 0)
            }
            try? FileManager.default.removeItem(at: self.directory)
        }

        /// Changes the zone file and reloads (SIGHUP); waits until the new serial is served.
        func change(to zone: String, serial: UInt32) async throws -> Bool {
            try zone.write(toFile: self.zoneFile, atomically: true, encoding: .utf8)
            kill(self.pid, SIGHUP)
            return await waitForSerial(serial, port: self.port)
        }
    }

    /// The SOA serial served on `port`, nil without an answer.
    static func serial(port: Int) async -> UInt32? {
        guard let server = try? SocketAddress(ipAddress: "127.0.0.1", port: port) else { return nil }
        let query = DNSMessage.query(id: 0, name: try! DomainName(origin), type: .soa, recursionDesired: false)
        guard
            let reply = try? await DNSClient().query(
                query, server: server, options: DNSQueryOptions(timeout: .milliseconds(300), tries: 1)),
            case .soa(let soa) = reply.message.answers.first?.rdata
        else { return nil }
        return soa.serial
    }

    static func randomPorts(_ count: Int) -> [Int] {
        var ports: [Int] = []
        while ports.count < count {
            let port = Int.random(in: 20000...32000)
            if !ports.contains(port) { ports.append(port) }
        }
        return ports
    }

    /// The records of dig/kdig output, comments and blank lines skipped.
    static func records(_ output: String) throws -> [ResourceRecord] {
        try output.split(separator: "\n").filter {
            !$0.hasPrefix(";") && !$0.trimmingCharacters(in: .whitespaces).isEmpty
        }
        .map { try ResourceRecord(text: String($0)) }
    }

    static func zone(_ text: String) throws -> Zone {
        try Zone(ZoneFileParser.parse(text: text, origin: try DomainName(origin)))
    }

    @Test(.enabled(if: Peer.available("dig", "kdig")))
    func digAndKdigAXFRGetEveryRecord() async throws {
        let dig = try Peer.require("dig")
        let kdig = try Peer.require("kdig")
        let text = Self.zoneText(serial: 1, names: 2000)
        let zone = try Self.zone(text)
        let primary = try HanonPrimary(port: Self.randomPorts(1)[0], zone: text)
        defer { primary.stop() }
        #expect(await waitForSerial(1, port: primary.port), "\(primary.log)")
        let expected = [zone.soa] + zone.recordsExceptSOA() + [zone.soa]
        for (program, arguments) in [
            (dig, ["@127.0.0.1", "-p", String(primary.port), Self.origin, "AXFR", "+nocmd", "+nostats"]),
            (kdig, ["@127.0.0.1", "-p", String(primary.port), Self.origin, "AXFR", "+noall", "+answer"]),
        ] {
            let result = try runProcess(program, arguments)
            #expect(result.status == 0, "\(program): \(result.stderr)")
            let records = try Self.records(result.stdout)
            #expect(records.count == expected.count, "\(program)")
            #expect(records.first == zone.soa && records.last == zone.soa, "\(program)")
            #expect(Set(records) == Set(expected), "\(program)")
        }
        // Several messages (4000+ records do not fit in one 16 KiB message).
        let stats = try runProcess(dig, ["@127.0.0.1", "-p", String(primary.port), Self.origin, "AXFR"])
        let messages = stats.stdout.split(separator: "\n").first { $0.contains("XFR size") } ?? ""
        #expect(messages.contains("messages") && !messages.contains(" 1 messages"), "\(messages)")
    }

    @Test(.enabled(if: Peer.available("kdig")))
    func kdigIXFRGetsTheChangesAfterAReload() async throws {
        let kdig = try Peer.require("kdig")
        let one = Self.zoneText(serial: 1)
        let two = Self.zoneText(serial: 2)
        let primary = try HanonPrimary(port: Self.randomPorts(1)[0], zone: one)
        defer { primary.stop() }
        #expect(await waitForSerial(1, port: primary.port), "\(primary.log)")
        #expect(try await primary.change(to: two, serial: 2), "\(primary.log)")
        let result = try runProcess(
            kdig, ["@127.0.0.1", "-p", String(primary.port), Self.origin, "IXFR=1", "+noall", "+answer"])
        #expect(result.status == 0, "\(result.stderr)")
        let records = try Self.records(result.stdout)
        let diff = try Self.zone(two).difference(from: try Self.zone(one))
        let expected = [diff.newSOA, diff.oldSOA] + diff.deleted + [diff.newSOA] + diff.added + [diff.newSOA]
        #expect(records == expected, "\(result.stdout)")
        #expect(diff.added.contains { $0.name.description == "new.xfr.test." })
        // Up to date: the SOA alone.
        let current = try runProcess(
            kdig, ["@127.0.0.1", "-p", String(primary.port), Self.origin, "IXFR=2", "+noall", "+answer"])
        #expect(try Self.records(current.stdout) == [diff.newSOA])
    }

    @Test(.enabled(if: Peer.available("nsd")))
    func nsdAsASecondaryFollowsNotify() async throws {
        let nsd = try Peer.require("nsd")
        let ports = Self.randomPorts(2)
        let primary = try HanonPrimary(port: ports[0], zone: Self.zoneText(serial: 1), notify: [ports[1]])
        defer { primary.stop() }
        #expect(await waitForSerial(1, port: primary.port), "\(primary.log)")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hanon-xfr-nsd-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.path
        try """
        server:
            ip-address: 127.0.0.1
            port: \(ports[1])
            username: ""
            chroot: ""
            zonesdir: "\(path)"
            pidfile: "\(path)/nsd.pid"
            xfrdfile: "\(path)/xfrd.state"
            zonelistfile: "\(path)/zone.list"
            database: ""
            logfile: "\(path)/nsd.log"
            server-count: 1
            verbosity: 2
            rrl-ratelimit: 0
            rrl-whitelist-ratelimit: 0
        remote-control:
            control-enable: no
        zone:
            name: xfr.test.
            zonefile: xfr.test.zone
            request-xfr: 127.0.0.1@\(ports[0]) NOKEY
            allow-notify: 127.0.0.1 NOKEY

        """.write(toFile: path + "/nsd.conf", atomically: true, encoding: .utf8)
        let pid = try spawnDaemon(nsd, ["-c", path + "/nsd.conf", "-d"], output: path + "/nsd.out")
        defer {
            kill(pid, SIGTERM)
            if waitForExitSync(pid, seconds: 5) == nil {
                kill(pid, SIGKILL)
                _ = waitpid(pid, nil, 0)
            }
        }
        let nsdLog = { (try? String(contentsOfFile: path + "/nsd.log", encoding: .utf8)) ?? "" }
        #expect(await waitForSerial(1, port: ports[1]), "NSD did not transfer: \(nsdLog())\n\(primary.log)")
        #expect(try await primary.change(to: Self.zoneText(serial: 2), serial: 2))
        // No refresh timer is due for an hour: only the NOTIFY makes NSD ask.
        #expect(await waitForSerial(2, port: ports[1], seconds: 20), "\(nsdLog())\n\(primary.log)")
        #expect(await Self.address(of: "new.xfr.test.", port: ports[1]) == "192.0.2.99")
        #expect(primary.log.contains("notify xfr.test. serial 2 to 127.0.0.1:\(ports[1]): NOERROR"), "\(primary.log)")
        #expect(primary.log.contains("IXFR xfr.test. to 127.0.0.1: incremental 1 -> 2"), "\(primary.log)")
    }

    @Test(.enabled(if: Peer.available("named")))
    func bindAsASecondaryTakesAXFRThenIXFRAfterNotify() async throws {
        let named = try Peer.require("named")
        let ports = Self.randomPorts(2)
        let primary = try HanonPrimary(port: ports[0], zone: Self.zoneText(serial: 1), notify: [ports[1]])
        defer { primary.stop() }
        #expect(await waitForSerial(1, port: primary.port), "\(primary.log)")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hanon-xfr-named-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let secondary = try NamedSecondary(
            named: named, directory: directory.path, zone: "xfr.test", port: ports[1], primaryPort: ports[0])
        defer { secondary.stop() }
        let namedLog = { secondary.log }
        let path = directory.path
        #expect(await waitForSerial(1, port: ports[1], seconds: 20), "named did not transfer: \(namedLog())")
        #expect(namedLog().contains("Transfer status: success"))
        #expect(namedLog().contains("got nonincremental response"), "\(namedLog())")
        #expect(!namedLog().contains("got incremental response"))
        #expect(primary.log.contains("AXFR xfr.test. to 127.0.0.1: full, serial 1"), "\(primary.log)")
        #expect(try await primary.change(to: Self.zoneText(serial: 2), serial: 2))
        #expect(await waitForSerial(2, port: ports[1], seconds: 20), "\(namedLog())\n\(primary.log)")
        #expect(await Self.address(of: "new.xfr.test.", port: ports[1]) == "192.0.2.99")
        #expect(namedLog().contains("notify from 127.0.0.1"), "\(namedLog())")
        // IXFR: named asked for it and got it, hanon answered incrementally,
        // and named keeps a journal only for incremental transfers.
        #expect(namedLog().contains("requesting IXFR for serial 1"), "\(namedLog())")
        #expect(namedLog().contains("got incremental response"), "\(namedLog())")
        #expect(primary.log.contains("IXFR xfr.test. to 127.0.0.1: incremental 1 -> 2"), "\(primary.log)")
        #expect(FileManager.default.fileExists(atPath: path + "/xfr.test.db.jnl"))
    }

    @Test(.enabled(if: Peer.available("knotd")))
    func knotAsASecondaryTakesAXFRThenIXFRAfterNotify() async throws {
        let knotd = try Peer.require("knotd")
        let ports = Self.randomPorts(2)
        let primary = try HanonPrimary(port: ports[0], zone: Self.zoneText(serial: 1), notify: [ports[1]])
        defer { primary.stop() }
        #expect(await waitForSerial(1, port: primary.port), "\(primary.log)")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hanon-xfr-knot-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.path
        try """
        server:
            listen: 127.0.0.1@\(ports[1])
            rundir: \(path)
        database:
            storage: \(path)
        log:
          - target: stderr
            any: info
        remote:
          - id: primary
            address: 127.0.0.1@\(ports[0])
        acl:
          - id: notify_from_primary
            address: 127.0.0.1
            action: notify
        zone:
          - domain: xfr.test
            storage: \(path)
            file: xfr.test.zone
            master: primary
            acl: notify_from_primary

        """.write(toFile: path + "/knot.conf", atomically: true, encoding: .utf8)
        let pid = try spawnDaemon(knotd, ["-c", path + "/knot.conf"], output: path + "/knot.log")
        defer {
            kill(pid, SIGTERM)
            if waitForExitSync(pid, seconds: 5) == nil {
                kill(pid, SIGKILL)
                _ = waitpid(pid, nil, 0)
            }
        }
        let knotLog = { (try? String(contentsOfFile: path + "/knot.log", encoding: .utf8)) ?? "" }
        #expect(await waitForSerial(1, port: ports[1], seconds: 20), "Knot did not transfer: \(knotLog())")
        #expect(knotLog().contains("AXFR, incoming, remote 127.0.0.1@\(ports[0]), finished"), "\(knotLog())")
        #expect(try await primary.change(to: Self.zoneText(serial: 2), serial: 2))
        #expect(await waitForSerial(2, port: ports[1], seconds: 20), "\(knotLog())\n\(primary.log)")
        #expect(await Self.address(of: "new.xfr.test.", port: ports[1]) == "192.0.2.99")
        #expect(knotLog().contains("notify, incoming, remote 127.0.0.1"), "\(knotLog())")
        #expect(knotLog().contains("IXFR, incoming, remote 127.0.0.1@\(ports[0]), finished"), "\(knotLog())")
    }

    static func address(of name: String, port: Int) async -> String? {
        guard let server = try? SocketAddress(ipAddress: "127.0.0.1", port: port),
            let qname = try? DomainName(name)
        else { return nil }
        let query = DNSMessage.query(id: 0, name: qname, type: .a, recursionDesired: false)
        guard
            let reply = try? await DNSClient().query(
                query, server: server, options: DNSQueryOptions(timeout: .milliseconds(500), tries: 2))
        else { return nil }
        return reply.message.answers.first?.rdata.description
    }
}

/// Polls until `port` serves `xfr.test.` at `serial` (up to `seconds`).
func waitForSerial(_ serial: UInt32, port: Int, seconds: Int = 15) async -> Bool {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while ContinuousClock.now < deadline {
        if await TransferInteropTests.serial(port: port) == serial { return true }
        try? await Task.sleep(for: .milliseconds(100))
    }
    return false
}

/// Waits for `pid` to exit, blocking (for `defer`).
func waitForExitSync(_ pid: pid_t, seconds: Int) -> Int32? {
    for _ in 0..<(seconds * 20) {
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid { return status }
        Thread.sleep(forTimeInterval: 0.05)
    }
    return nil
}
