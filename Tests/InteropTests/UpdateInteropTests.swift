// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSTransport
import Foundation
import NIOCore
import Testing

/// `nsupdate` (BIND's client) against `hanon serve`, with an address policy
/// on 127.0.0.1 (issue 4 items 2 and 5): the answers, what `dig` then sees,
/// the journal replay after a restart, the zone file written after the quiet
/// time, and `kill -9` during a stream of updates losing nothing acknowledged.
@Suite(.serialized) struct UpdateInteropTests {
    static let zone = """
        $ORIGIN upd.test.
        $TTL 300
        @    SOA ns1 hostmaster 1 3600 900 604800 300
        @    NS  ns1
        ns1  A   192.0.2.53
        www  A   192.0.2.1

        """

    /// A temporary directory with the zone and a config allowing updates from 127.0.0.1.
    struct Setup {
        let dir: URL
        let config: String
        let zoneFile: String
        let port: Int
        let log: String

        init(sync: String = "1h") throws {
            self.dir = FileManager.default.temporaryDirectory.appendingPathComponent("hanon-upd-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: self.dir, withIntermediateDirectories: true)
            self.zoneFile = self.dir.appendingPathComponent("upd.test.zone").path
            try UpdateInteropTests.zone.write(toFile: self.zoneFile, atomically: true, encoding: .utf8)
            self.port = Int.random(in: 20000...32000)
            self.config = self.dir.appendingPathComponent("hanon.toml").path
            self.log = self.dir.appendingPathComponent("hanon.log").path
            try """
            data = "data"
            [dns]
            listen = ["127.0.0.1:\(self.port)"]
            threads = 1
            [[zone]]
            name = "upd.test"
            file = "upd.test.zone"
            allow-update = [{ address = "127.0.0.1/32" }]
            zonefile-sync = "\(sync)"

            """.write(toFile: self.config, atomically: true, encoding: .utf8)
        }

        func start(_ hanon: String) throws -> pid_t {
            try spawnDaemon(hanon, ["serve", "--config", self.config], output: self.log)
        }

        var logText: String { (try? String(contentsOfFile: self.log, encoding: .utf8)) ?? "" }

        /// Runs one nsupdate script (`send` appended); the RCODE it reports, "NOERROR" on success.
        func nsupdate(_ nsupdate: String, _ lines: [String], timeout: Int = 3) throws -> String {
            let script =
                (["server 127.0.0.1 \(self.port)", "zone upd.test"] + lines + ["send", ""]).joined(separator: "\n")
            let result = try runProcess(
                nsupdate, ["-t", "\(timeout)", "-u", "1", "-r", "1"], input: script, timeout: 30)
            if result.status == 0 { return "NOERROR" }
            for rcode in [
                "NXDOMAIN", "YXDOMAIN", "NXRRSET", "YXRRSET", "NOTZONE", "NOTAUTH", "REFUSED", "FORMERR", "SERVFAIL",
            ]
            where result.stderr.contains(rcode) {
                return rcode
            }
            return "failed: \(result.stderr)"
        }

        /// The answer records' data for `name` `type`, nil when the server does not answer.
        func ask(_ name: String, _ type: RecordType) async -> [String]? {
            guard let server = try? SocketAddress(ipAddress: "127.0.0.1", port: self.port),
                let qname = try? DomainName(name, origin: .root)
            else { return nil }
            let query = DNSMessage.query(id: 0, name: qname, type: type, recursionDesired: false)
            guard
                let r = try? await DNSClient().query(
                    query, server: server, options: DNSQueryOptions(timeout: .milliseconds(500), tries: 1))
            else { return nil }
            return r.message.answers.filter { $0.type == type }.map { $0.rdata.description }
        }

        /// Waits until the server answers (up to 10 s).
        func waitUntilServing() async -> Bool {
            for _ in 0..<100 {
                if await self.ask("upd.test.", .soa) != nil { return true }
                try? await Task.sleep(for: .milliseconds(100))
            }
            return false
        }
    }

