// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSZone
import Testing

@testable import DNSSEC

/// The incremental signer against a full signing: after each change, the
/// zone it makes has the same records as the changed zone signed whole
/// (signature bytes and times apart), its diff leads from the old zone to
/// it, and every signature verifies.
@Suite struct IncrementalSignerTests {
    static let zoneText = """
        $ORIGIN example.
        $TTL 3600
        @ SOA ns1 hostmaster 1 7200 900 1209600 300
        @ NS ns1
        @ MX 10 mail
        ns1 A 192.0.2.1
        mail A 192.0.2.3
        www A 192.0.2.4
        www A 192.0.2.5
        *.wild TXT "wildcard"
        a.b.ent A 192.0.2.5
        c.b.ent A 192.0.2.6
        deep.a.b.ent A 192.0.2.8
        sub NS ns.sub
        ns.sub A 192.0.2.6
        secure NS ns.secure
        secure DS 12345 13 2 0000000000000000000000000000000000000000000000000000000000000000
        ns.secure A 192.0.2.7
        """

    static let ds = "DS 54321 13 2 1111111111111111111111111111111111111111111111111111111111111111"

    /// name: (deleted, added), records relative to `example.`.
    static let changes: [(String, [String], [String])] = [
        ("record added to an RRset", [], ["www A 192.0.2.9"]),
        ("record deleted from an RRset", ["www A 192.0.2.5"], []),
        ("new type at a name", [], ["mail TXT \"hello\""]),
        ("new name", [], ["new A 192.0.2.10"]),
        ("new name under new empty non-terminals", [], ["x.y.z A 192.0.2.11"]),
        ("name deleted", ["mail A 192.0.2.3"], []),
        ("empty non-terminal goes", ["c.b.ent A 192.0.2.6", "a.b.ent A 192.0.2.5", "deep.a.b.ent A 192.0.2.8"], []),
        ("name becomes an empty non-terminal", ["a.b.ent A 192.0.2.5"], []),
        ("new insecure delegation with glue", [], ["deleg NS ns.deleg", "ns.deleg A 192.0.2.12"]),
        ("delegation removed", ["sub NS ns.sub"], []),
        ("DS added", [], ["sub \(ds)"]),
        ("DS removed", ["secure DS 12345 13 2 0000000000000000000000000000000000000000000000000000000000000000"], []),
        ("cut appears over names", [], ["b.ent NS ns1.example."]),
        ("wildcard added and removed", ["*.wild TXT \"wildcard\""], ["*.new TXT \"w\""]),
        (
            "new name and deleted name at once", ["www A 192.0.2.4", "www A 192.0.2.5"],
            ["zzz A 192.0.2.13", "aaa A 192.0.2.14"]
        ),
        ("TTL change", ["ns1 A 192.0.2.1"], ["ns1 60 A 192.0.2.1"]),
    ]

    static let denials: [(String, SigningPolicy.Denial)] = [
        ("NSEC", .nsec), ("NSEC3", .nsec3()), ("NSEC3 opt-out", .nsec3(iterations: 0, salt: [], optOut: true)),
        ("NSEC3 salted", .nsec3(iterations: 2, salt: [0xAB, 0xCD], optOut: false)),
    ]

    static let key = Result {
        try ZoneKey.generate(zone: name("example."), algorithm: .ecdsaP256SHA256, sep: true, now: 0)
    }
    static let zsk = Result {
        try ZoneKey.generate(zone: name("example."), algorithm: .ecdsaP256SHA256, sep: false, now: 0)
    }

    static func records(_ lines: [String]) throws -> [ResourceRecord] {
        try lines.map { try ResourceRecord(text: $0, origin: name("example."), defaultTTL: 3600) }
    }

    static func unsignedZone() throws -> Zone {
        try Zone(ZoneFileParser.parse(text: Self.zoneText, origin: name("example.")))
    }

    static func soa(serial: UInt32, of zone: Zone) -> ResourceRecord {
        var record = zone.soa
        if case .soa(var soa) = record.rdata {
            soa.serial = serial
            record.rdata = .soa(soa)
        }
        return record
    }

