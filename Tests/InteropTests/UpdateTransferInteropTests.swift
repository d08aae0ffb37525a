// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSTransport
import Foundation
import NIOCore
import Testing

/// The pieces of issue 4 together, against real peers: `nsupdate -y`
/// changes a zone on hanon (the TSIG key is what the update policy checks),
/// hanon NOTIFYs BIND, and BIND — a secondary transferring with another
/// TSIG key — fetches the change by IXFR.
@Suite(.serialized) struct UpdateTransferInteropTests {
    static let ddnsSecret = "ZGRucy1rZXktc2VjcmV0LWZvci10aGUtdGVzdHMtMzI="
    static let xfrSecret = "eGZyLWtleS1zZWNyZXQtZm9yLXRoZS10ZXN0cy0zMi0="

    @Test(.enabled(if: Peer.available("nsupdate", "named")))
    func signedUpdateReachesBINDByIXFR() async throws {
        let hanon = try HanonBinary.require()
        let nsupdate = try Peer.require("nsupdate")
        let named = try Peer.require("named")
        let ports = TransferInteropTests.randomPorts(2)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hanon-upd-xfr-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.path
        try TransferInteropTests.zoneText(serial: 1).write(
            toFile: path + "/xfr.test.zone", atomically: true, encoding: .utf8)
        try """
        data = "."
        [dns]
        listen = ["127.0.0.1:\(ports[0])"]
        threads = 1
        [[key]]
        name = "ddns"
        secret = "\(Self.ddnsSecret)"
        [[key]]
        name = "xfr"
        algorithm = "hmac-sha512"
        secret = "\(Self.xfrSecret)"
        [[zone]]
        name = "xfr.test"
        file = "xfr.test.zone"
        allow-update = [{ key = "ddns", names = ["dyn.xfr.test"], types = ["A"] }]
        allow-transfer = ["key:xfr"]
        notify = ["127.0.0.1:\(ports[1])"]

        """.write(toFile: path + "/hanon.toml", atomically: true, encoding: .utf8)
        let hanonPid = try spawnDaemon(hanon, ["serve", "--config", path + "/hanon.toml"], output: path + "/hanon.log")
        defer { stopDaemon(hanonPid) }
        let hanonLog = { (try? String(contentsOfFile: path + "/hanon.log", encoding: .utf8)) ?? "" }
        #expect(await waitForSerial(1, port: ports[0]), "\(hanonLog())")

        let secondary = try NamedSecondary(
            named: named, directory: path + "/named", zone: "xfr.test", port: ports[1], primaryPort: ports[0],
            key: ("xfr", "hmac-sha512", Self.xfrSecret))
        defer { secondary.stop() }
        let namedLog = { secondary.log }
        #expect(await waitForSerial(1, port: ports[1], seconds: 20), "named did not transfer: \(namedLog())")

        func update(_ key: String?, _ lines: [String]) throws -> ProcessResult {
            let script = (["server 127.0.0.1 \(ports[0])"] + lines + ["send", ""]).joined(separator: "\n")
            let file = path + "/update-\(UUID()).txt"
            try script.write(toFile: file, atomically: true, encoding: .utf8)
            return try runProcess(nsupdate, (key.map { ["-y", $0] } ?? []) + [file])
        }
        // Unsigned: the policy names a key, so REFUSED.
        let unsigned = try update(nil, ["update add dyn.xfr.test. 300 A 192.0.2.70"])
        #expect(unsigned.status != 0)
        #expect(unsigned.stderr.contains("REFUSED"), "\(unsigned.stderr)")
        // The wrong secret: BADSIG, reported by nsupdate; nothing changes.
        let wrong = try update(
            "hmac-sha256:ddns:d3Jvbmctc2VjcmV0LXdyb25nLXNlY3JldC13cm9uZw==",
            ["update add dyn.xfr.test. 300 A 192.0.2.71"])
        #expect(wrong.status != 0)
        // Signed but outside the policy (a TXT record): REFUSED.
        let outside = try update(
            "hmac-sha256:ddns:\(Self.ddnsSecret)", ["update add dyn.xfr.test. 300 TXT \"not allowed\""])
        #expect(outside.status != 0)
        #expect(outside.stderr.contains("REFUSED"), "\(outside.stderr)")
        #expect(await TransferInteropTests.serial(port: ports[0]) == 1)

        // Signed and allowed: applied, journalled, NOTIFY → BIND asks IXFR (signed with the other key).
        let good = try update("hmac-sha256:ddns:\(Self.ddnsSecret)", ["update add dyn.xfr.test. 300 A 192.0.2.77"])
        #expect(good.status == 0, "\(good.stderr)")
        #expect(await waitForSerial(2, port: ports[0]), "\(hanonLog())")
        #expect(await waitForSerial(2, port: ports[1], seconds: 20), "\(namedLog())\n\(hanonLog())")
        #expect(await TransferInteropTests.address(of: "dyn.xfr.test.", port: ports[1]) == "192.0.2.77")
        #expect(namedLog().contains("requesting IXFR for serial 1"), "\(namedLog())")
        #expect(namedLog().contains("got incremental response"), "\(namedLog())")
        #expect(hanonLog().contains("IXFR xfr.test. to 127.0.0.1"), "\(hanonLog())")
    }

