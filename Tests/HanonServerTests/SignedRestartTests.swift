// SPDX-License-Identifier: Apache-2.0

import DNSAuthority
import DNSCore
import DNSSEC
import DNSTransport
import DNSZone
import Foundation
import Logging
import Testing

@testable import HanonServer

/// A signed zone across restarts: served again as it was (serial and
/// signatures), updates kept with their signatures, a source edited while
/// down signed incrementally, and a damaged copy, a damaged journal, other
/// keys or other settings falling back to signing whole.
@Suite struct SignedRestartTests {
    static let zoneText = """
        $ORIGIN serve.test.
        $TTL 300
        @    SOA ns hostmaster 1 3600 600 86400 60
             NS  ns
        ns   A   192.0.2.53
        www  A   192.0.2.1
        ftp  A   192.0.2.21
        mx   A   192.0.2.25

        """

    struct Setup {
        let dir: ServeTests.TempDir
        var settings: ServerSettings
        var file: String
        var copyPath: String { self.dir.url.path + "/journal/serve.test.signed" }
        var journalPath: String { self.dir.url.path + "/journal/serve.test.journal" }
        var keyDirectory: String { KeyDirectory.path(data: self.dir.url.path, zone: "serve.test.") }

        init(denial: SigningPolicy.Denial = .nsec) throws {
            self.dir = try ServeTests.TempDir()
            self.settings = ServerSettings(listen: ["127.0.0.1:0"], threads: 1, zones: [])
            self.file = try self.dir.write("z", SignedRestartTests.zoneText)
            var source = ZoneSource(name: "serve.test.", file: self.file)
            source.update = ZoneUpdateSettings(
                policy: UpdatePolicy(rules: [UpdateRule(identity: .address(AddressPrefix("127.0.0.1/32")!))]),
                zonefileSync: .seconds(3600))
            source.dnssec = ZoneDNSSECSettings(denial: denial, keyDirectory: self.keyDirectory)
            self.settings.zones = [source]
            self.settings.dataDirectory = self.dir.url.path
        }

        /// A start of hanon on this data directory (zones are loaded and signed here).
        func server() -> HanonServer { HanonServer(settings: self.settings, logger: Logger(label: "test")) }
    }

    static func zone(_ server: HanonServer) throws -> Zone {
        try #require(server.handler.processor.zones.zone(for: "serve.test."))
    }

    /// The records of `zone`, signatures included, as a set (order aside).
    static func records(_ zone: Zone) -> Set<ResourceRecord> { Set(zone.allRecords) }

    /// The signatures over one RRset.
    static func signatures(_ zone: Zone, _ name: String, _ type: RecordType) throws -> [RDATA] {
        try #require(zone.rrset(at: try DomainName(name), type: type)).signatures
    }