    /// RRSIGs reduced to what does not depend on the moment of signing.
    static func normalized(_ records: [ResourceRecord]) -> [String] {
        records.map { record in
            if case .rrsig(let sig) = record.rdata {
                return
                    "\(record.name.lowercased()) \(record.ttl) RRSIG \(sig.typeCovered) \(sig.algorithm.rawValue) \(sig.labels) \(sig.originalTTL) \(sig.keyTag) \(sig.signerName)"
            }
            return "\(record.name.lowercased()) \(record.ttl) \(record.type) \(record.rdata)"
        }.sorted()
    }

    static func allRecords(_ zone: Zone) -> [ResourceRecord] { [zone.soa] + zone.recordsExceptSOA() }

    func check(change: (String, [String], [String]), denial: SigningPolicy.Denial, keySet: ZoneKeySet) throws {
        let (label, deletedText, addedText) = change
        let policy = SigningPolicy(denial: denial, inception: 1000, expiration: 100_000, jitter: 500, threads: 1)
        let unsigned = try Self.unsignedZone()
        let signer = ZoneSigner(keySet: keySet, policy: policy)
        let before = try Zone(origin: unsigned.origin, records: try signer.sign(unsigned))
        var chain = DenialChain(zone: before)

        // The change as UpdateProcessor makes it: RRSIGs of emptied RRsets go too.
        let deleted = try Self.records(deletedText)
        let added = try Self.records(addedText)
        var withSignatures = deleted
        var emptied = Set<String>()
        for record in deleted {
            guard let set = before.rrset(at: record.name, type: record.type) else {
                Issue.record("\(label): \(record) is not in the zone")
                continue
            }
            let left = set.rdata.filter { r in
                !deleted.contains { $0.name == record.name && $0.type == record.type && $0.rdata == r }
            }
            if left.isEmpty && emptied.insert("\(record.name.lowercased()) \(record.type)").inserted {
                withSignatures += set.signatureRecords(dnsClass: before.dnsClass)
            }
        }
        let changes = ZoneDiff(
            oldSOA: before.soa, newSOA: Self.soa(serial: 2, of: before), deleted: withSignatures, added: added)
        let incremental = IncrementalSigner(keySet: keySet, policy: policy)
        let (zone, diff) = try incremental.apply(changes, to: before, chain: &chain)

        // The same zone, changed unsigned and signed whole.
        let unsignedChanges = ZoneDiff(
            oldSOA: unsigned.soa, newSOA: Self.soa(serial: 2, of: unsigned), deleted: deleted, added: added)
        let expected = try signer.sign(try unsigned.applying(unsignedChanges))
        let got = Self.normalized(Self.allRecords(zone))
        let want = Self.normalized(expected)
        #expect(
            got == want,
            "\(label): extra \(Set(got).subtracting(want).sorted()), missing \(Set(want).subtracting(got).sorted())")

        // The diff leads from the old zone to the new one, record for record.
        let replayed = try before.applying(diff)
        #expect(Set(Self.allRecords(replayed)) == Set(Self.allRecords(zone)), "\(label): diff does not replay")
        #expect(chain.owners == DenialChain(zone: zone).owners, "\(label): chain")

