// SPDX-License-Identifier: Apache-2.0

import DNSAuthority
import DNSCore
import DNSTransport
import Foundation
import HanonServer
import Logging
import NIOCore
import Testing

/// Signed answers against NSD (issue 5, items 2 and 4): the same zone signed
/// by `hanon zone sign`, `dnssec-signzone` and `ldns-signzone` (NSEC, NSEC3,
/// NSEC3 with Opt-Out) is served by NSD and by hanon as it is, and asked with
/// DO for positive, NXDOMAIN, NODATA, empty non-terminal, wildcard, wildcard
/// NODATA, DS, referral (signed and unsigned child) and CNAME-into-NXDOMAIN
/// answers. Responses must be equal as sets of records (rcode, AA, TC, each
/// section), RRSIGs and NSEC/NSEC3 proofs included.
@Suite(.serialized) struct NSDDenialDifferentialTests {
    static let zoneText = """
        $ORIGIN example.
        $TTL 3600
        @ SOA ns1 hostmaster 2026112901 7200 900 1209600 300
        @ NS ns1
        ns1 A 192.0.2.1
        www A 192.0.2.2
        www AAAA 2001:db8::2
        *.wild TXT "wildcard"
        *.wc CNAME www
        a.b.ent A 192.0.2.3
        secure NS ns.secure
        secure DS 12345 13 2 49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE4A6AC2E73F6D9C0B34E5B6A9
        ns.secure A 192.0.2.4
        insecure NS ns.insecure
        ns.insecure A 192.0.2.5
        deep.ent2 NS ns.other.test.
        alias CNAME nowhere
        walias CNAME x.wild

        """

    static let questions: [(String, RecordType)] = [
        ("www.example.", .a), ("example.", .soa), ("example.", .dnskey), ("example.", .ns),
        ("nothere.example.", .a), ("a.b.c.example.", .a), ("x.www.example.", .a), ("zzz.example.", .a),
        ("www.example.", .txt), ("example.", .txt), ("ns1.example.", .mx),
        ("b.ent.example.", .a), ("ent.example.", .a), ("wild.example.", .a), ("ent2.example.", .a),
        ("x.wild.example.", .txt), ("x.y.wild.example.", .txt), ("x.wild.example.", .a), ("a.wc.example.", .a),
        ("a.wc.example.", .txt), ("alias.example.", .a), ("walias.example.", .txt),
        ("secure.example.", .ds), ("insecure.example.", .ds), ("deep.ent2.example.", .ds),
        ("www.secure.example.", .a), ("secure.example.", .ns), ("www.insecure.example.", .a),
        ("insecure.example.", .a), ("x.deep.ent2.example.", .a),
    ]

