// SPDX-License-Identifier: Apache-2.0

import DNSCore
import Foundation
import Testing

/// `dnssec = true` in `hanon serve` (issue 5 items 1–3): the zone transferred
/// out of hanon passes `dnssec-verify` and `ldns-verify-zone` for each
/// algorithm with NSEC and NSEC3, after dynamic updates (nsupdate) and after
/// a signature refresh; keys persist across restarts; a key directory that
/// cannot be used fails the zone, not the server.
@Suite(.serialized) struct DNSSECServeInteropTests {
    static let zone = """
        $ORIGIN sig.test.
        $TTL 300
        @    SOA ns1 hostmaster 7 3600 900 604800 300
        @    NS  ns1
        @    MX  10 mail
        ns1  A   192.0.2.53
        www  A   192.0.2.1
        mail A   192.0.2.2
        *.wild TXT "wildcard"
        a.b.ent A 192.0.2.5
        sub  NS  ns.sub
        ns.sub A 192.0.2.6
        secure NS ns.secure
        secure DS 12345 13 2 49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE4A6AC2E73F6D9C0B34E5B6A9
        ns.secure A 192.0.2.7

        """

    struct Setup {
        let dir: URL
        let config: String
        let zoneFile: String
        let port: Int
        let log: String

        init(dnssec: String, extra: String = "") throws {
            self.dir = FileManager.default.temporaryDirectory.appendingPathComponent(
                "hanon-dnssec-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: self.dir, withIntermediateDirectories: true)
            self.zoneFile = self.dir.appendingPathComponent("sig.test.zone").path
            try DNSSECServeInteropTests.zone.write(toFile: self.zoneFile, atomically: true, encoding: .utf8)
            self.port = Int.random(in: 20000...32000)
            self.config = self.dir.appendingPathComponent("hanon.toml").path
            self.log = self.dir.appendingPathComponent("hanon.log").path
            try """
            data = "data"
            [dns]
            listen = ["127.0.0.1:\(self.port)"]
            threads = 1
            [[zone]]
            name = "sig.test"
            file = "sig.test.zone"
            allow-update = [{ address = "127.0.0.1/32", types = ["ANY"] }]
            allow-transfer = ["127.0.0.1/32"]
            zonefile-sync = "1s"
            \(dnssec)
            \(extra)
            """.write(toFile: self.config, atomically: true, encoding: .utf8)
        }

        var keyDirectory: String { self.dir.appendingPathComponent("data/keys/sig.test").path }
        var logText: String { (try? String(contentsOfFile: self.log, encoding: .utf8)) ?? "" }

        func start(_ hanon: String) throws -> pid_t {
            try spawnDaemon(hanon, ["serve", "--config", self.config], output: self.log)
        }

        func dig(_ dig: String, _ arguments: [String]) throws -> String {
            try runProcess(dig, ["@127.0.0.1", "-p", "\(self.port)", "+time=2", "+tries=1"] + arguments).stdout
        }

        /// Waits until the zone answers its SOA (up to 20 s).
        func waitUntilServing(_ digPath: String) async throws -> Bool {
            for _ in 0..<100 {
                if try self.dig(digPath, ["+short", "sig.test.", "SOA"]).contains("hostmaster") { return true }
                try await Task.sleep(for: .milliseconds(200))
            }
            return false
        }

        func serial(_ digPath: String) throws -> UInt32? {
            let fields = try self.dig(digPath, ["+short", "sig.test.", "SOA"]).split(separator: " ")
            return fields.count > 2 ? UInt32(fields[2]) : nil
        }

        /// AXFR into a file.
        func transfer(_ digPath: String, to name: String) throws -> String {
            let text = try self.dig(digPath, ["+nocmd", "+nostats", "+nocomments", "+onesoa", "sig.test.", "AXFR"])
            let path = self.dir.appendingPathComponent(name).path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }

        func nsupdate(_ nsupdate: String, _ lines: [String]) throws -> Int32 {
            let script = (["server 127.0.0.1 \(self.port)", "zone sig.test"] + lines + ["send", ""]).joined(
                separator: "\n")
            return try runProcess(nsupdate, ["-t", "3"], input: script, timeout: 30).status
        }
    }

    /// dnssec-verify and ldns-verify-zone on one transferred copy.
    func verify(_ file: String, split: Bool, _ what: String) throws {
        let verify = try Peer.require("dnssec-verify")
        let ldns = try Peer.require("ldns-verify-zone")
        let bind = try runProcess(verify, (split ? [] : ["-z"]) + ["-o", "sig.test.", file])
        #expect(bind.status == 0, "\(what): dnssec-verify: \(bind.stdout)\(bind.stderr)")
        let nlnet = try runProcess(ldns, [file])
        #expect(nlnet.status == 0, "\(what): ldns-verify-zone: \(nlnet.stdout)\(nlnet.stderr)")
    }