        // Every signature verifies; only what changed was signed anew.
        let dnskeys = keySet.published.map(\.dnskey)
        var sets: [String: [RDATA]] = [:]
        for r in Self.allRecords(zone) where r.type != .rrsig {
            sets["\(r.name.lowercased()) \(r.type)", default: []].append(r.rdata)
        }
        for r in Self.allRecords(zone) {
            guard case .rrsig(let sig) = r.rdata else { continue }
            let rdata = try #require(sets["\(r.name.lowercased()) \(sig.typeCovered)"])
            try DNSSEC.verify(
                rrsig: sig, owner: r.name, rdata: rdata, keys: dnskeys, keyOwner: name("example."), now: 2000)
        }
        let newSignatures = diff.added.filter { $0.type == .rrsig }.count
        #expect(newSignatures < before.recordCount / 3, "\(label): \(newSignatures) signatures made")
    }

    @Test(arguments: Self.changes)
    func combinedKey(change: (String, [String], [String])) throws {
        let keySet = ZoneKeySet.combined(try Self.key.get())
        for (_, denial) in Self.denials {
            try self.check(change: change, denial: denial, keySet: keySet)
        }
    }

    @Test(arguments: Self.changes)
    func splitKeys(change: (String, [String], [String])) throws {
        let ksk = try Self.key.get()
        let zsk = try Self.zsk.get()
        let keySet = ZoneKeySet(
            zone: name("example."), published: [ksk, zsk], keySigning: [ksk], zoneSigning: [zsk], parentKeys: [ksk])
        try self.check(change: change, denial: .nsec, keySet: keySet)
        try self.check(change: change, denial: .nsec3(iterations: 0, salt: [], optOut: true), keySet: keySet)
    }

    /// Several changes in a row keep the chain right.
    @Test func changesInARow() throws {
        let keySet = ZoneKeySet.combined(try Self.key.get())
        for (_, denial) in Self.denials {
            let policy = SigningPolicy(denial: denial, inception: 1000, expiration: 100_000, threads: 1)
            let unsignedStart = try Self.unsignedZone()
            var unsigned = unsignedStart
            let signer = ZoneSigner(keySet: keySet, policy: policy)
            var zone = try Zone(origin: unsigned.origin, records: try signer.sign(unsigned))
            var chain = DenialChain(zone: zone)
            let incremental = IncrementalSigner(keySet: keySet, policy: policy)
            let steps: [([String], [String])] = [
                ([], ["n1 A 192.0.2.1", "q.r.s A 192.0.2.2"]), (["n1 A 192.0.2.1"], ["n2 A 192.0.2.3"]),
                (["q.r.s A 192.0.2.2"], ["s NS ns1.example."]), (["s NS ns1.example."], []),
            ]
            for (k, step) in steps.enumerated() {
                let serial = UInt32(k + 2)
                let deleted = try Self.records(step.0)
                let added = try Self.records(step.1)
                var signedDeleted = deleted
                for record in deleted {
                    if let set = zone.rrset(at: record.name, type: record.type), set.rdata.count == 1 {
                        signedDeleted += set.signatureRecords(dnsClass: zone.dnsClass)
                    }
                }
                (zone, _) = try incremental.apply(
                    ZoneDiff(
                        oldSOA: zone.soa, newSOA: Self.soa(serial: serial, of: zone), deleted: signedDeleted,
                        added: added),
                    to: zone, chain: &chain)
                unsigned = try unsigned.applying(
                    ZoneDiff(
                        oldSOA: unsigned.soa, newSOA: Self.soa(serial: serial, of: unsigned), deleted: deleted,
                        added: added))
                #expect(
                    Self.normalized(Self.allRecords(zone)) == Self.normalized(try signer.sign(unsigned)), "step \(k)")
            }
        }
    }

    /// A refresh re-signs what expires soon (and the SOA), nothing else.
    @Test func refreshResignsOnlyWhatIsDue() throws {
        let keySet = ZoneKeySet.combined(try Self.key.get())
        let unsigned = try Self.unsignedZone()
        let early = SigningPolicy(denial: .nsec, inception: 1000, expiration: 50_000, threads: 1)
        let zone = try Zone(
            origin: unsigned.origin, records: try ZoneSigner(keySet: keySet, policy: early).sign(unsigned))
        let total = Self.allRecords(zone).filter { $0.type == .rrsig }.count
        let later = SigningPolicy(denial: .nsec, inception: 2000, expiration: 90_000, jitter: 100, threads: 1)
        let refresher = IncrementalSigner(keySet: keySet, policy: later)
        // Nothing due: only the SOA.
        var (next, diff) = try refresher.refresh(zone, newSOA: Self.soa(serial: 2, of: zone), dueBefore: 40_000)
        #expect(diff.added.count == 1 && diff.deleted.count == 1)
        #expect(next.serialNumber == SerialNumber(2))
        // All due.
        (next, diff) = try refresher.refresh(next, newSOA: Self.soa(serial: 3, of: next), dueBefore: 60_000)
        #expect(diff.added.count == total && diff.deleted.count == total)
        #expect(IncrementalSigner.earliestExpiration(of: next).map { $0 >= 89_900 } == true)
        // The same records, signatures apart, and the new serial.
        let withoutSOA = { (zone: Zone) in Self.normalized(Self.allRecords(zone)).filter { !$0.contains(" SOA ") } }
        #expect(withoutSOA(next) == withoutSOA(zone))
        #expect(next.serialNumber == SerialNumber(3))
    }
}
