// SPDX-License-Identifier: Apache-2.0

import DNSCore
import Foundation
import Testing

/// `hanon serve` runs the DDNS updater: it detects the address (a command here), updates a
/// record on a Knot primary with a TSIG-signed UPDATE, keeps the state on disk, and after a
/// restart does not send the unchanged address again; `hanon ddns status` reports it.
@Suite(.serialized) struct DDNSServeInteropTests {
    @Test func serveUpdatesARecordAndARestartDoesNotResend() async throws {
        let hanon = try HanonBinary.require()
        let knot = try await DDNSRFC2136InteropTests.knot()
        defer { knot.stop() }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hanon-ddns-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: dir.appendingPathComponent("data"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let port = Int.random(in: 20000...32000)
        let config = """
            data = "data"
            [dns]
            listen = ["127.0.0.1:\(port)"]

            [[key]]
            name = "ddns-key"
            secret = "\(DDNSRFC2136InteropTests.secret)"

            [ddns]
            interval = "10s"
            allow-private = true

            [ddns.ipv4]
            command = ["/bin/echo", "wan address 192.0.2.77"]

            [[ddns.record]]
            name = "home.ddns.test"
            provider = "rfc2136"
            server = "127.0.0.1:\(knot.port)"
            zone = "ddns.test"
            key = "ddns-key"
            ipv6 = false

            """
        let file = dir.appendingPathComponent("hanon.toml").path
        try config.write(toFile: file, atomically: true, encoding: .utf8)

        let pid = try spawnDaemon(
            hanon, ["serve", "--config", file], output: dir.appendingPathComponent("serve.log").path)
        var shown = ""
        for _ in 0..<100 {
            shown = try await DDNSRFC2136InteropTests.dig(knot, "home.ddns.test", "A")
            if shown == "192.0.2.77" { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        stopDaemon(pid)
        let log = (try? String(contentsOf: dir.appendingPathComponent("serve.log"), encoding: .utf8)) ?? ""
        #expect(shown == "192.0.2.77", "serve log: \(log.suffix(2000))")

        let status = try runProcess(hanon, ["ddns", "status", "--config", file])
        #expect(status.status == 0)
        #expect(status.stdout.contains("ipv4: 192.0.2.77 from command"))
        #expect(status.stdout.contains("home.ddns.test at rfc2136"))
        #expect(status.stdout.contains("sent: 192.0.2.77"))
        let stateFile = dir.appendingPathComponent("data/ddns-state.json").path
        let before = try String(contentsOfFile: stateFile, encoding: .utf8)
        #expect(before.contains("\"lastAttempt\""))

        // Restart: the address is unchanged, so nothing is sent (the last attempt stays).
        let again = try spawnDaemon(
            hanon, ["serve", "--config", file], output: dir.appendingPathComponent("serve2.log").path)
        try await Task.sleep(for: .seconds(3))
        stopDaemon(again)
        let log2 = (try? String(contentsOf: dir.appendingPathComponent("serve2.log"), encoding: .utf8)) ?? ""
        #expect(!log2.contains("sending"), "\(log2.suffix(2000))")
        let after = try DDNSStateLastAttempt.read(stateFile)
        #expect(after == (try DDNSStateLastAttempt.read(before: before)))
    }
}

/// The `lastAttempt` field of the state file's only record.
enum DDNSStateLastAttempt {
    static func read(_ path: String) throws -> String? {
        try read(before: String(contentsOfFile: path, encoding: .utf8))
    }

    static func read(before text: String) throws -> String? {
        guard let range = text.range(of: "\"lastAttempt\" : \"") else { return nil }
        return String(text[range.upperBound...].prefix { $0 != "\"" })
    }
}
