// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSResolver
import DNSSEC
import DNSTransport
import Foundation
import Logging
import Testing

/// RFC 8198 against the fake internet: after one validated NXDOMAIN under
/// the lab's signed `secure.test.` (NSEC) and `nsec3.test.` (NSEC3), other
/// names in the same spans are answered NXDOMAIN with AD and no upstream
/// query (the resolver's own counter of queries sent). The resolver runs in
/// process with the lab's root hints and trust anchor; the lab is brought up
/// under `flock /tmp/fake-internet.lock` (taken without blocking a thread)
/// in a temporary `LAB_STATE`, and `down.sh` always runs.
@Suite("Aggressive NSEC against the fake internet", .serialized)
struct FakeInternetAggressiveNSECTests {
    /// Arguments for python3 running `command` in `sh` with only standard
    /// input, output and error open: the lab's daemons started by up.sh
    /// outlive it and would otherwise keep the test's output pipes (inherited
    /// without close-on-exec) open, so the wait for their end never returns.
    static func withoutInheritedFiles(_ command: String) -> [String] {
        [
            "-c",
            "import subprocess, sys; sys.exit(subprocess.run(['sh', '-c', sys.argv[1]], close_fds=True).returncode)",
            command,
        ]
    }

    @Test(.enabled(if: FakeInternetResolverTests.canRun), .timeLimit(.minutes(5)))
    func coveredNamesAreAnsweredWithoutAsking() async throws {
        for program in ["nsd", "ldns-signzone", "dnssec-signzone", "python3", "ss"] {
            _ = try Peer.require(program)
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hanon-lab-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let state = dir.appendingPathComponent("state").path
        let lab = FakeInternetResolverTests.lab.path

        let lock = open("/tmp/fake-internet.lock", O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        try #require(lock >= 0)
        defer { close(lock) }
        while flock(lock, LOCK_EX | LOCK_NB) != 0 { try await Task.sleep(for: .milliseconds(500)) }
        defer { flock(lock, LOCK_UN) }
        // Output to files: the lab's daemons inherit it, and a pipe would never reach EOF.
        let upLog = dir.appendingPathComponent("up.log").path
        defer {
            _ = try? runProcess(
                "/usr/bin/python3",
                Self.withoutInheritedFiles("LAB_STATE='\(state)' '\(lab)/down.sh' >/dev/null 2>&1 </dev/null"),
                timeout: 120)
        }
        let up = try runProcess(
            "/usr/bin/python3",
            Self.withoutInheritedFiles("LAB_STATE='\(state)' '\(lab)/up.sh' >'\(upLog)' 2>&1 </dev/null"),
            timeout: 240)
        let upText = (try? String(contentsOfFile: upLog, encoding: .utf8)) ?? ""
        try #require(up.status == 0, "up.sh failed: \(upText)")

        var options = ResolverOptions()
        options.rootHints = try RootHints(parsing: String(contentsOfFile: state + "/root.hints", encoding: .utf8))
        options.allowLoopbackUpstreams = true
        let validator = DNSSECValidator(
            configuration: .init(trustAnchors: try TrustAnchor.load(file: state + "/root.key")))
        let resolver = RecursiveResolver(
            options: options, transport: NIOUpstreamTransport(), validator: validator, logger: Logger(label: "lab"))

        func ask(_ name: String) async throws -> DNSMessage {
            let query = DNSMessage.query(
                id: 7, name: try DomainName(name, origin: .root), type: .a, edns: EDNS(dnssecOK: true))
            return await resolver.resolve(query)
        }
        // (first name, a name in the same span, a name in a span not seen).
        // secure.test.: apex, big, ns1, wild, *.wild, www — nosuch and nothing lie between big and ns1.
        // nsec3.test.: the second name is one whose hash the first answer's NSEC3 records cover.
        for (zone, first) in [("secure.test.", "nosuch.secure.test."), ("nsec3.test.", "nosuch.nsec3.test.")] {
            let response = try await ask(first)
            #expect(response.rcode == .nxDomain && response.header.authenticData, "\(first)")
            let covered: String
            if zone == "secure.test." {
                covered = "nothing.secure.test."
            } else {
                let spans = response.authorities.compactMap { record -> ([UInt8], [UInt8], RDATA.NSEC3)? in
                    guard case .nsec3(let n) = record.rdata, let own = Base32Hex.decode(record.name.firstLabel)
                    else { return nil }
                    return (own, n.nextHashedOwnerName, n)
                }
                let found = (1..<500).map { "n\($0).nsec3.test." }.first { name in
                    guard let n = try? DomainName(name, origin: .root) else { return false }
                    return spans.contains {
                        DNSSEC.nsec3Covers(
                            ownerHash: $0.0, nextHash: $0.1,
                            hash: DNSSEC.nsec3Hash(n, salt: $0.2.salt, iterations: $0.2.iterations))
                    }
                }
                covered = try #require(found)
            }
            let before = resolver.health.counters.upstreamQueries
            let synthesized = resolver.cache.denials.synthesizedCount
            let again = try await ask(covered)
            #expect(again.rcode == .nxDomain && again.header.authenticData, "\(covered)")
            #expect(resolver.health.counters.upstreamQueries == before, "\(covered) was asked upstream")
            #expect(resolver.cache.denials.synthesizedCount == synthesized + 1)
        }
        // A name past www.secure.test. is in the last span (www → apex), not seen yet: asked upstream.
        let before = resolver.health.counters.upstreamQueries
        let outside = try await ask("zzz.secure.test.")
        #expect(outside.rcode == .nxDomain && outside.header.authenticData)
        #expect(resolver.health.counters.upstreamQueries > before)
    }
}