    enum Signer: String, CaseIterable, Sendable {
        case hanonNSEC, hanonNSEC3, hanonOptOut, bindNSEC, bindNSEC3, bindOptOut, ldnsNSEC, ldnsNSEC3, ldnsOptOut
    }

    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hanon-denial-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Signs the zone with `signer` in `directory`; returns the signed file.
    func sign(_ signer: Signer, in directory: URL) throws -> String {
        let zoneFile = directory.appendingPathComponent("example.zone").path
        try Self.zoneText.write(toFile: zoneFile, atomically: true, encoding: .utf8)
        let signed = directory.appendingPathComponent("example.signed").path
        switch signer {
        case .hanonNSEC, .hanonNSEC3, .hanonOptOut:
            let hanon = try HanonBinary.require()
            let extra: [String] =
                signer == .hanonNSEC ? [] : signer == .hanonNSEC3 ? ["--nsec3"] : ["--nsec3", "--opt-out"]
            let result = try runProcess(
                hanon,
                [
                    "zone", "sign", zoneFile, "--origin", "example.", "--keys",
                    directory.appendingPathComponent("keys").path,
                    "-o", signed,
                ] + extra)
            #expect(result.status == 0, "hanon zone sign: \(result.stderr)")
        case .bindNSEC, .bindNSEC3, .bindOptOut:
            let keygen = try Peer.require("dnssec-keygen")
            let signzone = try Peer.require("dnssec-signzone")
            let ksk = try runProcess(keygen, ["-K", directory.path, "-a", "ECDSAP256SHA256", "-f", "KSK", "example."])
            let zsk = try runProcess(keygen, ["-K", directory.path, "-a", "ECDSAP256SHA256", "example."])
            #expect(ksk.status == 0 && zsk.status == 0, "dnssec-keygen: \(ksk.stderr)\(zsk.stderr)")
            let extra: [String] = signer == .bindNSEC ? [] : signer == .bindNSEC3 ? ["-3", "-"] : ["-3", "-", "-A"]
            let result = try runProcess(
                signzone,
                ["-S", "-K", directory.path, "-d", directory.path, "-o", "example.", "-f", signed] + extra + [zoneFile])
            #expect(result.status == 0, "dnssec-signzone: \(result.stderr)")
        case .ldnsNSEC, .ldnsNSEC3, .ldnsOptOut:
            let keygen = try Peer.require("ldns-keygen")
            let signzone = try Peer.require("ldns-signzone")
            let made = try runProcess(
                "/bin/sh", ["-c", "cd '\(directory.path)' && exec '\(keygen)' -a ECDSAP256SHA256 -k example."])
            #expect(made.status == 0, "ldns-keygen: \(made.stderr)")
            let key = directory.appendingPathComponent(made.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
            let extra: [String] = signer == .ldnsNSEC ? [] : signer == .ldnsNSEC3 ? ["-n"] : ["-n", "-p"]
            let result = try runProcess(
                "/bin/sh",
                [
                    "-c",
                    "cd '\(directory.path)' && exec '\(signzone)' " + extra.joined(separator: " ")
                        + " -f '\(signed)' '\(zoneFile)' '\(key.path)'",
                ])
            #expect(result.status == 0, "ldns-signzone: \(result.stderr)")
        }
        return signed
    }

    static func startHanon(_ file: String) async throws -> HanonServer {
        let settings = ServerSettings(
            listen: ["127.0.0.1:0"], threads: 2, zones: [ZoneSource(name: "example.", file: file)],
            authority: AuthorityOptions(additionalForMailAndServices: false))
        let server = HanonServer(settings: settings, logger: Logger(label: "denial-differential"))
        try await server.start()
        #expect(server.servedZones.count == 1, "hanon did not load the signed zone")
        return server
    }

    @Test(
        .enabled(
            if: Peer.isCI
                || Peer.available("nsd", "dnssec-keygen", "dnssec-signzone", "ldns-keygen", "ldns-signzone")),
        arguments: Signer.allCases)
    func signedAnswersMatchNSD(_ signer: Signer) async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let signed = try sign(signer, in: directory)
        let nsd = try await NSDZoneServer.start(zones: [("example.", signed)])
        defer { nsd.stop() }
        let hanon = try await Self.startHanon(signed)
        defer { Task { await hanon.shutdown() } }
        let hanonAddress = try #require(hanon.listeners.first { $0.transport == .udp }).address

        let cases = Self.questions.flatMap { q in
            [QueryMode.dnssecOK, .udp, .tcp].map { DifferentialCase(name: q.0, type: q.1, mode: $0) }
        }
        let results = try await askBoth(
            cases, nsd: try SocketAddress(ipAddress: "127.0.0.1", port: nsd.port), hanon: hanonAddress)
        var failures: [String] = []
        for (item, a, b) in results {
            guard let a, let b else {
                failures.append("\(item): no answer (NSD \(a != nil), hanon \(b != nil))")
                continue
            }
            if a != b { failures.append("\(item):\n  NSD   \(a.summary)\n  hanon \(b.summary)") }
        }
        if !failures.isEmpty {
            Issue.record(
                "\(signer): \(failures.count) of \(cases.count) differ:\n\(failures.prefix(12).joined(separator: "\n"))"
            )
        }
        // The proofs were there to compare.
        let nx = results.first { $0.0.name == "nothere.example." && $0.0.mode == .dnssecOK }?.2
        #expect(nx?.authority.contains { $0.contains(" NSEC") } == true, "\(signer): no proof in NXDOMAIN")
    }
}
