// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSSEC
import DNSZone
import Foundation
import Testing

/// hanon's zone signer against BIND's and ldns's verifiers, and hanon's
/// verifier against BIND's and ldns's signers.
@Suite struct DNSSECSignInteropTests {
    /// Delegations (secure and insecure, one below an empty non-terminal),
    /// glue, empty non-terminals, a wildcard, a CNAME.
    static let zoneText = """
        $ORIGIN example.
        $TTL 3600
        @ SOA ns1 hostmaster 2026112901 7200 900 1209600 300
        @ NS ns1
        @ NS ns2
        @ MX 10 mail
        @ TXT "v=spf1 -all"
        ns1 A 192.0.2.1
        ns2 A 192.0.2.2
        ns2 AAAA 2001:db8::2
        mail A 192.0.2.3
        www A 192.0.2.4
        www AAAA 2001:db8::4
        alias CNAME www
        *.wild TXT "wildcard"
        *.wild MX 10 mail
        a.b.c.ent A 192.0.2.5
        sub NS ns.sub
        ns.sub A 192.0.2.6
        secure NS ns.secure
        secure DS 12345 13 2 49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE4A6AC2E73F6D9C0B34E5B6A9
        ns.secure A 192.0.2.7
        deep.ent2 NS ns.other.test.
        Upper.Case A 192.0.2.8
        """

    static let algorithms = ["ECDSAP256SHA256", "ECDSAP384SHA384", "ED25519", "RSASHA256"]

    enum Denial: String, CaseIterable, Sendable {
        case nsec, nsec3, nsec3OptOut
        var arguments: [String] {
            switch self {
            case .nsec: []
            case .nsec3: ["--nsec3"]
            case .nsec3OptOut: ["--nsec3", "--opt-out"]
            }
        }
    }

    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hanon-sign-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Signs the test zone with `hanon zone sign`; returns the signed file.
    func hanonSign(in directory: URL, arguments: [String]) throws -> String {
        let hanon = try HanonBinary.require()
        let zoneFile = directory.appendingPathComponent("example.zone").path
        try Self.zoneText.write(toFile: zoneFile, atomically: true, encoding: .utf8)
        let signed = directory.appendingPathComponent("example.signed").path
        let result = try runProcess(
            hanon,
            [
                "zone", "sign", zoneFile, "--origin", "example.", "--keys",
                directory.appendingPathComponent("keys").path,
                "-o", signed,
            ] + arguments)
        #expect(result.status == 0, "hanon zone sign: \(result.stderr)")
        return signed
    }

    @Test(
        .enabled(if: Peer.isCI || Peer.available("dnssec-verify", "ldns-verify-zone")),
        arguments: algorithms, Denial.allCases)
    func hanonSignedZoneVerifies(algorithm: String, denial: Denial) throws {
        let verify = try Peer.require("dnssec-verify")
        let ldns = try Peer.require("ldns-verify-zone")
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let signed = try hanonSign(in: directory, arguments: ["--algorithm", algorithm] + denial.arguments)
        // One combined signing key: -z, the KSK flag does not restrict it.
        let bind = try runProcess(verify, ["-z", "-o", "example.", signed])
        #expect(bind.status == 0, "dnssec-verify: \(bind.stdout)\(bind.stderr)")
        let nlnet = try runProcess(ldns, [signed])
        #expect(nlnet.status == 0, "ldns-verify-zone: \(nlnet.stdout)\(nlnet.stderr)")
    }

    /// KSK + ZSK: dnssec-verify without -z checks that the KSK signs the DNSKEY RRset.
    @Test(.enabled(if: Peer.isCI || Peer.available("dnssec-verify")), arguments: [Denial.nsec, .nsec3])
    func splitKeysVerify(denial: Denial) throws {
        let verify = try Peer.require("dnssec-verify")
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let signed = try hanonSign(in: directory, arguments: ["--split-keys"] + denial.arguments)
        let bind = try runProcess(verify, ["-o", "example.", signed])
        #expect(bind.status == 0, "dnssec-verify: \(bind.stdout)\(bind.stderr)")
    }

