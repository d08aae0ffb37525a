// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSZone
import Testing

@testable import DNSSEC

/// The shared pieces of authenticated denial (RFC 4035 §3.1.3, §5.4;
/// RFC 5155 §1.3, §7.2, §8.3): names, cover and match tests, and the index
/// of a zone's chain — including chains that are broken or odd.
@Suite struct DenialPrimitivesTests {
    @Test(arguments: [
        ("a.b.c.example.", "example.", "c.example."),
        ("c.example.", "example.", "c.example."),
        ("x.y.w.example.", "w.example.", "y.w.example."),
        ("example.", "example.", nil),
        ("other.test.", "example.", nil),
    ])
    func nextCloserName(_ name: String, _ encloser: String, _ expected: String?) {
        #expect(DNSSEC.nextCloserName(name_(name), closestEncloser: name_(encloser)) == expected.map(name_))
    }

    @Test func wildcardAndEnclosers() {
        #expect(DNSSEC.wildcardName(closestEncloser: name_("w.example.")) == name_("*.w.example."))
        #expect(
            DNSSEC.enclosers(of: name_("a.b.example."), upTo: name_("example."))
                == [name_("a.b.example."), name_("b.example."), name_("example.")])
        #expect(DNSSEC.enclosers(of: name_("a.test."), upTo: name_("example.")).isEmpty)
    }

    /// RFC 4034 §6.1's ordering example, with the chain's last NSEC wrapping to the apex.
    @Test(arguments: [
        ("example.", "a.example.", "0.example.", true),  // apex .. next: 0 sorts between
        ("a.example.", "z.example.", "yljkjljk.a.example.", true),
        ("a.example.", "z.example.", "Z.a.example.", true),
        ("a.example.", "z.example.", "z.example.", false),  // equal to next: not covered
        ("a.example.", "z.example.", "a.example.", false),  // equal to owner: matched, not covered
        ("a.example.", "z.example.", "zz.example.", false),
        ("z.example.", "example.", "zz.example.", true),  // the last NSEC
        ("z.example.", "example.", "b.example.", false),
        ("*.z.example.", "\\200.z.example.", "a.z.example.", true),
    ])
    func nsecCovers(_ owner: String, _ next: String, _ name: String, _ covers: Bool) {
        #expect(DNSSEC.nsecCovers(owner: name_(owner), next: name_(next), name: name_(name)) == covers)
    }

    @Test func nsecMatchAndBitmap() {
        #expect(DNSSEC.nsecMatches(owner: name_("A.example."), name: name_("a.EXAMPLE.")))
        #expect(DNSSEC.bitmapProvesNoData(TypeBitmap([.a, .rrsig, .nsec]), type: .txt))
        #expect(!DNSSEC.bitmapProvesNoData(TypeBitmap([.a, .rrsig, .nsec]), type: .a))
        #expect(!DNSSEC.bitmapProvesNoData(TypeBitmap([.cname, .rrsig, .nsec]), type: .txt))
    }

    @Test func nsec3CoverAndMatch() {
        let a: [UInt8] = [0x10]
        let b: [UInt8] = [0x20]
        #expect(DNSSEC.nsec3Covers(ownerHash: a, nextHash: b, hash: [0x15]))
        #expect(!DNSSEC.nsec3Covers(ownerHash: a, nextHash: b, hash: [0x20]))
        #expect(!DNSSEC.nsec3Covers(ownerHash: a, nextHash: b, hash: [0x10]))
        // The last NSEC3 wraps around.
        #expect(DNSSEC.nsec3Covers(ownerHash: b, nextHash: a, hash: [0x30]))
        #expect(DNSSEC.nsec3Covers(ownerHash: b, nextHash: a, hash: [0x05]))
        #expect(!DNSSEC.nsec3Covers(ownerHash: b, nextHash: a, hash: [0x15]))
        // A chain of one covers everything but its own hash.
        #expect(DNSSEC.nsec3Covers(ownerHash: a, nextHash: a, hash: [0x15]))
        #expect(DNSSEC.nsec3Matches(ownerHash: a, hash: [0x10]))
    }

    @Test func nsec3OwnerHash() {
        let owner = name_("0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example.")
        let hash = DNSSEC.nsec3OwnerHash(owner, zone: name_("example."))
        #expect(hash == DNSSEC.nsec3Hash(name_("example."), salt: [0xAA, 0xBB, 0xCC, 0xDD], iterations: 12))
        #expect(DNSSEC.nsec3OwnerHash(name_("not-base32!.example."), zone: name_("example.")) == nil)
        #expect(
            DNSSEC.nsec3OwnerHash(name_("a.0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example."), zone: name_("example.")) == nil)
        #expect(DNSSEC.nsec3OwnerHash(name_("0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.test."), zone: name_("example.")) == nil)
    }

    static let rfc5155Salt: [UInt8] = [0xAA, 0xBB, 0xCC, 0xDD]

    /// A few NSEC3 records of RFC 5155 Appendix A (owners and next hashes
    /// from its hashes), a chain with holes: proofs find what exists.
    static func rfc5155Zone(dropping: Set<String> = []) throws -> Zone {
        let hashes = [
            "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom", "2t7b4g4vsa5smi47k61mv5bv1a22bojr",
            "35mthgpgcu1qg68fab165klnsnk3dpvl", "b4um86eghhds6nea196smvmlo4ors995",
            "k8udemvp1j2f7eg6jebps17vp3n8i58h", "r53bq7cc2uvmubfu5ocmm6pers9tk9en",
        ]
        var text = """
            $ORIGIN example.
            $TTL 3600
            @ SOA ns1 bugs.x.w 1 3600 300 3600000 3600
            @ NS ns1
            @ NSEC3PARAM 1 0 12 aabbccdd
            ns1 A 192.0.2.1
            a NS ns1.a
            ns1.a A 192.0.2.5
            w MX 1 x.w
            *.w MX 1 ai
            x.w MX 1 xx

            """
        for (i, hash) in hashes.enumerated() where !dropping.contains(hash) {
            let next = hashes[(i + 1) % hashes.count]
            text += "\(hash) NSEC3 1 1 12 aabbccdd \(next) A RRSIG\n"
        }
        // Odd records the index must skip: another chain's parameters, a bad owner, NSEC3 below an owner.
        text += "t644ebqk9bibcna874givr6joj62mlhv NSEC3 1 0 7 - 0p9mhaveqvm6t7vbl5lop2u3t2rp3tom A\n"
        text += "zzzz NSEC3 1 1 12 aabbccdd 0p9mhaveqvm6t7vbl5lop2u3t2rp3tom A\n"
        let parsed = ZoneFileParser.parse(text: text, origin: name_("example."))
        #expect(parsed.errors.isEmpty, "\(parsed.errors)")
        return try Zone(parsed)
    }

    @Test func indexFindsMatchesAndCovers() throws {
        let zone = try Self.rfc5155Zone()
        let index = zone.denialIndex
        #expect(index.chain == .nsec3)
        #expect(index.iterations == 12 && index.salt == Self.rfc5155Salt)
        // RFC 5155 B.1: the NSEC3 covering c.example. (4g6p9u5g…) is 35mthgpg….
        let c = index.hash(name_("c.example."))
        #expect(index.coveringNSEC3(c)?.name == name_("35mthgpgcu1qg68fab165klnsnk3dpvl.example."))
        #expect(
            index.nsec3(matching: index.hash(name_("example.")))?.name
                == name_("0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example."))
        #expect(index.nsec3(matching: c) == nil)
        // Before the first hash: the last NSEC3 (the chain wraps).
        #expect(index.coveringNSEC3([0x00])?.name == name_("r53bq7cc2uvmubfu5ocmm6pers9tk9en.example."))
        // RFC 5155 B.3: mc.c.example.'s closest provable encloser is the apex, next closer c.example.
        let provable = try #require(index.closestProvableEncloser(of: name_("mc.c.example.")))
        #expect(provable.encloser == name_("example."))
        #expect(provable.nextCloser == name_("c.example."))
        // The index is built once per snapshot.
        #expect(zone.denialIndex === index)
    }

    @Test func brokenChainsDoNotCrash() throws {
        // Holes: the apex's NSEC3 gone; the covering one is still found, no provable encloser.
        let zone = try Self.rfc5155Zone(dropping: ["0p9mhaveqvm6t7vbl5lop2u3t2rp3tom"])
        let index = zone.denialIndex
        #expect(index.closestProvableEncloser(of: name_("mc.c.example.")) == nil)
        #expect(index.coveringNSEC3(index.hash(name_("c.example."))) != nil)
        // Every hash dropped: no chain.
        let empty = try Self.rfc5155Zone(dropping: [
            "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom", "2t7b4g4vsa5smi47k61mv5bv1a22bojr",
            "35mthgpgcu1qg68fab165klnsnk3dpvl", "b4um86eghhds6nea196smvmlo4ors995",
            "k8udemvp1j2f7eg6jebps17vp3n8i58h", "r53bq7cc2uvmubfu5ocmm6pers9tk9en",
        ])
        #expect(empty.denialIndex.chain == .none)
        #expect(empty.denialIndex.coveringNSEC3([1, 2, 3]) == nil)
        #expect(empty.denialIndex.coveringNSEC(name_("x.example.")) == nil)
    }

    @Test func nsecIndex() throws {
        let text = """
            $ORIGIN example.
            @ 300 SOA ns1 h 1 1 1 1 1
            @ 300 NS ns1
            @ 300 NSEC a NS SOA RRSIG NSEC
            a 300 A 192.0.2.1
            a 300 NSEC b.c A RRSIG NSEC
            b.c 300 A 192.0.2.2
            b.c 300 NSEC example. A RRSIG NSEC TYPE65000
            sub 300 NS ns.sub
            x.sub 300 NSEC example. A
            """
        let parsed = ZoneFileParser.parse(text: text, origin: name_("example."))
        #expect(parsed.errors.isEmpty, "\(parsed.errors)")
        let index = try Zone(parsed).denialIndex
        #expect(index.chain == .nsec)
        #expect(index.coveringNSEC(name_("0.example."))?.name == name_("example."))
        #expect(index.coveringNSEC(name_("c.example."))?.name == name_("a.example."))
        #expect(index.coveringNSEC(name_("z.example."))?.name == name_("b.c.example."))
        #expect(index.coveringNSEC(name_("a.example."))?.name == name_("a.example."))
        #expect(index.nsec(at: name_("A.EXAMPLE."))?.name == name_("a.example."))
        #expect(index.nsec(at: name_("c.example.")) == nil)
        // The NSEC below the cut is not the zone's: not indexed.
        #expect(index.nsec(at: name_("x.sub.example.")) == nil)
    }
}

private func name_(_ text: String) -> DomainName { name(text) }