    static let variants: [(String, String)] = [
        ("ecdsap256sha256", "nsec"), ("ecdsap256sha256", "nsec3"), ("ecdsap384sha384", "nsec"),
        ("ecdsap384sha384", "nsec3"), ("ed25519", "nsec"), ("ed25519", "nsec3"), ("rsasha256", "nsec"),
        ("rsasha256", "nsec3"),
    ]

    @Test(
        .enabled(if: Peer.isCI || Peer.available("dig", "nsupdate", "dnssec-verify", "ldns-verify-zone")),
        arguments: variants)
    func servedZoneVerifiesAfterUpdatesAndRefresh(algorithm: String, denial: String) async throws {
        let hanon = try HanonBinary.require()
        let dig = try Peer.require("dig")
        let nsupdate = try Peer.require("nsupdate")
        // Short times: signatures valid 30 s, refreshed when under 20 s are left: a refresh within ~10 s.
        let s = try Setup(
            dnssec: """
                [zone.dnssec]
                algorithm = "\(algorithm)"
                denial = "\(denial)"
                signature-validity = "30s"
                signature-refresh = "20s"
                jitter = "2s"
                """)
        defer { try? FileManager.default.removeItem(at: s.dir) }
        let pid = try s.start(hanon)
        defer { kill(pid, SIGKILL); _ = waitpid(pid, nil, 0) }
        #expect(try await s.waitUntilServing(dig), "\(s.logText)")
        try self.verify(try s.transfer(dig, to: "signed.zone"), split: false, "\(algorithm) \(denial) as loaded")
        let loaded = try s.serial(dig)

        // New names (one under new empty non-terminals), a deleted name, a new delegation.
        #expect(
            try s.nsupdate(
                nsupdate,
                [
                    "update add new.sig.test 60 A 192.0.2.10", "update add x.y.z.sig.test 60 TXT \"deep\"",
                    "update delete mail.sig.test A", "update add deleg.sig.test 60 NS ns1.sig.test.",
                ]) == 0, "\(s.logText)")
        #expect(try s.nsupdate(nsupdate, ["update delete a.b.ent.sig.test A"]) == 0)
        let updated = try s.serial(dig)
        #expect(updated.map { $0 > (loaded ?? 0) } == true)
        try self.verify(try s.transfer(dig, to: "updated.zone"), split: false, "\(algorithm) \(denial) after updates")

        // The zone file stays unsigned.
        try await Task.sleep(for: .seconds(2))
        let file = try String(contentsOfFile: s.zoneFile, encoding: .utf8)
        #expect(file.contains("new.sig.test."), "\(file)")
        #expect(!file.contains("RRSIG") && !file.contains("NSEC") && !file.contains("DNSKEY"), "\(file)")

        // A refresh moves the serial and keeps the zone valid.
        var refreshed = false
        for _ in 0..<40 where !refreshed {
            try await Task.sleep(for: .milliseconds(500))
            refreshed = s.logText.contains("signatures refreshed")
        }
        #expect(refreshed, "\(s.logText)")
        #expect(try s.serial(dig).map { $0 > (updated ?? 0) } == true)
        try self.verify(try s.transfer(dig, to: "refreshed.zone"), split: false, "\(algorithm) \(denial) after refresh")
    }

    @Test(.enabled(if: Peer.isCI || Peer.available("dig", "dnssec-verify", "ldns-verify-zone")))
    func splitKeysWithOptOutAndCDS() async throws {
        let hanon = try HanonBinary.require()
        let dig = try Peer.require("dig")
        let s = try Setup(dnssec: "dnssec = { keys = \"ksk-zsk\", denial = \"nsec3\", nsec3-opt-out = true }")
        defer { try? FileManager.default.removeItem(at: s.dir) }
        let pid = try s.start(hanon)
        defer { kill(pid, SIGKILL); _ = waitpid(pid, nil, 0) }
        #expect(try await s.waitUntilServing(dig), "\(s.logText)")
        let copy = try s.transfer(dig, to: "signed.zone")
        try self.verify(copy, split: true, "ksk-zsk nsec3 opt-out")
        let text = try String(contentsOfFile: copy, encoding: .utf8)
        #expect(text.contains("\tCDS\t") && text.contains("\tCDNSKEY\t257 "), "\(text)")
        #expect(text.contains("\tDNSKEY\t256 ") && text.contains("\tDNSKEY\t257 "))
        #expect(text.contains("NSEC3PARAM 1 0 0 -") || text.contains("NSEC3PARAM\t1 0 0 -"))
    }