    /// hanon as the secondary of another hanon: transfers signed with a
    /// TSIG key on both sides, an update on the primary reaches the
    /// secondary by NOTIFY and IXFR.
    @Test(.enabled(if: Peer.available("nsupdate")))
    func hanonSecondaryOfHanon() async throws {
        let hanon = try HanonBinary.require()
        let nsupdate = try Peer.require("nsupdate")
        let ports = TransferInteropTests.randomPorts(2)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hanon-hanon-\(UUID())")
        let primaryDir = directory.appendingPathComponent("primary")
        let secondaryDir = directory.appendingPathComponent("secondary")
        for dir in [primaryDir, secondaryDir] {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        }
        defer { try? FileManager.default.removeItem(at: directory) }
        try TransferInteropTests.zoneText(serial: 1).write(
            to: primaryDir.appendingPathComponent("xfr.test.zone"), atomically: true, encoding: .utf8)
        let key = "[[key]]\nname = \"xfr\"\nalgorithm = \"hmac-sha384\"\nsecret = \"\(Self.xfrSecret)\"\n"
        try """
        data = "."
        [dns]
        listen = ["127.0.0.1:\(ports[0])"]
        threads = 1
        \(key)
        [[zone]]
        name = "xfr.test"
        file = "xfr.test.zone"
        allow-update = [{ address = "127.0.0.1/32", names = ["*.xfr.test"], types = ["A"] }]
        allow-transfer = ["key:xfr"]
        notify = ["127.0.0.1:\(ports[1])"]

        """.write(to: primaryDir.appendingPathComponent("hanon.toml"), atomically: true, encoding: .utf8)
        try """
        data = "."
        [dns]
        listen = ["127.0.0.1:\(ports[1])"]
        threads = 1
        \(key)
        [[zone]]
        name = "xfr.test"
        primary = ["127.0.0.1:\(ports[0])@key:xfr"]

        """.write(to: secondaryDir.appendingPathComponent("hanon.toml"), atomically: true, encoding: .utf8)
        var pids: [pid_t] = []
        defer { pids.forEach(stopDaemon) }
        for dir in [primaryDir, secondaryDir] {
            pids.append(
                try spawnDaemon(
                    hanon, ["serve", "--config", dir.appendingPathComponent("hanon.toml").path],
                    output: dir.appendingPathComponent("hanon.log").path))
        }
        let log = { (dir: URL) in
            (try? String(contentsOf: dir.appendingPathComponent("hanon.log"), encoding: .utf8)) ?? ""
        }
        #expect(await waitForSerial(1, port: ports[0]), "\(log(primaryDir))")
        #expect(await waitForSerial(1, port: ports[1], seconds: 20), "\(log(secondaryDir))")
        #expect(log(secondaryDir).contains("AXFR"), "\(log(secondaryDir))")

        let script = primaryDir.appendingPathComponent("update.txt").path
        try "server 127.0.0.1 \(ports[0])\nupdate add fresh.xfr.test. 300 A 192.0.2.123\nsend\n".write(
            toFile: script, atomically: true, encoding: .utf8)
        let result = try runProcess(nsupdate, [script])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(await waitForSerial(2, port: ports[1], seconds: 20), "\(log(secondaryDir))\n\(log(primaryDir))")
        #expect(await TransferInteropTests.address(of: "fresh.xfr.test.", port: ports[1]) == "192.0.2.123")
        #expect(log(secondaryDir).contains("IXFR (1 change)"), "\(log(secondaryDir))")
    }
}
