// SPDX-License-Identifier: Apache-2.0

import Foundation
import Testing

/// nsupdate against a zone hanon signs (`dnssec = true`): changes of DNSKEY,
/// CDS, CDNSKEY, NSEC3PARAM, RRSIG, NSEC or NSEC3 are REFUSED and change
/// nothing (as Knot answers them); deleting everything at the apex leaves
/// the keys; the zone still verifies.
@Suite(.serialized) struct UpdateSignedZoneInteropTests {
    static let key = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+Pw=="

    static let refused: [String] = [
        "update add sig.test. 300 DNSKEY 256 3 13 \(key)",
        "update delete sig.test. DNSKEY",
        "update delete sig.test. CDS",
        "update add sig.test. 300 CDNSKEY 0 3 0 AA==",
        "update add sig.test. 300 NSEC3PARAM 1 0 0 -",
        "update delete www.sig.test. RRSIG",
        "update delete www.sig.test. NSEC",
    ]

    @Test(.enabled(if: Peer.isCI || Peer.available("dig", "nsupdate", "dnssec-verify", "ldns-verify-zone")))
    func dnssecRecordsAreRefusedByNsupdate() async throws {
        let hanon = try HanonBinary.require()
        let dig = try Peer.require("dig")
        let nsupdate = try Peer.require("nsupdate")
        let s = try DNSSECServeInteropTests.Setup(dnssec: "dnssec = true")
        defer { try? FileManager.default.removeItem(at: s.dir) }
        let pid = try s.start(hanon)
        defer { kill(pid, SIGKILL); _ = waitpid(pid, nil, 0) }
        #expect(try await s.waitUntilServing(dig), "\(s.logText)")
        func apex(_ type: String) throws -> [String] {
            try s.dig(dig, ["+short", "sig.test.", type]).split(separator: "\n").map(String.init).sorted()
        }
        let dnskeys = try apex("DNSKEY")
        let cds = try apex("CDS")
        #expect(!dnskeys.isEmpty && !cds.isEmpty, "the signer publishes DNSKEY and CDS")
        let serial = try s.serial(dig)

        for line in Self.refused {
            let script = ["server 127.0.0.1 \(s.port)", "zone sig.test", line, "send", ""].joined(separator: "\n")
            let run = try runProcess(nsupdate, ["-t", "3"], input: script, timeout: 30)
            #expect(run.status != 0, "\(line): \(run.stdout)\(run.stderr)")
            #expect((run.stdout + run.stderr).contains("REFUSED"), "\(line): \(run.stdout)\(run.stderr)")
        }
        #expect(try apex("DNSKEY") == dnskeys)
        #expect(try apex("CDS") == cds)
        #expect(try apex("NSEC3PARAM").isEmpty)
        #expect(try s.serial(dig) == serial, "nothing changed")
        #expect(s.logText.contains("in a zone hanon signs"), "\(s.logText)")

        // Everything at the apex deleted (SOA, NS and the signer's records stay) and a name added: accepted.
        #expect(try s.nsupdate(nsupdate, ["update delete sig.test.", "update add new.sig.test. 60 A 192.0.2.10"]) == 0)
        #expect(try apex("DNSKEY") == dnskeys)
        #expect(try apex("MX").isEmpty, "the apex MX is gone")
        #expect(try s.dig(dig, ["+short", "new.sig.test.", "A"]).contains("192.0.2.10"))
        let verify = try Peer.require("dnssec-verify")
        let file = try s.transfer(dig, to: "after.zone")
        let bind = try runProcess(verify, ["-z", "-o", "sig.test.", file])
        #expect(bind.status == 0, "dnssec-verify: \(bind.stdout)\(bind.stderr)")
    }
}