    /// `hanon dnssec ds` prints the DS that `dnssec-dsfromkey -2` computes.
    @Test(.enabled(if: Peer.isCI || Peer.available("dnssec-dsfromkey")))
    func dsMatchesDNSSECDSFromKey() throws {
        let dsfromkey = try Peer.require("dnssec-dsfromkey")
        let hanon = try HanonBinary.require()
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try hanonSign(in: directory, arguments: [])
        let keys = directory.appendingPathComponent("keys").path
        let ours = try runProcess(hanon, ["dnssec", "ds", "example.", "--keys", keys])
        #expect(ours.status == 0, "\(ours.stderr)")
        let keyFile = try #require(
            try FileManager.default.contentsOfDirectory(atPath: keys).first { $0.hasSuffix(".key") })
        let bind = try runProcess(dsfromkey, ["-2", keys + "/" + keyFile])
        #expect(bind.status == 0, "\(bind.stderr)")
        let normalize = { (text: String) -> String in
            text.uppercased().split(whereSeparator: \.isWhitespace).filter { $0 != "IN" && $0 != "3600" }
                .joined(separator: " ")
        }
        let dsLine = ours.stdout.split(separator: "\n").first { $0.contains(" DS ") }.map(String.init) ?? ""
        #expect(normalize(dsLine) == normalize(bind.stdout))
        #expect(ours.stdout.contains(" DNSKEY 257 3 13 "))
    }

    /// Zones signed by `dnssec-signzone` with `dnssec-keygen` keys: every
    /// RRSIG verifies with hanon's verifier, and hanon loads BIND's key files.
    @Test(
        .enabled(if: Peer.isCI || Peer.available("dnssec-keygen", "dnssec-signzone")),
        arguments: [
            "ECDSAP256SHA256", "ECDSAP384SHA384", "ED25519", "RSASHA256", "RSASHA1", "NSEC3RSASHA1", "RSASHA512",
        ]
    )
    func bindSignedZoneVerifiesWithHanon(algorithm: String) throws {
        let keygen = try Peer.require("dnssec-keygen")
        let signzone = try Peer.require("dnssec-signzone")
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var keyArguments = ["-K", directory.path, "-a", algorithm]
        if algorithm.contains("RSA") { keyArguments += ["-b", "2048"] }
        let ksk = try runProcess(keygen, keyArguments + ["-f", "KSK", "example."])
        let zsk = try runProcess(keygen, keyArguments + ["example."])
        #expect(ksk.status == 0 && zsk.status == 0, "dnssec-keygen: \(ksk.stderr)\(zsk.stderr)")
        let zoneFile = directory.appendingPathComponent("example.zone").path
        try Self.zoneText.write(toFile: zoneFile, atomically: true, encoding: .utf8)
        let signedFile = directory.appendingPathComponent("example.signed").path
        var nsec3: [String] = []
        if algorithm != "RSASHA1" { nsec3 = ["-3", "-"] }
        let sign = try runProcess(
            signzone,
            ["-S", "-K", directory.path, "-d", directory.path, "-o", "example.", "-f", signedFile] + nsec3 + [zoneFile])
        #expect(sign.status == 0, "dnssec-signzone: \(sign.stderr)")

        let keys = try KeyStore.load(zone: DomainName("example."), directory: directory.path)
        #expect(keys.count == 2)
        try verifyAll(signedFile: signedFile, expectedKeyTags: Set(keys.map(\.keyTag)))
    }

    /// The same with `ldns-keygen` and `ldns-signzone`.
    @Test(
        .enabled(if: Peer.isCI || Peer.available("ldns-keygen", "ldns-signzone")),
        arguments: ["ECDSAP256SHA256", "ED25519", "RSASHA256"])
    func ldnsSignedZoneVerifiesWithHanon(algorithm: String) throws {
        let keygen = try Peer.require("ldns-keygen")
        let signzone = try Peer.require("ldns-signzone")
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var arguments = ["-a", algorithm, "-k"]
        if algorithm.contains("RSA") { arguments += ["-b", "2048"] }
        let made = try runProcessIn(directory, keygen, arguments + ["example."])
        #expect(made.status == 0, "ldns-keygen: \(made.stderr)")
        let base = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let zoneFile = directory.appendingPathComponent("example.zone").path
        try Self.zoneText.write(toFile: zoneFile, atomically: true, encoding: .utf8)
        let signedFile = directory.appendingPathComponent("example.signed").path
        let sign = try runProcessIn(
            directory, signzone, ["-n", "-f", signedFile, zoneFile, directory.appendingPathComponent(base).path])
        #expect(sign.status == 0, "ldns-signzone: \(sign.stderr)")
        try verifyAll(signedFile: signedFile, expectedKeyTags: nil)
    }

    /// Runs a program in `directory` (ldns-keygen writes its files into the
    /// current directory) through `sh -c 'cd DIR && exec …'`, leaving this
    /// process's directory alone (other suites run in parallel).
    func runProcessIn(_ directory: URL, _ path: String, _ arguments: [String]) throws -> ProcessResult {
        let quoted = ([path] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let script = "cd '\(directory.path)' && exec " + quoted.joined(separator: " ")
        return try runProcess("/bin/sh", ["-c", script])
    }

    /// Parses a signed zone and checks every RRSIG with hanon's verifier.
    func verifyAll(signedFile: String, expectedKeyTags: Set<UInt16>?) throws {
        let origin: DomainName = "example."
        let parsed = ZoneFileParser().parse(file: signedFile, origin: origin)
        #expect(parsed.errors.isEmpty, "\(parsed.errors.prefix(3))")
        var sets: [String: [RDATA]] = [:]
        var dnskeys: [RDATA.DNSKEY] = []
        for r in parsed.records where r.type != .rrsig {
            sets["\(r.name.lowercased()) \(r.type)", default: []].append(r.rdata)
            if case .dnskey(let key) = r.rdata, r.name == origin { dnskeys.append(key) }
        }
        if let expectedKeyTags { #expect(Set(dnskeys.map(\.keyTag)).isSuperset(of: expectedKeyTags)) }
        var verified = 0
        var failures: [String] = []
        let now = UInt32(Date().timeIntervalSince1970)
        for r in parsed.records {
            guard case .rrsig(let sig) = r.rdata else { continue }
            let rdata = sets["\(r.name.lowercased()) \(sig.typeCovered)"] ?? []
            do {
                try DNSSEC.verify(
                    rrsig: sig, owner: r.name, dnsClass: r.dnsClass, rdata: rdata, keys: dnskeys, keyOwner: origin,
                    now: now)
                verified += 1
            } catch {
                failures.append("\(r.name) \(sig.typeCovered): \(error)")
            }
        }
        #expect(failures.isEmpty, "\(failures.prefix(5))")
        #expect(verified > 20)
    }
}
