// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSSEC
import Foundation
import HanonServer
import NIOCore
import Testing

/// The key lifecycle as a user and the parent see it: `hanon dnssec status`,
/// `ds-seen` and `rollover` on a data directory; DS digests against BIND's
/// `dnssec-dsfromkey`; the parent DS check against NSD serving a parent zone.
@Suite struct KeyLifecycleInteropTests {
    static let zone = (try? DomainName("example.test.", origin: .root)) ?? .root

    func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "hanon-keycli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    func now() -> UInt32 { UInt32(Date().timeIntervalSince1970) }

    static let policy = KeyPolicy(
        scheme: .csk, kskLifetime: 0, propagationDelay: 60, dnskeyTTL: 60, maxZoneTTL: 60, parentDSTTL: 60)

    @Test func statusDSSeenAndRolloverThroughTheCommand() throws {
        let hanon = try HanonBinary.require()
        let data = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let directory = KeyLifecycle.directory(data: data, zone: Self.zone)
        #expect(directory == data + "/keys/example.test")
        let start = self.now()
        let first = try KeyLifecycle.keys(zone: Self.zone, directory: directory, policy: Self.policy, now: start)
        let tag = try #require(first.keySet.published.first?.keyTag)

        let status = try runProcess(hanon, ["dnssec", "status", "example.test", "--data", data])
        #expect(status.status == 0, "\(status.stderr)")
        let row = status.stdout.split(separator: "\n").first { $0.hasPrefix("\(tag) ") }?.split(separator: " ")
        #expect(row.map { Array($0.prefix(5)) } == ["\(tag)", "ECDSAP256SHA256", "csk", "active", "submitted"])
        #expect(status.stdout.contains("waiting: the parent's DS for key \(tag) (csk)"))
        #expect(status.stdout.contains("hanon dnssec ds-seen example.test. \(tag)"))

        let wrong = try runProcess(hanon, ["dnssec", "ds-seen", "example.test", String(tag &+ 1), "--data", data])
        #expect(wrong.status == 1 && wrong.stderr.contains("no KSK or CSK with key tag \(tag &+ 1)"))
        let seen = try runProcess(hanon, ["dnssec", "ds-seen", "example.test", String(tag), "--data", data])
        #expect(seen.status == 0, "\(seen.stderr)")
        let after = try runProcess(hanon, ["dnssec", "status", "example.test.", "--keys", directory])
        #expect(after.stdout.split(separator: "\n").contains { $0.hasPrefix("\(tag) ") && $0.contains(" seen ") })
        #expect(!after.stdout.contains("waiting:"))

        // A CSK rollover by command, its DS confirmed by command, run to the end.
        let badRole = try runProcess(hanon, ["dnssec", "rollover", "example.test", "zsk", "--data", data])
        #expect(badRole.status == 1 && badRole.stderr.contains("no active zsk"))
        let roll = try runProcess(hanon, ["dnssec", "rollover", "example.test", "csk", "--data", data])
        #expect(roll.status == 0, "\(roll.stderr)")
        let t = self.now()
        let rolling = try KeyLifecycle.keys(zone: Self.zone, directory: directory, policy: Self.policy, now: t)
        let new = try #require(rolling.keySet.published.first { $0.keyTag != tag }?.keyTag)
        let pending = try runProcess(hanon, ["dnssec", "status", "example.test", "--data", data])
        #expect(
            pending.stdout.split(separator: "\n").contains { $0.hasPrefix("\(new) ") && $0.contains(" published ") })
        #expect(pending.stdout.contains("waiting: the parent's DS for key \(new) (csk)"))
        #expect(pending.stdout.contains("next: nothing scheduled"))
        let seenNew = try runProcess(hanon, ["dnssec", "ds-seen", "example.test", String(new), "--data", data])
        #expect(seenNew.status == 0, "\(seenNew.stderr)")
        let confirmed = try KeyLifecycle.keys(zone: Self.zone, directory: directory, policy: Self.policy, now: t + 1)
        #expect(confirmed.keySet.keySigning.map(\.keyTag) == [tag])
        let switchTime = try #require(confirmed.nextChange)
        let next = try runProcess(hanon, ["dnssec", "status", "example.test", "--data", data])
        #expect(next.stdout.contains("key \(new) (csk) becomes active"))
        let switched = try KeyLifecycle.keys(
            zone: Self.zone, directory: directory, policy: Self.policy, now: switchTime)
        #expect(switched.keySet.keySigning.map(\.keyTag) == [new])
        let removal = try #require(switched.nextChange)
        let done = try KeyLifecycle.keys(zone: Self.zone, directory: directory, policy: Self.policy, now: removal)
        #expect(done.keySet.published.map(\.keyTag) == [new])
        let final = try runProcess(hanon, ["dnssec", "status", "example.test", "--data", data])
        // The steps were stamped ahead of the clock the command reads: the old key's row has its removal time.
        let oldRow = final.stdout.split(separator: "\n").first { $0.hasPrefix("\(tag) ") }?.split(separator: " ")
        #expect(oldRow?.last.map(String.init) == KeySchedule.time(removal))
    }

    @Test func statusOfAZoneWithoutKeysFails() throws {
        let hanon = try HanonBinary.require()
        let data = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let result = try runProcess(hanon, ["dnssec", "status", "example.test", "--data", data])
        #expect(result.status == 1 && result.stderr.contains("no key states for example.test."))
        let broken = KeyLifecycle.directory(data: data, zone: Self.zone)
        try FileManager.default.createDirectory(atPath: broken, withIntermediateDirectories: true)
        let statePath = KeyStateFile.path(zone: Self.zone, directory: broken)
        try "key 1 13 csk\n".write(toFile: statePath, atomically: true, encoding: .utf8)
        let bad = try runProcess(hanon, ["dnssec", "status", "example.test", "--data", data])
        #expect(bad.status == 1 && bad.stderr.contains("\(statePath):1: key 1 has no 'created' time"), "\(bad.stderr)")
        // Bad arguments are usage errors, before any file is touched.
        let role = try runProcess(hanon, ["dnssec", "rollover", "example.test", "kzk", "--data", data])
        #expect(role.status == 64 && role.stderr.contains("ksk, zsk or csk"), "\(role.stderr)")
        let tag = try runProcess(hanon, ["dnssec", "ds-seen", "example.test", "70000", "--data", data])
        #expect(tag.status == 64, "\(tag.stderr)")
        let zone = try runProcess(hanon, ["dnssec", "status", "exa mple..", "--data", data])
        #expect(zone.status == 64 && zone.stderr.contains("bad zone name"), "\(zone.stderr)")
        #expect(try String(contentsOfFile: statePath, encoding: .utf8) == "key 1 13 csk\n")
    }

    /// The DS hanon computes for generated keys (what CDS publishes) is the one BIND computes.
    @Test(arguments: [DNSSECAlgorithm.ecdsaP256SHA256, .ecdsaP384SHA384, .ed25519, .rsaSHA256])
    func dsAgreesWithDnssecDsfromkey(_ algorithm: DNSSECAlgorithm) throws {
        let dsfromkey = try Peer.require("dnssec-dsfromkey")
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var policy = Self.policy
        policy.algorithm = algorithm
        policy.scheme = .kskZSK
        let result = try KeyLifecycle.keys(zone: Self.zone, directory: directory, policy: policy, now: self.now())
        let ksk = try #require(result.keySet.parentKeys.first)
        let ds = try DNSSEC.ds(for: ksk.dnskey, owner: Self.zone, digestType: .sha256)
        let base = directory + "/" + KeyStore.baseName(zone: Self.zone, algorithm: algorithm, keyTag: ksk.keyTag)
        let bind = try runProcess(dsfromkey, ["-2", base + ".key"])
        #expect(bind.status == 0, "\(bind.stderr)")
        let fields = bind.stdout.split(whereSeparator: \.isWhitespace)
        #expect(
            fields.suffix(4).map(String.init) == [
                "\(ds.keyTag)", "\(algorithm.rawValue)", "2", Hex.encode(ds.digest).uppercased(),
            ])
    }

    /// The parent check against NSD serving the parent zone: confirmed only when the parent lists the key's DS.
    @Test func parentDSCheckAgainstNSD() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try KeyLifecycle.keys(zone: Self.zone, directory: directory, policy: Self.policy, now: self.now())
        let key = try #require(result.awaitingDS.first)
        let ds = try DNSSEC.ds(for: key.dnskey, owner: Self.zone, digestType: .sha256)
        let other = try ZoneKey.generate(zone: Self.zone, sep: true, now: self.now())
        let parentZone = """
            $ORIGIN test.
            $TTL 3600
            @ SOA ns.test. admin.test. 1 3600 600 86400 300
            @ NS ns.test.
            ns A 127.0.0.1
            example NS ns.example.test.
            example 1800 DS \(ds.keyTag) \(ds.algorithm.rawValue) 2 \(Hex.encode(ds.digest))
            ns.example A 127.0.0.1
            """
        let file = directory + "/test.zone"
        try parentZone.write(toFile: file, atomically: true, encoding: .utf8)
        let nsd = try await NSDZoneServer.start(zones: [("test.", file)])
        defer { nsd.stop() }
        let server = try SocketAddress(ipAddress: "127.0.0.1", port: nsd.port)
        let check = ParentDSCheck(servers: [server])
        let outcome = await check.check(zone: Self.zone, key: key.dnskey)
        #expect(outcome.confirmed, "\(outcome.problems)")
        #expect(outcome.ttl == 1800)
        let missing = await check.check(zone: Self.zone, key: other.dnskey)
        #expect(!missing.confirmed && missing.problems.count == 1)
        // A second server that does not answer keeps the DS unconfirmed.
        let silent = try SocketAddress(ipAddress: "127.0.0.1", port: 1)
        var options = check.options
        options.timeout = .milliseconds(300)
        options.tries = 1
        let both = await ParentDSCheck(servers: [server, silent], options: options).check(
            zone: Self.zone, key: key.dnskey)
        #expect(!both.confirmed && both.problems.count == 1)
        // What the server does: check every awaited DS and record the confirmations.
        let unreachable = await ParentDSCheck(servers: [silent], options: options).confirmAwaiting(
            result, directory: directory, now: self.now())
        #expect(unreachable.confirmed.isEmpty && unreachable.log.count == 1)
        let done = await check.confirmAwaiting(result, directory: directory, now: self.now())
        #expect(done.confirmed == [key.keyTag], "\(done.log)")
        let states = try KeyLifecycle.schedule(zone: Self.zone, directory: directory)
        #expect(states?.keys.first?.dsSeen != nil && states?.keys.first?.dsTTL == 1800)
    }
}
