// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSZone
import Testing

@testable import DNSSEC

/// The zone signer's output, checked with hanon's own verifier (the
/// interop tests check it with BIND's and ldns's).
@Suite struct ZoneSignerTests {
    static let zoneText = """
        $ORIGIN example.
        $TTL 3600
        @ SOA ns1 hostmaster 1 7200 900 1209600 300
        @ NS ns1
        @ MX 10 mail
        ns1 A 192.0.2.1
        mail A 192.0.2.3
        *.wild TXT "wildcard"
        a.b.ent A 192.0.2.5
        sub NS ns.sub
        ns.sub A 192.0.2.6
        secure NS ns.secure
        secure DS 12345 13 2 0000000000000000000000000000000000000000000000000000000000000000
        ns.secure A 192.0.2.7
        """

    func zone() throws -> Zone {
        let parsed = ZoneFileParser.parse(text: Self.zoneText, origin: name("example."))
        return try Zone(parsed)
    }

    func sign(_ denial: SigningPolicy.Denial, keys: [ZoneKey]) throws -> [ResourceRecord] {
        let policy = SigningPolicy(denial: denial, inception: 1000, expiration: 100_000, jitter: 500, threads: 2)
        return try ZoneSigner(keys: keys, policy: policy).sign(try zone())
    }