    @Test(.enabled(if: Peer.isCI || Peer.available("dig")))
    func keysPersistAcrossRestart() async throws {
        let hanon = try HanonBinary.require()
        let dig = try Peer.require("dig")
        let s = try Setup(dnssec: "dnssec = true")
        defer { try? FileManager.default.removeItem(at: s.dir) }
        var pid = try s.start(hanon)
        #expect(try await s.waitUntilServing(dig), "\(s.logText)")
        let keys = try s.dig(dig, ["+short", "sig.test.", "DNSKEY"])
        let serial = try s.serial(dig)
        #expect(keys.hasPrefix("257 3 13 "), "\(keys)")
        kill(pid, SIGTERM)
        _ = await waitForExit(pid, timeout: .seconds(10))
        pid = try s.start(hanon)
        defer { kill(pid, SIGKILL); _ = waitpid(pid, nil, 0) }
        #expect(try await s.waitUntilServing(dig), "\(s.logText)")
        #expect(try s.dig(dig, ["+short", "sig.test.", "DNSKEY"]) == keys)
        // The signed zone kept: the same version, nothing for the secondaries to transfer.
        #expect(try s.serial(dig) == serial)
        let files = try FileManager.default.contentsOfDirectory(atPath: s.keyDirectory)
        let privateFiles = files.filter { $0.hasSuffix(".private") }
        let keyFiles = files.filter { $0.hasSuffix(".key") || $0.hasSuffix(".private") }
        #expect(privateFiles.count == 1 && keyFiles.count == 2, "\(files)")
        for file in privateFiles {
            let attributes = try FileManager.default.attributesOfItem(atPath: s.keyDirectory + "/" + file)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
        }
    }

    @Test(.enabled(if: Peer.isCI || Peer.available("dig")))
    func unusableKeyDirectoryFailsTheZoneNotTheServer() async throws {
        let hanon = try HanonBinary.require()
        let dig = try Peer.require("dig")
        let other = """
            [[zone]]
            name = "plain.test"
            file = "plain.test.zone"
            """
        let s = try Setup(dnssec: "dnssec = true", extra: other)
        defer { try? FileManager.default.removeItem(at: s.dir) }
        try Self.zone.replacingOccurrences(of: "sig.test.", with: "plain.test.").write(
            toFile: s.dir.appendingPathComponent("plain.test.zone").path, atomically: true, encoding: .utf8)
        // A file where the key directory should be.
        try FileManager.default.createDirectory(
            atPath: s.dir.appendingPathComponent("data/keys").path, withIntermediateDirectories: true)
        try "not a directory".write(toFile: s.keyDirectory, atomically: true, encoding: .utf8)
        let pid = try s.start(hanon)
        defer { kill(pid, SIGKILL); _ = waitpid(pid, nil, 0) }
        var plain = ""
        for _ in 0..<100 where !plain.contains("hostmaster") {
            try await Task.sleep(for: .milliseconds(200))
            plain = try s.dig(dig, ["+short", "plain.test.", "SOA"])
        }
        #expect(plain.contains("hostmaster"), "\(s.logText)")
        #expect(try s.dig(dig, ["+short", "sig.test.", "SOA"]).isEmpty)
        #expect(s.logText.contains("sig.test.: DNSSEC:") && s.logText.contains("is not a directory"), "\(s.logText)")
    }

    /// A zone signed elsewhere, served with dnssec off: its signatures and chain as they are.
    @Test(.enabled(if: Peer.isCI || Peer.available("dig", "ldns-verify-zone")))
    func alreadySignedZoneServedAsItIs() async throws {
        let hanon = try HanonBinary.require()
        let dig = try Peer.require("dig")
        let ldns = try Peer.require("ldns-verify-zone")
        let s = try Setup(dnssec: "")
        defer { try? FileManager.default.removeItem(at: s.dir) }
        let signed = s.dir.appendingPathComponent("signed.zone").path
        let sign = try runProcess(
            hanon,
            [
                "zone", "sign", s.zoneFile, "--origin", "sig.test.", "--nsec3", "--keys",
                s.dir.appendingPathComponent("offline-keys").path, "-o", signed,
            ])
        #expect(sign.status == 0, "\(sign.stderr)")
        try FileManager.default.removeItem(atPath: s.zoneFile)
        try FileManager.default.copyItem(atPath: signed, toPath: s.zoneFile)
        let pid = try s.start(hanon)
        defer { kill(pid, SIGKILL); _ = waitpid(pid, nil, 0) }
        #expect(try await s.waitUntilServing(dig), "\(s.logText)")
        let copy = try s.transfer(dig, to: "copy.zone")
        #expect(try runProcess(ldns, [copy]).status == 0)
        let signatures = { (path: String) throws -> Set<String> in
            Set(
                try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").filter { $0.contains("RRSIG") }
                    .map { String($0.filter { !$0.isWhitespace }.suffix(40)) })
        }
        #expect(try signatures(copy) == signatures(signed))
        #expect(!FileManager.default.fileExists(atPath: s.keyDirectory))
    }
}
