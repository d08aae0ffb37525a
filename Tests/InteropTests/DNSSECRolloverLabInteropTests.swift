// SPDX-License-Identifier: Apache-2.0

import Foundation
import Testing

/// Issue 5's "stays secure at every step of a CSK rollover" (and of a KSK
/// rollover) through ../shared/lab/fake-internet, with a parent zone of our
/// own: hanon serves a signed `par.test` (its DS in the lab's `test.`) and
/// its children `csk.par.test` (CSK) and `ksk.par.test` (KSK + ZSK), both
/// with a 60 s ksk-lifetime. The script plays the parent's operator: it puts
/// each new DS into par.test by a TSIG-signed UPDATE (nsupdate, from `hanon
/// dnssec ds` and `hanon dnssec status`) and takes the old one out when the
/// lifecycle withdraws it; the children confirm the new DS by asking
/// par.test's server (`parent-ds-check`). Unbound, delv and hanon's
/// resolver validate every answer at every step. The steps are in
/// Tests/Fixtures/lab/dnssec-rollover-lab.sh, run under
/// `flock /tmp/fake-internet.lock` (one lab per machine).
@Suite("CSK and KSK rollovers validated through the fake internet", .serialized)
struct DNSSECRolloverLabInteropTests {
    @Test(
        .enabled(if: DNSSECLabInteropTests.canRun && (Peer.isCI || Peer.available("nsupdate"))), .timeLimit(.minutes(8))
    )
    func cskAndKSKRolloversWithTheDSPutAtAParentWeServe() throws {
        let hanon = try HanonBinary.require()
        for program in [
            "nsd", "ldns-signzone", "dnssec-signzone", "unbound", "delv", "dig", "nsupdate", "python3", "flock", "ss",
        ] {
            _ = try Peer.require(program)
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "hanon-rollover-lab-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = packageRoot.appendingPathComponent("Tests/Fixtures/lab/dnssec-rollover-lab.sh").path
        let lab = labRoot.appendingPathComponent("fake-internet").path
        let port = Int.random(in: 20000..<32000)
        let run = try runProcess(
            "/usr/bin/flock", ["/tmp/fake-internet.lock", "sh", script, hanon, lab, dir.path, String(port)],
            timeout: 420)  // the script takes ~100 s; the rest is for waiting on the lab's lock
        let log = (try? String(contentsOf: dir.appendingPathComponent("auth.log"), encoding: .utf8)) ?? ""
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)\nhanon log:\n\(log.suffix(4000))")
        #expect(run.stdout.contains("ALL PASSED"), "\(run.stdout)")
        // Each child rolled: a key removed with its DS withdrawn, its successor's DS seen by the parent check.
        let lines = log.split(separator: "\n")
        for zone in ["csk.par.test", "ksk.par.test"] {
            func logged(_ parts: String...) -> Bool {
                lines.contains { line in line.contains("zone \(zone).: ") && parts.allSatisfy { line.contains($0) } }
            }
            #expect(logged("rollover of key"), "\(zone): \(log.suffix(3000))")
            #expect(logged("DS of \(zone). key", "seen at every parent server"), "\(zone)")
            #expect(logged("removed; DS withdrawn"), "\(zone)")
        }
        print(
            run.stdout.split(separator: "\n").filter {
                $0.hasPrefix("step ") || $0.hasPrefix("time:") || $0.hasPrefix("setup:") || $0.hasPrefix("  ")
            }.joined(separator: "\n"))
    }
}