    /// Every RRSIG verifies with the zone's DNSKEYs, and exactly the
    /// authoritative RRsets are signed.
    func checkSignatures(_ records: [ResourceRecord], keys: [ZoneKey]) throws {
        let zone = name("example.")
        let dnskeys = keys.map(\.dnskey)
        var sets: [String: [RDATA]] = [:]
        var owners: [String: DomainName] = [:]
        for r in records where r.type != .rrsig {
            let key = "\(r.name.lowercased()) \(r.type)"
            sets[key, default: []].append(r.rdata)
            owners[key] = r.name
        }
        var signed = Set<String>()
        for r in records {
            guard case .rrsig(let sig) = r.rdata else { continue }
            let key = "\(r.name.lowercased()) \(sig.typeCovered)"
            let rdata = try #require(sets[key], "RRSIG without RRset: \(key)")
            try DNSSEC.verify(rrsig: sig, owner: r.name, rdata: rdata, keys: dnskeys, keyOwner: zone, now: 2000)
            #expect(sig.inception == 1000 && sig.expiration <= 100_000 && sig.expiration >= 99_500)
            signed.insert(key)
        }
        let unsigned = Set(sets.keys).subtracting(signed)
        #expect(
            unsigned == ["sub.example. NS", "secure.example. NS", "ns.sub.example. A", "ns.secure.example. A"])
    }

    @Test(arguments: [DNSSECAlgorithm.ecdsaP256SHA256, .ecdsaP384SHA384, .ed25519, .rsaSHA256])
    func nsecZoneIsSignedAndChained(_ algorithm: DNSSECAlgorithm) throws {
        let keys = [try ZoneKey.generate(zone: name("example."), algorithm: algorithm, sep: true, now: 0)]
        let records = try sign(.nsec, keys: keys)
        try checkSignatures(records, keys: keys)

        var nsec: [String: RDATA.NSEC] = [:]
        for r in records { if case .nsec(let n) = r.rdata { nsec[r.name.lowercased().description] = n } }
        // One NSEC per authoritative name, in canonical order, the last back to the apex.
        let chain = [
            "example.", "a.b.ent.example.", "mail.example.", "ns1.example.", "secure.example.", "sub.example.",
            "*.wild.example.",
        ]
        #expect(Set(nsec.keys) == Set(chain))
        for (i, owner) in chain.enumerated() {
            #expect(nsec[owner]?.nextDomainName == name(chain[(i + 1) % chain.count]), "\(owner)")
        }
        #expect(nsec["example."]?.types.types == [.ns, .soa, .mx, .rrsig, .nsec, .dnskey])
        #expect(nsec["sub.example."]?.types.types == [.ns, .rrsig, .nsec])
        #expect(nsec["secure.example."]?.types.types == [.ns, .ds, .rrsig, .nsec])
        #expect(nsec["*.wild.example."]?.types.types == [.txt, .rrsig, .nsec])
        // The wildcard's RRSIG does not count the `*` label.
        let wildSig = records.compactMap { r -> RDATA.RRSIG? in
            if case .rrsig(let s) = r.rdata, r.name == name("*.wild.example."), s.typeCovered == .txt { return s }
            return nil
        }
        #expect(wildSig.map(\.labels) == [2])
    }

    @Test func nsec3ChainCoversEmptyNonTerminals() throws {
        let keys = [try ZoneKey.generate(zone: name("example."), algorithm: .ed25519, sep: true, now: 0)]
        let records = try sign(.nsec3(), keys: keys)
        try checkSignatures(records, keys: keys)
        #expect(!records.contains { $0.type == .nsec })
        let params = records.filter { $0.type == .nsec3param }
        #expect(params.count == 1 && params.first?.name == name("example."))

        var byHash: [String: RDATA.NSEC3] = [:]
        for r in records { if case .nsec3(let n) = r.rdata { byHash[r.name.lowercased().description] = n } }
        func entry(_ owner: String) -> RDATA.NSEC3? {
            let hash = DNSSEC.nsec3Hash(name(owner), salt: [], iterations: 0)
            return byHash[Base32Hex.encode(hash).lowercased() + ".example."]
        }
        // Names with data, delegations, and the empty non-terminals b.ent, ent and wild.
        #expect(byHash.count == 10)
        #expect(entry("example.")?.types.types == [.ns, .soa, .mx, .rrsig, .dnskey, .nsec3param])
        #expect(entry("sub.example.")?.types.types == [.ns])
        #expect(entry("secure.example.")?.types.types == [.ns, .ds, .rrsig])
        for ent in ["ent.example.", "b.ent.example.", "wild.example."] {
            #expect(entry(ent)?.types.isEmpty == true, "\(ent)")
        }
        #expect(entry("ns.sub.example.") == nil)
        // The chain is one ring in hash order.
        let ordered = byHash.values.map(\.nextHashedOwnerName).sorted { $0.lexicographicallyPrecedes($1) }
        let owners = byHash.keys.compactMap { Base32Hex.decode(Array($0.split(separator: ".")[0].utf8)) }
            .sorted { $0.lexicographicallyPrecedes($1) }
        #expect(ordered == owners)
        #expect(byHash.values.allSatisfy { $0.flags == 0 && $0.iterations == 0 && $0.salt.isEmpty })
    }

    @Test func nsec3OptOutLeavesInsecureDelegationsOut() throws {
        let keys = [try ZoneKey.generate(zone: name("example."), algorithm: .ecdsaP256SHA256, sep: true, now: 0)]
        let records = try sign(.nsec3(iterations: 2, salt: [0xAB], optOut: true), keys: keys)
        try checkSignatures(records, keys: keys)
        let nsec3 = records.compactMap { r -> RDATA.NSEC3? in
            if case .nsec3(let n) = r.rdata { return n }
            return nil
        }
        #expect(nsec3.count == 9)
        #expect(nsec3.allSatisfy { $0.isOptOut && $0.iterations == 2 && $0.salt == [0xAB] })
        let subHash = DNSSEC.nsec3Hash(name("sub.example."), salt: [0xAB], iterations: 2)
        #expect(!records.contains { $0.name == (try? DNSSEC.nsec3Owner(hash: subHash, zone: name("example."))) })
    }

    /// KSK + ZSK: the KSK signs only the DNSKEY RRset, the ZSK all the rest.
    @Test func splitKeysSignTheirOwnRRsets() throws {
        let ksk = try ZoneKey.generate(zone: name("example."), algorithm: .ecdsaP256SHA256, sep: true, now: 0)
        let zsk = try ZoneKey.generate(zone: name("example."), algorithm: .ecdsaP256SHA256, sep: false, now: 0)
        let records = try sign(.nsec, keys: [ksk, zsk])
        try checkSignatures(records, keys: [ksk, zsk])
        for r in records {
            guard case .rrsig(let sig) = r.rdata else { continue }
            #expect(sig.keyTag == (sig.typeCovered == .dnskey ? ksk.keyTag : zsk.keyTag))
        }
        let dnskeys = records.filter { $0.type == .dnskey }
        #expect(dnskeys.count == 2)
    }

    /// Signing a signed zone again replaces its DNSSEC records.
    @Test func resigningReplacesOldSignatures() throws {
        let keys = [try ZoneKey.generate(zone: name("example."), algorithm: .ed25519, sep: true, now: 0)]
        let first = try sign(.nsec, keys: keys)
        let zone = try Zone(origin: name("example."), records: first)
        let second = try ZoneSigner(
            keys: keys, policy: SigningPolicy(denial: .nsec3(), inception: 1000, expiration: 100_000)
        ).sign(zone)
        #expect(!second.contains { $0.type == .nsec })
        #expect(second.filter { $0.type == .dnskey }.count == 1)
        try checkSignatures(second, keys: keys)
    }

    @Test func keysOfAnotherZoneAreRefused() throws {
        let keys = [try ZoneKey.generate(zone: name("example.net."), sep: true, now: 0)]
        #expect(throws: DNSSECError.zone) { try sign(.nsec, keys: keys) }
        #expect(throws: DNSSECError.zone) { try sign(.nsec, keys: []) }
    }
}
