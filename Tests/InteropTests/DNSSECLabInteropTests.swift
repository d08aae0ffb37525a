// SPDX-License-Identifier: Apache-2.0

import Foundation
import Testing

/// Issue 5's end-to-end check through ../shared/lab/fake-internet: zones hanon
/// signs (`dnssec = true`: NSEC with a P-256 CSK; NSEC3 with Ed25519 KSK+ZSK;
/// a third with a 25 s ZSK lifetime), delegated with their DS from the lab's
/// signed `test.` (LAB_EXTRA_DELEGATIONS), validate as secure in Unbound, in
/// `delv` and in hanon's own resolver — positive, NXDOMAIN, NODATA, NODATA at
/// an empty non-terminal, wildcard, wildcard NODATA, DNSKEY — and stay secure
/// at every step of ZSK rollovers (pre-publish) while both resolvers ask.
/// The steps are in Tests/Fixtures/lab/dnssec-lab.sh, run under
/// `flock /tmp/fake-internet.lock` (one lab per machine).
@Suite("Signed zones validated through the fake internet", .serialized)
struct DNSSECLabInteropTests {
    static var canRun: Bool {
        FileManager.default.fileExists(
            atPath: labRoot.appendingPathComponent("fake-internet/up.sh").path) && getuid() == 0
            && (Peer.isCI || Peer.available("nsd", "ldns-signzone", "dnssec-signzone", "unbound", "delv", "python3"))
    }

    @Test(.enabled(if: canRun), .timeLimit(.minutes(5)))
    func validatedByUnboundDelvAndHanonThroughAZSKRollover() throws {
        let hanon = try HanonBinary.require()
        for program in ["nsd", "ldns-signzone", "dnssec-signzone", "unbound", "delv", "dig", "python3", "flock", "ss"] {
            _ = try Peer.require(program)
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hanon-dnssec-lab-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = packageRoot.appendingPathComponent("Tests/Fixtures/lab/dnssec-lab.sh").path
        let lab = labRoot.appendingPathComponent("fake-internet").path
        let port = Int.random(in: 20000..<32000)
        let run = try runProcess(
            "/usr/bin/flock", ["/tmp/fake-internet.lock", "sh", script, hanon, lab, dir.path, String(port)],
            timeout: 280)
        let log = (try? String(contentsOf: dir.appendingPathComponent("auth.log"), encoding: .utf8)) ?? ""
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)\nhanon log:\n\(log.suffix(3000))")
        #expect(run.stdout.contains("ALL PASSED"), "\(run.stdout)")
        print(
            run.stdout.split(separator: "\n").filter { $0.hasPrefix("step ") || $0.hasPrefix("time:") }
                .joined(separator: "\n"))
    }
}
