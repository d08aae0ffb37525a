// SPDX-License-Identifier: Apache-2.0

import DNSCore
import Testing

@testable import DNSSEC

/// RFC 5155 Appendix B: the proofs of the example zone of Appendix A
/// (salt AABBCCDD, 12 iterations, Opt-Out on every NSEC3), checked with the
/// validator's NSEC3 code; each also fails with a record removed or altered.
/// And the NSEC rules of RFC 4035 §5.4 and RFC 6840 §4.1.
@Suite struct DenialProofVectorTests {
    /// The NSEC3 chain of RFC 5155 Appendix A, in hash order.
    static let chain = [
        // example.
        "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom 2t7b4g4vsa5smi47k61mv5bv1a22bojr MX DNSKEY NS SOA NSEC3PARAM RRSIG",
        "2t7b4g4vsa5smi47k61mv5bv1a22bojr 2vptu5timamqttgl4luu9kg21e0aor3s A RRSIG",  // ns1.example.
        "2vptu5timamqttgl4luu9kg21e0aor3s 35mthgpgcu1qg68fab165klnsnk3dpvl MX RRSIG",  // x.y.w.example.
        "35mthgpgcu1qg68fab165klnsnk3dpvl b4um86eghhds6nea196smvmlo4ors995 NS DS RRSIG",  // a.example.
        "b4um86eghhds6nea196smvmlo4ors995 gjeqe526plbf1g8mklp59enfd789njgi MX RRSIG",  // x.w.example.
        "gjeqe526plbf1g8mklp59enfd789njgi ji6neoaepv8b5o6k4ev33abha8ht9fgc A HINFO AAAA RRSIG",  // ai.example.
        "ji6neoaepv8b5o6k4ev33abha8ht9fgc k8udemvp1j2f7eg6jebps17vp3n8i58h",  // y.w.example. (ENT)
        "k8udemvp1j2f7eg6jebps17vp3n8i58h q04jkcevqvmu85r014c7dkba38o0ji5r",  // w.example. (ENT)
        "q04jkcevqvmu85r014c7dkba38o0ji5r r53bq7cc2uvmubfu5ocmm6pers9tk9en A RRSIG",  // ns2.example.
        "r53bq7cc2uvmubfu5ocmm6pers9tk9en t644ebqk9bibcna874givr6joj62mlhv MX RRSIG",  // *.w.example.
        "t644ebqk9bibcna874givr6joj62mlhv 0p9mhaveqvm6t7vbl5lop2u3t2rp3tom A HINFO AAAA RRSIG",  // xx.example.
    ]

    static func records(_ owners: [String], flags: UInt8 = 1, edit: (String) -> String = { $0 })
        -> [(DomainName, RDATA.NSEC3)]
    {
        owners.compactMap { hash in
            guard let line = chain.first(where: { $0.hasPrefix(hash) }) else { return nil }
            let parts = edit(line).split(separator: " ", maxSplits: 1).map(String.init)
            let text = "\(parts[0]).example. 3600 IN NSEC3 1 \(flags) 12 aabbccdd \(parts[1])"
            guard let rr = record(text), case .nsec3(let n) = rr.rdata else { return nil }
            return (rr.name, n)
        }
    }

    static func proof(_ records: [(DomainName, RDATA.NSEC3)]) -> DenialProof {
        DenialProof(zone: name("example."), nsec: [], nsec3: records)
    }

    /// The chain itself is what Appendix A lists: every next hash is the
    /// following owner's, and the hashes are those of the zone's names.
    @Test func chainIsConsistent() {
        let all = Self.records(Self.chain.map { String($0.prefix(32)) })
        #expect(all.count == 11)
        for (i, (_, nsec3)) in all.enumerated() {
            let next = all[(i + 1) % all.count].0
            #expect(Base32Hex.decode(next.firstLabel) == nsec3.nextHashedOwnerName)
        }
    }

    // B.1: a.c.x.w.example. NXDOMAIN. Closest encloser x.w.example (b4um86),
    // next closer c.x.w.example covered by 0p9mhave, *.x.w.example covered by 35mthgp.
    static let b1 = [
        "b4um86eghhds6nea196smvmlo4ors995", "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom", "35mthgpgcu1qg68fab165klnsnk3dpvl",
    ]