    @Test func nsupdateAddDeletePrerequisitesRestartAndZoneFile() async throws {
        let hanon = try HanonBinary.require()
        let nsupdate = try Peer.require("nsupdate")
        let checkzone = try Peer.require("named-checkzone")
        let s = try Setup(sync: "1s")
        defer { try? FileManager.default.removeItem(at: s.dir) }
        var pid = try s.start(hanon)
        defer { kill(pid, SIGKILL); _ = waitpid(pid, nil, 0) }
        #expect(await s.waitUntilServing(), "\(s.logText)")

        #expect(try s.nsupdate(nsupdate, ["update add new.upd.test 60 A 192.0.2.7"]) == "NOERROR")
        #expect(await s.ask("new.upd.test.", .a) == ["192.0.2.7"])
        #expect(await s.ask("upd.test.", .soa)?.first?.contains(" 2 3600 ") == true)
        // Prerequisites that fail get their RCODE (RFC 2136 §3.2), and change nothing.
        #expect(
            try s.nsupdate(nsupdate, ["prereq nxdomain www.upd.test", "update add z.upd.test 60 A 192.0.2.9"])
                == "YXDOMAIN")
        #expect(
            try s.nsupdate(nsupdate, ["prereq yxdomain nothere.upd.test", "update add z.upd.test 60 A 192.0.2.9"])
                == "NXDOMAIN")
        #expect(
            try s.nsupdate(nsupdate, ["prereq yxrrset www.upd.test MX", "update add z.upd.test 60 A 192.0.2.9"])
                == "NXRRSET")
        #expect(
            try s.nsupdate(nsupdate, ["prereq nxrrset www.upd.test A", "update add z.upd.test 60 A 192.0.2.9"])
                == "YXRRSET")
        #expect(await s.ask("z.upd.test.", .a) == [])
        // Outside the zone.
        #expect(try s.nsupdate(nsupdate, ["update add www.other.test 60 A 192.0.2.9"]) == "NOTZONE")
        // Delete one record, an RRset; value-dependent prerequisites: the whole RRset must match.
        #expect(try s.nsupdate(nsupdate, ["update add www.upd.test 300 A 192.0.2.2"]) == "NOERROR")
        #expect(
            try s.nsupdate(nsupdate, ["prereq yxrrset www.upd.test A 192.0.2.1", "update delete www.upd.test A"])
                == "NXRRSET")
        #expect(
            try s.nsupdate(
                nsupdate,
                [
                    "prereq yxrrset www.upd.test A 192.0.2.1", "prereq yxrrset www.upd.test A 192.0.2.2",
                    "update delete www.upd.test A 192.0.2.2",
                ])
                == "NOERROR")
        #expect(await s.ask("www.upd.test.", .a) == ["192.0.2.1"])
        #expect(try s.nsupdate(nsupdate, ["update delete new.upd.test A"]) == "NOERROR")
        #expect(await s.ask("new.upd.test.", .a) == [])
        #expect(try s.nsupdate(nsupdate, ["update add keep.upd.test 60 TXT \"kept\""]) == "NOERROR")

        // Restart at once (SIGKILL: no zone file written): the journal replays.
        kill(pid, SIGKILL)
        _ = waitpid(pid, nil, 0)
        pid = try s.start(hanon)
        #expect(await s.waitUntilServing(), "\(s.logText)")
        #expect(await s.ask("keep.upd.test.", .txt) == ["\"kept\""])
        #expect(await s.ask("www.upd.test.", .a) == ["192.0.2.1"])
        #expect(s.logText.contains("journal entries replayed"))

        // After the quiet time the zone file holds the change, and BIND reads it.
        var written = false
        for _ in 0..<100 where !written {
            try await Task.sleep(for: .milliseconds(100))
            written = ((try? String(contentsOfFile: s.zoneFile, encoding: .utf8)) ?? "").contains("keep.upd.test.")
        }
        #expect(written, "\(s.logText)")
        let check = try runProcess(checkzone, ["upd.test", s.zoneFile])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("loaded serial 6"), "\(check.stdout)")
    }

    @Test func updatesRefusedWithoutPolicy() async throws {
        let hanon = try HanonBinary.require()
        let nsupdate = try Peer.require("nsupdate")
        let s = try Setup()
        defer { try? FileManager.default.removeItem(at: s.dir) }
        let text = try String(contentsOfFile: s.config, encoding: .utf8)
        try text.replacingOccurrences(of: "allow-update = [{ address = \"127.0.0.1/32\" }]\n", with: "")
            .write(toFile: s.config, atomically: true, encoding: .utf8)
        let pid = try s.start(hanon)
        defer { kill(pid, SIGKILL); _ = waitpid(pid, nil, 0) }
        #expect(await s.waitUntilServing(), "\(s.logText)")
        #expect(try s.nsupdate(nsupdate, ["update add new.upd.test 60 A 192.0.2.7"]) == "REFUSED")
        #expect(await s.ask("new.upd.test.", .a) == [])
    }

    /// Issue 4 item 5: a stream of updates (one nsupdate sending them back to
    /// back), `kill -9` at a random moment, restart: every update nsupdate saw
    /// acknowledged is served. Three kill points, the journal growing across them.
    @Test func killNineLosesNoAcknowledgedUpdate() async throws {
        let hanon = try HanonBinary.require()
        let nsupdate = try Peer.require("nsupdate")
        let s = try Setup()
        defer { try? FileManager.default.removeItem(at: s.dir) }
        var acknowledged: [Int] = []
        var sent = 0
        for round in 0..<3 {
            let pid = try s.start(hanon)
            #expect(await s.waitUntilServing(), "\(s.logText)")
            var lost: [Int] = []
            for i in acknowledged where await s.ask("h\(i).upd.test.", .a) != ["192.0.2.\(i % 250 + 1)"] {
                lost.append(i)
            }
            #expect(
                lost.isEmpty,
                "round \(round): lost \(lost.count) of \(acknowledged.count): \(lost.prefix(20))\n\(s.logText)")
            let first = sent
            sent += 400
            var script = "server 127.0.0.1 \(s.port)\nzone upd.test\n"
            for i in first..<sent { script += "update add h\(i).upd.test 60 A 192.0.2.\(i % 250 + 1)\nsend\n" }
            let delay = Int.random(in: 200...1500)
            let killer = Task.detached {
                try? await Task.sleep(for: .milliseconds(delay))
                kill(pid, SIGKILL)
            }
            // One stream, line-buffered, so each update's lines stay in order.
            let result = try runProcess(
                "/bin/sh", ["-c", "stdbuf -oL -eL \(nsupdate) -d -t 1 -u 1 -r 0 2>&1"], input: script, timeout: 120)
            await killer.value
            _ = waitpid(pid, nil, 0)
            let acked = Self.acknowledgedHosts(in: result.stdout)
            #expect(acked.allSatisfy { (first..<sent).contains($0) })
            acknowledged += acked
        }
        print("kill -9 test: \(acknowledged.count) acknowledged of \(sent) sent over 3 kills")
        #expect(acknowledged.count > 3, "too few updates before the kills to mean anything")
        let pid = try s.start(hanon)
        defer { kill(pid, SIGKILL); _ = waitpid(pid, nil, 0) }
        #expect(await s.waitUntilServing(), "\(s.logText)")
        var lost: [Int] = []
        for i in acknowledged where await s.ask("h\(i).upd.test.", .a) != ["192.0.2.\(i % 250 + 1)"] {
            lost.append(i)
        }
        #expect(lost.isEmpty, "lost \(lost.count) of \(acknowledged.count): \(lost.prefix(20))\n\(s.logText)")
    }

    /// The hosts `hN` whose update `nsupdate -d` printed a NOERROR reply for,
    /// matched by message ID: an outgoing update prints its header (with the
    /// ID) and then its host; its reply prints "Reply from update query:" and
    /// a header with the same ID and the status.
    static func acknowledgedHosts(in output: String) -> [Int] {
        var hostOfID: [String: Int] = [:]
        var lastID: String? = nil
        var inReply = false
        var hosts: [Int] = []
        for line in output.split(separator: "\n") {
            if line.contains("Reply from update query") {
                inReply = true
            } else if line.contains("->>HEADER<<-"), let range = line.range(of: "id:") {
                let id = line[range.upperBound...].trimmingCharacters(in: .whitespaces)
                if inReply {
                    inReply = false
                    if line.contains("status: NOERROR"), let host = hostOfID[id] { hosts.append(host) }
                } else {
                    lastID = id
                }
            } else if line.hasPrefix("h"), let dot = line.firstIndex(of: "."), line[dot...].hasPrefix(".upd.test."),
                let id = lastID, let host = Int(line[line.index(after: line.startIndex)..<dot])
            {
                hostOfID[id] = host
            }
        }
        return hosts
    }
}
