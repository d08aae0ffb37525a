// SPDX-License-Identifier: Apache-2.0

import Foundation
import Testing

/// A signed zone across a restart of hanon, against BIND as its secondary:
/// the restart serves the same serial, so BIND transfers nothing; the next
/// update reaches BIND by IXFR, not AXFR; the zone still verifies.
@Suite(.serialized) struct SignedRestartInteropTests {
    @Test(.enabled(if: Peer.isCI || Peer.available("dig", "nsupdate", "named", "ldns-verify-zone")))
    func restartKeepsTheSecondaryOnIXFR() async throws {
        let hanon = try HanonBinary.require()
        let dig = try Peer.require("dig")
        let nsupdate = try Peer.require("nsupdate")
        let named = try Peer.require("named")
        let ldns = try Peer.require("ldns-verify-zone")
        let secondaryPort = TransferInteropTests.randomPorts(1)[0]
        let s = try DNSSECServeInteropTests.Setup(
            dnssec: "dnssec = true", extra: "notify = [\"127.0.0.1:\(secondaryPort)\"]\n")
        defer { try? FileManager.default.removeItem(at: s.dir) }
        var pid = try s.start(hanon)
        defer { stopDaemon(pid) }
        #expect(try await s.waitUntilServing(dig), "\(s.logText)")
        let serial = try #require(try s.serial(dig))

        let secondary = try NamedSecondary(
            named: named, directory: s.dir.path + "/named", zone: "sig.test", port: secondaryPort,
            primaryPort: s.port)
        defer { secondary.stop() }
        #expect(try await Self.waitForSerial(serial, dig: dig, port: secondaryPort), "\(secondary.log)")
        let signature = try s.dig(dig, ["+dnssec", "+short", "www.sig.test.", "A"])

        // Restart: the same serial and the same signatures.
        stopDaemon(pid)
        pid = try s.start(hanon)
        #expect(try await s.waitUntilServing(dig), "\(s.logText)")
        #expect(try s.serial(dig) == serial, "\(s.logText)")
        #expect(try s.dig(dig, ["+dnssec", "+short", "www.sig.test.", "A"]) == signature)
        #expect(s.logText.contains("signed zone from"), "\(s.logText)")

        // An update after the restart: BIND follows by IXFR from the serial it had.
        let before = secondary.log.count
        #expect(try s.nsupdate(nsupdate, ["update add late.sig.test. 300 A 192.0.2.99"]) == 0)
        let next = try #require(try s.serial(dig))
        #expect(next != serial)
        #expect(try await Self.waitForSerial(next, dig: dig, port: secondaryPort), "\(secondary.log)\n\(s.logText)")
        let after = String(secondary.log.dropFirst(before))
        #expect(after.contains("requesting IXFR for serial \(serial)"), "\(after)")
        #expect(after.contains("got incremental response"), "\(after)")
        #expect(!after.contains("got nonincremental response"), "\(after)")
        let copy = try s.transfer(dig, to: "after-restart.zone")
        let verified = try runProcess(ldns, [copy])
        #expect(verified.status == 0, "ldns-verify-zone: \(verified.stdout)\(verified.stderr)")
    }

    /// Polls the server on `port` until it serves `sig.test.` at `serial` (up to 20 s).
    static func waitForSerial(_ serial: UInt32, dig: String, port: Int) async throws -> Bool {
        for _ in 0..<100 {
            let answer = try runProcess(
                dig, ["@127.0.0.1", "-p", "\(port)", "+time=1", "+tries=1", "+short", "sig.test.", "SOA"])
            let fields = answer.stdout.split(separator: " ")
            if fields.count > 2, UInt32(fields[2]) == serial { return true }
            try await Task.sleep(for: .milliseconds(200))
        }
        return false
    }
}