    @Test func b1NameError() {
        var budget = VerificationBudget()
        // As published, the next closer's NSEC3 has Opt-Out: an unsigned
        // delegation could hide there, so the answer is only insecure (as Unbound).
        #expect(
            Self.proof(Self.records(Self.b1)).nameError(name("a.c.x.w.example."), budget: &budget) == .insecure(nil))
        // Without Opt-Out the same records prove the name error.
        #expect(
            Self.proof(Self.records(Self.b1, flags: 0)).nameError(name("a.c.x.w.example."), budget: &budget) == .proved)
        for i in Self.b1.indices {
            var fewer = Self.b1
            fewer.remove(at: i)
            guard
                case .bogus = Self.proof(Self.records(fewer, flags: 0)).nameError(
                    name("a.c.x.w.example."), budget: &budget)
            else {
                Issue.record("B.1 without \(Self.b1[i]) is not bogus")
                continue
            }
        }
        // The name exists: no name error.
        guard case .bogus = Self.proof(Self.records(Self.b1, flags: 0)).nameError(name("x.w.example."), budget: &budget)
        else { Issue.record("x.w.example. proved absent"); return }
    }

    // B.2: ns1.example. MX, NODATA: the NSEC3 matching ns1 (2t7b4g4v) lists A only.
    @Test func b2NoData() {
        var budget = VerificationBudget()
        let ns1 = ["2t7b4g4vsa5smi47k61mv5bv1a22bojr"]
        #expect(Self.proof(Self.records(ns1)).noData(name("ns1.example."), .mx, budget: &budget) == .proved)
        guard case .bogus = Self.proof(Self.records(ns1)).noData(name("ns1.example."), .a, budget: &budget) else {
            Issue.record("A at ns1 proved absent"); return
        }
        let altered = Self.records(ns1) { _ in
            "2t7b4g4vsa5smi47k61mv5bv1a22bojr 2vptu5timamqttgl4luu9kg21e0aor3s A MX RRSIG"
        }
        guard case .bogus = Self.proof(altered).noData(name("ns1.example."), .mx, budget: &budget) else {
            Issue.record("a bitmap with MX proves no MX"); return
        }
        guard
            case .bogus = Self.proof(Self.records(["0p9mhaveqvm6t7vbl5lop2u3t2rp3tom"])).noData(
                name("ns1.example."), .mx, budget: &budget)
        else { Issue.record("NODATA without the matching NSEC3"); return }
    }

    // B.2.1: y.w.example. A, an empty non-terminal: its NSEC3 (ji6neoae) has an empty bitmap.
    @Test func b21EmptyNonTerminal() {
        var budget = VerificationBudget()
        let ent = ["ji6neoaepv8b5o6k4ev33abha8ht9fgc"]
        #expect(Self.proof(Self.records(ent)).noData(name("y.w.example."), .a, budget: &budget) == .proved)
        let altered = Self.records(ent) { $0 + " A" }
        guard case .bogus = Self.proof(altered).noData(name("y.w.example."), .a, budget: &budget) else {
            Issue.record("an ENT bitmap with A proves no A"); return
        }
    }

    // B.3: mc.c.example. referral to the unsigned c.example: closest encloser
    // example. (0p9mhave), next closer c.example. covered by the Opt-Out 35mthgp.
    @Test func b3OptOutReferral() {
        var budget = VerificationBudget()
        let b3 = ["0p9mhaveqvm6t7vbl5lop2u3t2rp3tom", "35mthgpgcu1qg68fab165klnsnk3dpvl"]
        #expect(Self.proof(Self.records(b3)).noData(name("c.example."), .ds, budget: &budget) == .insecure(nil))
        #expect(Self.proof(Self.records(b3)).zoneCut(at: name("c.example."), budget: &budget) == .optOut)
        // Without Opt-Out the span proves c.example. does not exist (no cut there).
        #expect(Self.proof(Self.records(b3, flags: 0)).zoneCut(at: name("c.example."), budget: &budget) == .notACut)
        guard case .unproved = Self.proof(Self.records([b3[0]])).zoneCut(at: name("c.example."), budget: &budget) else {
            Issue.record("B.3 without the covering NSEC3 proved something"); return
        }
        // a.example. is a signed delegation: its NSEC3 lists DS.
        guard
            case .unproved = Self.proof(Self.records(["35mthgpgcu1qg68fab165klnsnk3dpvl"])).zoneCut(
                at: name("a.example."), budget: &budget)
        else { Issue.record("a DS proved absent at a.example."); return }
    }

    // B.4: a.z.w.example. MX from *.w.example. (RRSIG labels 2): the next
    // closer z.w.example. is covered by q04jkcev.
    @Test func b4WildcardExpansion() {
        var budget = VerificationBudget()
        let b4 = ["q04jkcevqvmu85r014c7dkba38o0ji5r"]
        #expect(
            Self.proof(Self.records(b4)).wildcardAnswer(name("a.z.w.example."), labels: 2, budget: &budget) == .proved)
        guard
            case .bogus = Self.proof(Self.records(["k8udemvp1j2f7eg6jebps17vp3n8i58h"])).wildcardAnswer(
                name("a.z.w.example."), labels: 2, budget: &budget)
        else { Issue.record("B.4 without its NSEC3 proved"); return }
    }

    // B.5: a.z.w.example. AAAA, wildcard NODATA: closest encloser w.example.
    // (k8udemvp), next closer covered by q04jkcev, *.w.example. (r53bq7cc) lists MX only.
    @Test func b5WildcardNoData() {
        var budget = VerificationBudget()
        let b5 = [
            "k8udemvp1j2f7eg6jebps17vp3n8i58h", "q04jkcevqvmu85r014c7dkba38o0ji5r", "r53bq7cc2uvmubfu5ocmm6pers9tk9en",
        ]
        #expect(Self.proof(Self.records(b5)).noData(name("a.z.w.example."), .aaaa, budget: &budget) == .proved)
        for i in b5.indices {
            var fewer = b5
            fewer.remove(at: i)
            guard case .bogus = Self.proof(Self.records(fewer)).noData(name("a.z.w.example."), .aaaa, budget: &budget)
            else {
                Issue.record("B.5 without \(b5[i]) is not bogus")
                continue
            }
        }
        guard case .bogus = Self.proof(Self.records(b5)).noData(name("a.z.w.example."), .mx, budget: &budget) else {
            Issue.record("MX at the wildcard proved absent"); return
        }
    }

    /// RFC 9276 §3.2: above 150 iterations the proof is insecure with EDE 27.
    @Test func iterationsAboveLimitAreInsecure() {
        var budget = VerificationBudget()
        guard
            let rr = record(
                "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example. 3600 IN NSEC3 1 0 151 aabbccdd 2t7b4g4vsa5smi47k61mv5bv1a22bojr A"
            ),
            case .nsec3(let n) = rr.rdata
        else { return }
        let outcome = Self.proof([(rr.name, n)]).nameError(name("zz.example."), budget: &budget)
        guard case .insecure(let failure) = outcome else { Issue.record("not insecure: \(outcome)"); return }
        #expect(failure?.code == .unsupportedNSEC3IterationsValue)
        #expect(budget.nsec3Hashes == 0)
    }

    /// RFC 4035 §5.4 and RFC 6840 §4.1 with NSEC.
    @Test func nsecRules() {
        var budget = VerificationBudget()
        func nsec(_ text: String) -> (DomainName, RDATA.NSEC)? {
            guard let rr = record(text), case .nsec(let n) = rr.rdata else { return nil }
            return (rr.name, n)
        }
        let zone = name("example.")
        let apex = nsec("example. 300 IN NSEC a.example. SOA NS RRSIG NSEC DNSKEY")
        let cut = nsec("a.example. 300 IN NSEC d.example. NS RRSIG NSEC")
        let d = nsec("d.example. 300 IN NSEC example. A RRSIG NSEC")
        let all = [apex, cut, d].compactMap { $0 }
        let proof = DenialProof(zone: zone, nsec: all, nsec3: [])
        #expect(proof.nameError(name("b.example."), budget: &budget) == .proved)
        #expect(proof.noData(name("d.example."), .aaaa, budget: &budget) == .proved)
        #expect(proof.zoneCut(at: name("a.example."), budget: &budget) == .insecureDelegation)
        #expect(proof.zoneCut(at: name("d.example."), budget: &budget) == .notACut)
        // The parent-side NSEC at a cut proves no DS, not the absence of other types (RFC 6840 §4.1)…
        #expect(proof.noData(name("a.example."), .ds, budget: &budget) == .proved)
        guard case .bogus = proof.noData(name("a.example."), .a, budget: &budget) else {
            Issue.record("a delegation's NSEC proved NODATA for A"); return
        }
        // …nor anything below the cut.
        guard case .bogus = proof.nameError(name("x.a.example."), budget: &budget) else {
            Issue.record("a delegation's NSEC proved a name below it absent"); return
        }
        // The apex NSEC (SOA) cannot deny the zone's own DS at the parent.
        guard case .bogus = proof.noData(name("example."), .ds, budget: &budget) else {
            Issue.record("the child apex NSEC proved no DS"); return
        }
        // Without the wildcard's denial an NXDOMAIN is not proved.
        let noWildcard = DenialProof(zone: zone, nsec: [cut].compactMap { $0 }, nsec3: [])
        guard case .bogus = noWildcard.nameError(name("b.example."), budget: &budget) else {
            Issue.record("NXDOMAIN proved without a wildcard denial"); return
        }
    }
}
