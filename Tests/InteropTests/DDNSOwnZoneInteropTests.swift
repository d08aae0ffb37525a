// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSTransport
import Foundation
import NIOCore
import Testing

/// Issue 7 item 2: a record bound to a name in a zone hanon serves follows the detected
/// address through the dynamic update path — the zone's serial goes up, the journal and the
/// zone file hold the change — and an unchanged address changes nothing.
@Suite(.serialized) struct DDNSOwnZoneInteropTests {
    @Test func ownRecordFollowsTheDetectedAddress() async throws {
        let hanon = try HanonBinary.require()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hanon-ddns-own-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: dir.appendingPathComponent("data"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let zoneFile = dir.appendingPathComponent("home.test.zone").path
        try """
        $TTL 300
        @    SOA ns1 hostmaster 10 3600 900 604800 300
        @    NS  ns1
        ns1  A   127.0.0.1
        gw   A   192.0.2.1

        """.write(toFile: zoneFile, atomically: true, encoding: .utf8)
        let addressFile = dir.appendingPathComponent("address").path
        try "198.51.100.20\n".write(toFile: addressFile, atomically: true, encoding: .utf8)
        let port = Int.random(in: 20000...32000)
        let config = """
            data = "data"
            [dns]
            listen = ["127.0.0.1:\(port)"]

            [[zone]]
            name = "home.test"
            file = "\(zoneFile)"
            zonefile-sync = "0s"

            [ddns]
            interval = "10s"
            allow-private = true

            [ddns.ipv4]
            command = ["/bin/cat", "\(addressFile)"]

            [[ddns.record]]
            name = "gw.home.test"
            provider = "hanon"
            ipv6 = false

            """
        let file = dir.appendingPathComponent("hanon.toml").path
        try config.write(toFile: file, atomically: true, encoding: .utf8)
        let log = dir.appendingPathComponent("serve.log").path
        let pid = try spawnDaemon(hanon, ["serve", "--config", file], output: log)
        var stopped = false
        defer { if !stopped { stopDaemon(pid) } }

        func ask(_ name: String, _ type: RecordType) async -> [String]? {
            guard let server = try? SocketAddress(ipAddress: "127.0.0.1", port: port),
                let qname = try? DomainName(name, origin: .root)
            else { return nil }
            let query = DNSMessage.query(id: 0, name: qname, type: type, recursionDesired: false)
            guard
                let r = try? await DNSClient().query(
                    query, server: server, options: DNSQueryOptions(timeout: .milliseconds(500), tries: 1))
            else { return nil }
            return r.message.answers.filter { $0.type == type }.map { $0.rdata.description }
        }
        func serial() async -> UInt32? {
            guard let soa = await ask("home.test.", .soa)?.first else { return nil }
            let fields = soa.split(separator: " ")
            return fields.count > 2 ? UInt32(fields[2]) : nil
        }
        func waitFor(_ address: String) async -> Bool {
            for _ in 0..<150 {
                if await ask("gw.home.test.", .a) == [address] { return true }
                try? await Task.sleep(for: .milliseconds(100))
            }
            return false
        }
        let logText = { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }

        #expect(await waitFor("198.51.100.20"), "\(logText().suffix(2000))")
        #expect(await serial() == 11)

        // Unchanged address: after the next pass (10 s) the serial is the same.
        try await Task.sleep(for: .seconds(11))
        #expect(await serial() == 11)

        // A new address is served within the interval, one serial step later, and reaches the file.
        try "198.51.100.21\n".write(toFile: addressFile, atomically: true, encoding: .utf8)
        #expect(await waitFor("198.51.100.21"), "\(logText().suffix(2000))")
        #expect(await serial() == 12)
        var written = ""
        for _ in 0..<50 {
            written = (try? String(contentsOfFile: zoneFile, encoding: .utf8)) ?? ""
            if written.contains("198.51.100.21") { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(written.contains("198.51.100.21"))
        #expect(!written.contains("192.0.2.1\n"))

        // SIGTERM stops the server, the updater's loop included, at once.
        kill(pid, SIGTERM)
        let status = await waitForExit(pid, timeout: .seconds(5))
        stopped = status != nil
        #expect(status == 0, "hanon serve with the DDNS updater running did not stop on SIGTERM")
    }
}