    /// Every RRSIG verifies with the zone's DNSKEYs, every RRset is signed,
    /// and the NSEC chain (NSEC zones) runs through every name and back to the apex.
    static func verify(_ zone: Zone) throws {
        let keys = try #require(zone.rrset(at: zone.origin, type: .dnskey)).rdata.compactMap { rdata -> RDATA.DNSKEY? in
            if case .dnskey(let key) = rdata { return key }
            return nil
        }
        var names = Set<DomainName>()
        var nsecNext: [DomainName: DomainName] = [:]
        for set in zone.allRRSets {
            names.insert(set.name)
            #expect(!set.signatures.isEmpty, "\(set.name) \(set.type) unsigned")
            for signature in set.signatures {
                guard case .rrsig(let rrsig) = signature else { continue }
                try DNSSEC.verify(rrsig: rrsig, owner: set.name, rdata: set.rdata, keys: keys, keyOwner: zone.origin)
            }
            if set.type == .nsec, case .nsec(let nsec) = set.rdata.first { nsecNext[set.name] = nsec.nextDomainName }
        }
        guard !nsecNext.isEmpty else { return }
        let owners = names.filter { zone.rrset(at: $0, type: .nsec3) == nil }
        #expect(Set(nsecNext.keys) == owners)
        var seen = Set<DomainName>()
        var at = zone.origin
        while seen.insert(at).inserted, let next = nsecNext[at] { at = next }
        #expect(seen == owners && at == zone.origin, "NSEC chain: \(seen.map(\.description).sorted())")
    }

    /// Serves briefly and stops as SIGTERM would: changes go to the zone file and the signed copy.
    static func stop(_ server: HanonServer) async throws {
        let run = Task { try await server.run() }
        try await Task.sleep(for: .milliseconds(300))
        await server.shutdown()
        run.cancel()
        _ = try? await run.value
    }

    @Test(arguments: [SigningPolicy.Denial.nsec, .nsec3()])
    func restartServesTheSignedZoneAsItWas(denial: SigningPolicy.Denial) async throws {
        let s = try Setup(denial: denial)
        let first = s.server()
        let signed = try Self.zone(first)
        try Self.verify(signed)
        #expect(FileManager.default.fileExists(atPath: s.copyPath))
        try await first.start()
        try await Self.stop(first)

        for _ in 0..<2 {
            let again = s.server()
            let zone = try Self.zone(again)
            #expect(zone.serial == signed.serial)
            #expect(Self.records(zone) == Self.records(signed))
            // Served over the network with the very same signature.
            try await again.start()
            var edns = EDNS()
            edns.dnssecOK = true
            let answer = try await ServeTests.ask(again, "www.serve.test.", .a, edns: edns)
            let rrsig = answer.answers.first { $0.type == .rrsig }?.rdata
            let expected = try Self.signatures(signed, "www.serve.test.", .a).first
            #expect(rrsig != nil && rrsig == expected)
            await again.shutdown()
        }
        #expect(try String(contentsOfFile: s.file, encoding: .utf8) == Self.zoneText)
    }

    @Test func updateBeforeRestartKeepsItsSignatures() async throws {
        let s = try Setup()
        let first = s.server()
        try await first.start()
        #expect(try await UpdateServeTests.update(first, add: "new 60 IN A 192.0.2.7").rcode == .noError)
        let updated = try Self.zone(first)
        #expect(try !Self.signatures(updated, "new.serve.test.", .a).isEmpty)

        // A crash: nothing written but the journal (and the copy made at start).
        let crashed = s.server()
        #expect(try Self.zone(crashed).serial == updated.serial)
        #expect(Self.records(try Self.zone(crashed)) == Self.records(updated))

        // A clean stop: the zone file and the copy are written.
        try await Self.stop(first)
        #expect(try String(contentsOfFile: s.file, encoding: .utf8).contains("192.0.2.7"))
        let restarted = try Self.zone(s.server())
        #expect(restarted.serial == updated.serial)
        #expect(Self.records(restarted) == Self.records(updated))
        try Self.verify(restarted)
    }

    @Test(arguments: [false, true])
    func sourceEditedWhileDownIsSignedIncrementally(serialBumped: Bool) async throws {
        let s = try Setup()
        let before = try Self.zone(s.server())
        var text = Self.zoneText.replacingOccurrences(of: "192.0.2.1\n", with: "192.0.2.2\n")
        text += "mail A 192.0.2.26\n"
        if serialBumped { text = text.replacingOccurrences(of: "hostmaster 1 ", with: "hostmaster 100 ") }
        try text.write(toFile: s.file, atomically: true, encoding: .utf8)

        let edited = try Self.zone(s.server())
        #expect(edited.serial == (serialBumped ? 100 : before.serial + 1))
        #expect(edited.rrset(at: "www.serve.test.", type: .a)?.rdata.map(\.description) == ["192.0.2.2"])
        #expect(edited.rrset(at: "mail.serve.test.", type: .a)?.signatures.isEmpty == false)
        try Self.verify(edited)
        // What did not change keeps its signatures.
        for name in ["ns.serve.test.", "ftp.serve.test."] {
            #expect(try Self.signatures(edited, name, .a) == Self.signatures(before, name, .a))
        }
        #expect(try Self.signatures(edited, "serve.test.", .dnskey) == Self.signatures(before, "serve.test.", .dnskey))
        #expect(try Self.signatures(edited, "www.serve.test.", .a) != Self.signatures(before, "www.serve.test.", .a))

        // The next start serves that version again.
        let again = try Self.zone(s.server())
        #expect(again.serial == edited.serial && Self.records(again) == Self.records(edited))
    }

    @Test func reloadOfAnEditedFileSignsOnlyTheChange() async throws {
        let s = try Setup()
        let server = s.server()
        try await server.start()
        let before = try Self.zone(server)
        try (Self.zoneText + "mail A 192.0.2.26\n").write(toFile: s.file, atomically: true, encoding: .utf8)
        #expect(server.reload().failed.isEmpty)
        let after = try Self.zone(server)
        #expect(after.serial == before.serial + 1)
        #expect(after.rrset(at: "mail.serve.test.", type: .a)?.signatures.isEmpty == false)
        #expect(try Self.signatures(after, "www.serve.test.", .a) == Self.signatures(before, "www.serve.test.", .a))
        try Self.verify(after)
        await server.shutdown()
    }

    @Test func updateAfterAnEditSurvivesACrash() async throws {
        let s = try Setup()
        _ = s.server()
        // Edited while down, the serial left as it was; then an update, then a crash.
        try (Self.zoneText + "mail A 192.0.2.26\n").write(toFile: s.file, atomically: true, encoding: .utf8)
        let server = s.server()
        try await server.start()
        #expect(try await UpdateServeTests.update(server, add: "new 60 IN A 192.0.2.7").rcode == .noError)
        let updated = try Self.zone(server)
        let restarted = try Self.zone(s.server())
        #expect(restarted.serial == updated.serial)
        #expect(Self.records(restarted) == Self.records(updated))
        #expect(restarted.rrset(at: "new.serve.test.", type: .a) != nil)
        #expect(restarted.rrset(at: "mail.serve.test.", type: .a) != nil)
        await server.shutdown()
    }

    /// Damage done to the signed copy; each one must be noticed, not served.
    static let damages: [(String, @Sendable ([UInt8]) -> [UInt8])] = [
        ("cut short", { Array($0.prefix($0.count * 2 / 3)) }),
        ("cut in the header", { Array($0.prefix(30)) }),
        (
            "a byte changed",
            {
                var b = $0; b[b.count - 20] ^= 0x20; return b
            }
        ),
        ("empty", { _ in [] }),
        ("not a copy", { _ in Array("serve.test. 300 IN SOA a. b. 1 2 3 4 5\n".utf8) }),
    ]

    @Test(arguments: 0..<5)
    func damagedCopyIsNotServed(index: Int) async throws {
        let (what, damage) = Self.damages[index]
        let s = try Setup()
        let before = try Self.zone(s.server())
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: s.copyPath)))
        try Data(damage(bytes)).write(to: URL(fileURLWithPath: s.copyPath))
        #expect(throws: SignedZoneStore.Damaged.self, "\(what)") {
            _ = try SignedZoneStore.read(s.copyPath, origin: "serve.test.")
        }
        // Signed whole again: a new serial, the same keys, a valid zone, a new copy.
        let after = try Self.zone(s.server())
        #expect(after.serial > before.serial, "\(what)")
        #expect(
            after.rrset(at: "serve.test.", type: .dnskey)?.rdata
                == before.rrset(at: "serve.test.", type: .dnskey)?.rdata)
        try Self.verify(after)
        #expect(try SignedZoneStore.read(s.copyPath, origin: "serve.test.")?.zone.serial == after.serial)
    }

    @Test func damagedZoneDataNamesTheLine() throws {
        let s = try Setup()
        _ = s.server()
        // A record made unreadable, the checksum made to match: the parser names the line.
        let text = try String(contentsOfFile: s.copyPath, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let target = try #require(lines.firstIndex { $0.contains("\tA\t192.0.2.21") })
        lines[target] = lines[target].replacingOccurrences(of: "192.0.2.21", with: "192.0.2.300")
        let body = Array(lines[5...].joined(separator: "\n").utf8)
        lines[4] = "; body \(body.count) bytes fnv1a64 \(String(SignedZoneStore.checksum(body), radix: 16))"
        try lines.joined(separator: "\n").write(toFile: s.copyPath, atomically: true, encoding: .utf8)
        do {
            _ = try SignedZoneStore.read(s.copyPath, origin: "serve.test.")
            Issue.record("read")
        } catch {
            #expect(error.description.hasPrefix("\(s.copyPath):\(target + 1):"), "\(error)")
        }
    }

    @Test func damagedJournalFallsBackToSigningWhole() async throws {
        let s = try Setup()
        let first = s.server()
        try await first.start()
        #expect(try await UpdateServeTests.update(first, add: "new 60 IN A 192.0.2.7").rcode == .noError)
        let updated = try Self.zone(first)
        try await Self.stop(first)
        // The journal overwritten (not a journal any more): moved aside, the copy not trusted.
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: s.journalPath))
        let after = try Self.zone(s.server())
        #expect(after.serial > updated.serial)
        #expect(after.rrset(at: "new.serve.test.", type: .a)?.signatures.isEmpty == false)
        try Self.verify(after)
    }

    @Test func unsignedJournalEntryAfterTheCopySignsWhole() throws {
        let s = try Setup()
        let before = try Self.zone(s.server())
        // A change journalled while the zone was not signed (dnssec off for a while).
        let journal = try ZoneJournal(path: s.journalPath)
        var soa = before.soa
        if case .soa(var fields) = soa.rdata {
            fields.serial = before.serial + 1
            soa.rdata = .soa(fields)
        }
        let added = try ResourceRecord(text: "late.serve.test. 300 IN A 192.0.2.99")
        try journal.append(ZoneDiff(oldSOA: before.soa, newSOA: soa, deleted: [], added: [added]))
        let after = try Self.zone(s.server())
        #expect(after.serial > before.serial + 1)
        #expect(after.rrset(at: "late.serve.test.", type: .a)?.signatures.isEmpty == false)
        try Self.verify(after)
    }

    @Test func otherKeysOrSettingsSignWhole() async throws {
        var s = try Setup()
        let before = try Self.zone(s.server())
        // Other signing settings: NSEC3 instead of NSEC.
        s.settings.zones[0].dnssec?.denial = .nsec3()
        let nsec3 = try Self.zone(s.server())
        #expect(nsec3.serial > before.serial)
        #expect(nsec3.rrset(at: "serve.test.", type: .nsec3param) != nil)
        try Self.verify(nsec3)
        // Other keys (the key directory lost): new keys, signed whole.
        try FileManager.default.removeItem(atPath: s.keyDirectory)
        let rekeyed = try Self.zone(s.server())
        #expect(rekeyed.serial > nsec3.serial)
        #expect(
            rekeyed.rrset(at: "serve.test.", type: .dnskey)?.rdata
                != nsec3.rrset(at: "serve.test.", type: .dnskey)?.rdata)
        try Self.verify(rekeyed)
    }

    @Test func keyMismatchIsFoundInTheZone() throws {
        let s = try Setup()
        let zone = try Self.zone(s.server())
        let keys = try KeyDirectory.currentKeySet(
            zone: "serve.test.", directory: s.keyDirectory, policy: KeyPolicy(), now: ZoneSigning.now())
        #expect(ZoneWriters.keyMismatch(zone, keySet: keys) == nil)
        let other = try ZoneKey.generate(zone: "serve.test.", sep: true, now: ZoneSigning.now())
        var added = keys
        added.published.append(other)
        #expect(ZoneWriters.keyMismatch(zone, keySet: added) == "the published keys changed")
        var split = keys
        split.zoneSigning = [other]
        #expect(ZoneWriters.keyMismatch(zone, keySet: split) == "the zone-signing keys changed")
    }
}
