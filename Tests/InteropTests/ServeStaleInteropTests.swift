// SPDX-License-Identifier: Apache-2.0

import Foundation
import Testing

/// Serve-stale end to end: `hanon serve` with a `[resolver]` forwarding
/// `stale.test.` to an NSD answers a 2-second name; NSD is killed; after
/// the expiry dig gets the stale answer with TTL 30 and EDE 3.
@Suite(.serialized) struct ServeStaleInteropTests {
    static let zone = """
        $ORIGIN stale.test.
        $TTL 300
        @    SOA ns hostmaster 1 3600 600 86400 60
             NS  ns
        ns   A   192.0.2.53
        www  2 A 192.0.2.7

        """

    static func dig(_ dig: String, port: Int, _ name: String) async throws -> String {
        try await runProcessOffThePool(dig, ["@127.0.0.1", "-p", "\(port)", name, "A", "+tries=1", "+time=3"]).stdout
    }

    /// The TTLs of the A records of dig's answer section.
    static func answerTTLs(_ output: String) -> [String] {
        output.split(separator: "\n").filter { !$0.hasPrefix(";") }.compactMap { line in
            let fields = line.split(whereSeparator: \.isWhitespace)
            guard fields.count == 5, fields[2] == "IN", fields[3] == "A" else { return nil }
            return String(fields[1])
        }
    }

    @Test func aKilledAuthorityLeavesTheStaleAnswerWithEDE3() async throws {
        let hanon = try HanonBinary.require()
        let dig = try Peer.require("dig")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hanon-stale-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: dir.appendingPathComponent("data"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let zoneFile = dir.appendingPathComponent("stale.test.zone").path
        try Self.zone.write(toFile: zoneFile, atomically: true, encoding: .utf8)
        let nsd = try await NSDZoneServer.start(zones: [("stale.test.", zoneFile)])
        defer { nsd.stop() }

        let port = Int.random(in: 20000...32000)
        let config = """
            data = "data"
            [dns]
            listen = ["127.0.0.1:\(port + 1)"]
            [resolver]
            listen = ["127.0.0.1:\(port)"]
            dnssec = false
            serve-stale = true
            stale-answer-ttl = "30s"
            [[resolver.forward]]
            zone = "stale.test"
            servers = ["127.0.0.1:\(nsd.port)"]

            """
        let file = dir.appendingPathComponent("hanon.toml").path
        try config.write(toFile: file, atomically: true, encoding: .utf8)
        let log = dir.appendingPathComponent("serve.log").path
        let pid = try spawnDaemon(hanon, ["serve", "--config", file], output: log)
        defer { stopDaemon(pid) }

        var fresh = ""
        for _ in 0..<50 {
            fresh = (try? await Self.dig(dig, port: port, "www.stale.test.")) ?? ""
            if fresh.contains("192.0.2.7") { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let serveLog = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        try #require(fresh.contains("status: NOERROR"), "hanon: \(serveLog.suffix(2000))\n\(fresh)")
        #expect(["2", "1"].contains(Self.answerTTLs(fresh).first ?? ""), "\(fresh)")
        #expect(!fresh.contains("EDE:"))

        nsd.stop(removeDirectory: false)
        try await Task.sleep(for: .milliseconds(2500))
        let stale = try await Self.dig(dig, port: port, "www.stale.test.")
        #expect(stale.contains("status: NOERROR"), "\(stale)")
        #expect(stale.contains("EDE: 3 (Stale Answer)"), "\(stale)")
        #expect(stale.contains("192.0.2.7") && Self.answerTTLs(stale) == ["30"], "\(stale)")
    }
}
