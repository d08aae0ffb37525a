// SPDX-License-Identifier: Apache-2.0

import DNSCore
import Foundation
import Testing

@testable import DNSSEC

/// The file-backed key lifecycle: real keys in a directory, the state file,
/// restarts, broken state files.
@Suite struct KeyLifecycleTests {
    static let day: UInt32 = 86400
    static let start: UInt32 = 1_800_000_000

    func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "hanon-lifecycle-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    func policy(_ algorithm: DNSSECAlgorithm, _ scheme: KeyPolicy.Scheme) -> KeyPolicy {
        KeyPolicy(
            algorithm: algorithm, scheme: scheme, zskLifetime: 10 * Self.day, kskLifetime: 30 * Self.day,
            propagationDelay: 600, dnskeyTTL: 3600, maxZoneTTL: 3600, parentDSTTL: 3600)
    }

    /// A CSK rollover for each algorithm, with real keys, every call a fresh
    /// read of the directory (a restart at each step).
    @Test(arguments: [DNSSECAlgorithm.ecdsaP256SHA256, .ecdsaP384SHA384, .ed25519, .rsaSHA256])
    func cskRolloverWithRealKeys(_ algorithm: DNSSECAlgorithm) throws {
        let directory = try temporaryDirectory() + "/keys/example.org"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let zone = name("example.org.")
        let policy = self.policy(algorithm, .csk)
        let first = try KeyLifecycle.keys(zone: zone, directory: directory, policy: policy, now: Self.start)
        #expect(first.keySet.published.count == 1)
        let old = try #require(first.keySet.keySigning.first)
        #expect(old.algorithm == algorithm && old.isSecureEntryPoint)
        #expect(first.keySet.zoneSigning.map(\.keyTag) == [old.keyTag])
        #expect(first.keySet.parentKeys.map(\.keyTag) == [old.keyTag])
        #expect(first.awaitingDS.map(\.keyTag) == [old.keyTag])
        #expect(first.nextChange == Self.start + 30 * Self.day)
        // The private key is 0600.
        let base = directory + "/" + KeyStore.baseName(zone: zone, algorithm: algorithm, keyTag: old.keyTag)
        let attributes = try FileManager.default.attributesOfItem(atPath: base + ".private")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        try KeyLifecycle.confirmDS(zone: zone, directory: directory, keyTag: old.keyTag, now: Self.start + 3600)

        // The lifetime ends: the new key is published with its DS; the old still signs.
        var now = Self.start + 30 * Self.day
        let rolling = try KeyLifecycle.keys(zone: zone, directory: directory, policy: policy, now: now)
        #expect(rolling.keySet.published.count == 2)
        let new = try #require(rolling.keySet.published.first { $0.keyTag != old.keyTag })
        #expect(rolling.keySet.keySigning.map(\.keyTag) == [old.keyTag])
        #expect(Set(rolling.keySet.parentKeys.map(\.keyTag)) == [old.keyTag, new.keyTag])
        #expect(rolling.awaitingDS.map(\.keyTag) == [new.keyTag])
        #expect(rolling.nextChange == nil)
        // Nothing moves until the DS is seen, however long it takes.
        now += 5 * Self.day
        let waiting = try KeyLifecycle.keys(zone: zone, directory: directory, policy: policy, now: now)
        #expect(waiting.keySet.keySigning.map(\.keyTag) == [old.keyTag])
        #expect(waiting.events.isEmpty)
        try KeyLifecycle.confirmDS(zone: zone, directory: directory, keyTag: new.keyTag, now: now)
        let confirmed = try KeyLifecycle.keys(zone: zone, directory: directory, policy: policy, now: now)
        // Dprp + TTLds after the DS was seen.
        #expect(confirmed.nextChange == now + 600 + 3600)
        now += 600 + 3600
        let switched = try KeyLifecycle.keys(zone: zone, directory: directory, policy: policy, now: now)
        #expect(switched.keySet.keySigning.map(\.keyTag) == [new.keyTag])
        #expect(switched.keySet.zoneSigning.map(\.keyTag) == [new.keyTag])
        #expect(switched.keySet.published.count == 2)
        #expect(Set(switched.keySet.parentKeys.map(\.keyTag)) == [old.keyTag, new.keyTag])
        // Iret for a CSK: Dprp + max(TTLkey, TTLsig).
        #expect(switched.nextChange == now + 600 + 3600)
        now += 600 + 3600
        let done = try KeyLifecycle.keys(zone: zone, directory: directory, policy: policy, now: now)
        #expect(done.keySet.published.map(\.keyTag) == [new.keyTag])
        #expect(done.keySet.parentKeys.map(\.keyTag) == [new.keyTag])
        let states = try #require(try KeyLifecycle.schedule(zone: zone, directory: directory))
        #expect(states.keys.first { $0.keyTag == old.keyTag }?.dsState(at: now) == .withdrawn)
        #expect(states.keys.first { $0.keyTag == new.keyTag }?.state(at: now) == "active")
    }

    @Test func kskZSKPrepublishesTheZSK() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let zone = name("example.net.")
        let policy = self.policy(.ed25519, .kskZSK)
        let first = try KeyLifecycle.keys(zone: zone, directory: directory, policy: policy, now: Self.start)
        let ksk = try #require(first.keySet.keySigning.first)
        let zsk = try #require(first.keySet.zoneSigning.first)
        #expect(ksk.isSecureEntryPoint && !zsk.isSecureEntryPoint && first.keySet.published.count == 2)
        #expect(first.keySet.parentKeys.map(\.keyTag) == [ksk.keyTag])
        // Tpub(N+1) = Tact(N) + Lzsk − Ipub.
        let publish = Self.start + 10 * Self.day - 4200
        #expect(first.nextChange == publish)
        let pre = try KeyLifecycle.keys(zone: zone, directory: directory, policy: policy, now: publish)
        #expect(pre.keySet.published.count == 3)
        #expect(pre.keySet.zoneSigning.map(\.keyTag) == [zsk.keyTag])
        #expect(pre.nextChange == Self.start + 10 * Self.day)
        let after = try KeyLifecycle.keys(
            zone: zone, directory: directory, policy: policy, now: Self.start + 10 * Self.day)
        let newZSK = try #require(after.keySet.zoneSigning.first)
        #expect(newZSK.keyTag != zsk.keyTag && after.keySet.published.count == 3)
        #expect(after.nextChange == Self.start + 10 * Self.day + 600 + 3600)
        let removed = try KeyLifecycle.keys(
            zone: zone, directory: directory, policy: policy, now: Self.start + 10 * Self.day + 4200)
        #expect(Set(removed.keySet.published.map(\.keyTag)) == [ksk.keyTag, newZSK.keyTag])
    }

    /// Keys on disk and no state file (made by hand or by an earlier hanon) are taken over, not replaced.
    @Test func adoptsExistingKeys() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let zone = name("example.com.")
        let key = try ZoneKey.generate(zone: zone, sep: true, now: Self.start - Self.day)
        try KeyStore.write(key, directory: directory)
        let result = try KeyLifecycle.keys(
            zone: zone, directory: directory, policy: self.policy(.ecdsaP256SHA256, .csk), now: Self.start)
        #expect(result.keySet.published.map(\.keyTag) == [key.keyTag])
        #expect(result.keySet.zoneSigning.map(\.keyTag) == [key.keyTag])
        #expect(result.schedule.keys.map(\.role) == [.csk])
        #expect(result.warnings.isEmpty)
        // A policy the keys do not match is reported, not acted on.
        let other = try KeyLifecycle.keys(
            zone: zone, directory: directory, policy: self.policy(.ed25519, .kskZSK), now: Self.start + 1)
        #expect(other.keySet.zoneSigning.map(\.keyTag) == [key.keyTag])
        #expect(other.warnings.count == 2)
        #expect(other.warnings.first?.contains("algorithm 13, the policy asks for 15") == true)
    }

    /// A server that calls late (it was down) never shortens a wait: each is
    /// measured from the moment the step was actually taken.
    @Test func lateCallsStampTheActualTime() throws {
        let policy = KeyPolicy(
            scheme: .kskZSK, zskLifetime: 10 * Self.day, propagationDelay: 600, dnskeyTTL: 3600, maxZoneTTL: 7200)
        var schedule = KeySchedule()
        var tag: UInt16 = 1
        func generate(_ role: KeyRole) -> KeyRecord {
            tag += 1
            return KeyRecord(keyTag: tag, algorithm: .ecdsaP256SHA256, role: role, created: Self.start)
        }
        _ = try schedule.advance(policy: policy, now: Self.start, generate: generate)
        // The rollover was due at 10 days − Ipub; the server comes back two days late.
        let late = Self.start + 12 * Self.day
        _ = try schedule.advance(policy: policy, now: late, generate: generate)
        let new = try #require(schedule.keys.last)
        #expect(new.published == late && new.active == nil)
        #expect(schedule.nextEvent?.time == late + 4200)
        // Comes again an hour after the activation was due: the old ZSK retires then, and stays Iret from then.
        _ = try schedule.advance(policy: policy, now: late + 4200 + 3600, generate: generate)
        let old = try #require(schedule.keys.first { $0.role == .zsk })
        #expect(old.retired == late + 7800)
        #expect(schedule.nextEvent?.time == late + 7800 + 600 + 7200)
        #expect(schedule.view(at: late + 7800).zoneSigning.map(\.keyTag) == [new.keyTag])
    }

    @Test func stateFileRoundTrips() throws {
        let schedule = KeySchedule(
            keys: [
                KeyRecord(
                    keyTag: 40213, algorithm: .ecdsaP256SHA256, role: .csk, created: Self.start,
                    published: Self.start, active: Self.start, retired: Self.start + 100, removed: Self.start + 200,
                    dsSubmitted: Self.start, dsSeen: Self.start + 50, dsWithdrawn: Self.start + 200, dsTTL: 86400),
                KeyRecord(
                    keyTag: 7, algorithm: .rsaSHA256, role: .zsk, created: Self.start, published: Self.start,
                    rolloverRequested: Self.start + 1),
            ],
            nextEvent: KeySchedule.Event(time: Self.start + 300, text: "key 7 (zsk) becomes active"))
        let text = KeyStateFile.format(schedule, zone: name("example.org."))
        #expect(try KeyStateFile.parse(text, path: "x") == schedule)
        #expect(text.contains("key 40213 13 csk created="))
    }

    /// A broken state file is an error naming the file and line, never a crash and never new keys.
    @Test(arguments: [
        ("key 1 13 csk created=20270115000000\nkey 2 13", 2, "incomplete line"),
        ("key 1 13 csk\n", 1, "no 'created' time"),
        ("key x 13 csk created=20270115000000\n", 1, "bad key tag"),
        ("key 70000 13 csk created=20270115000000\n", 1, "bad key tag"),
        ("key 1 999 csk created=20270115000000\n", 1, "bad algorithm"),
        ("key 1 13 kzk created=20270115000000\n", 1, "bad role"),
        ("# c\n\nkey 1 13 csk created=2027011500000\n", 3, "bad time"),
        ("key 1 13 csk created=20271315000000\n", 1, "bad time"),
        ("key 1 13 csk created=20270115000000 created=20270115000000\n", 1, "given twice"),
        ("key 1 13 csk created=20270115000000 color=blue\n", 1, "unknown field"),
        ("key 1 13 csk created=20270115000000 published\n", 1, "expected name=value"),
        ("key 1 13 csk created=20270115000000 active=20270115000000\n", 1, "'active' without 'published'"),
        (
            "key 1 13 csk created=20270115000000 published=20270116000000 active=20270115000000\n", 1,
            "'active' is before 'published'"
        ),
        ("key 1 13 zsk created=20270115000000 ds-submitted=20270115000000\n", 1, "a zsk has no DS"),
        ("key 1 13 csk created=20270115000000 ds-ttl=-5\n", 1, "bad ds-ttl"),
        ("key 1 13 csk created=20270115000000\nkey 1 13 ksk created=20270115000000\n", 2, "listed twice"),
        ("keys 1 13 csk created=20270115000000\n", 1, "unknown line"),
        ("key 1 13 csk created=20270115000000\nnext tomorrow\n", 2, "'next' needs a time"),
    ])
    func malformedStateFile(_ text: String, _ line: Int, _ reason: String) throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let zone = name("example.org.")
        let path = KeyStateFile.path(zone: zone, directory: directory)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        do {
            _ = try KeyLifecycle.keys(
                zone: zone, directory: directory, policy: self.policy(.ecdsaP256SHA256, .csk), now: Self.start)
            Issue.record("no error for \(text.debugDescription)")
        } catch {
            #expect(error.detail.hasPrefix("\(path):\(line): "), "\(error.detail)")
            #expect(error.detail.contains(reason), "\(error.detail)")
        }
        // Nothing was generated or rewritten.
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix("K") }
        #expect(files.isEmpty)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
    }

    @Test func keyListedWithoutItsFilesIsAnError() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let zone = name("example.org.")
        let path = KeyStateFile.path(zone: zone, directory: directory)
        try Data("key 4242 13 csk created=20270115000000 published=20270115000000\n".utf8).write(
            to: URL(fileURLWithPath: path))
        #expect(throws: DNSSECError.keyFile) {
            try KeyLifecycle.keys(
                zone: zone, directory: directory, policy: self.policy(.ecdsaP256SHA256, .csk), now: Self.start)
        }
    }

    @Test func commandsCheckTheirKey() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let zone = name("example.org.")
        let policy = self.policy(.ecdsaP256SHA256, .csk)
        #expect(throws: DNSSECError.keyFile) {
            try KeyLifecycle.confirmDS(zone: zone, directory: directory, keyTag: 1, now: Self.start)
        }
        let result = try KeyLifecycle.keys(zone: zone, directory: directory, policy: policy, now: Self.start)
        let tag = try #require(result.keySet.published.first?.keyTag)
        #expect(throws: DNSSECError.keyFile) {
            try KeyLifecycle.confirmDS(zone: zone, directory: directory, keyTag: tag &+ 1, now: Self.start)
        }
        #expect(throws: DNSSECError.keyFile) {
            try KeyLifecycle.requestRollover(zone: zone, directory: directory, role: .zsk, now: Self.start)
        }
        try KeyLifecycle.requestRollover(zone: zone, directory: directory, role: .csk, now: Self.start + 10)
        let rolled = try KeyLifecycle.keys(zone: zone, directory: directory, policy: policy, now: Self.start + 10)
        #expect(rolled.keySet.published.count == 2)
        #expect(throws: DNSSECError.keyFile) {
            try KeyLifecycle.requestRollover(zone: zone, directory: directory, role: .csk, now: Self.start + 20)
        }
        let status = rolled.schedule.statusText(zone: zone, now: Self.start + 20)
        #expect(status.contains("waiting: the parent's DS for key"))
        let row = status.split(separator: "\n").first { $0.hasPrefix("\(tag) ") }.map { $0.split(separator: " ") }
        #expect(row.map { Array($0.prefix(5)) } == ["\(tag)", "ECDSAP256SHA256", "csk", "active", "submitted"])
    }
}
