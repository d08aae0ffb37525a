// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSResolver
import DNSSEC
import DNSZone
import Synchronization
import Testing

/// KeyTrap (CVE-2023-50387), the key cache, DNAME, names outside the trust
/// anchors.
@Suite struct DNSSECValidatorLimitTests {
    /// Ed25519 DNSKEYs that share `key`'s tag: random public keys whose last
    /// two octets (one 16-bit word of the RFC 4034 Appendix B sum) are set
    /// so that the tag matches.
    static func colliding(with key: RDATA.DNSKEY, count: Int) -> [RDATA.DNSKEY] {
        var out: [RDATA.DNSKEY] = []
        while out.count < count {
            var bytes = (0..<32).map { _ in UInt8.random(in: 0...255) }
            bytes[30] = 0
            bytes[31] = 0
            let base = RDATA.DNSKEY(flags: 256, algorithm: .ed25519, publicKey: bytes).keyTag
            let word = key.keyTag &- base
            for delta: UInt16 in [0, 1, 0xFFFF] {
                let w = word &+ delta
                bytes[30] = UInt8(truncatingIfNeeded: w >> 8)
                bytes[31] = UInt8(truncatingIfNeeded: w)
                let candidate = RDATA.DNSKEY(flags: 256, algorithm: .ed25519, publicKey: bytes)
                if candidate.keyTag == key.keyTag {
                    out.append(candidate)
                    break
                }
            }
        }
        return out
    }

    static let keyTrapWorld: Result<TestWorld, any Error> = Result {
        try TestWorld.build([
            ZoneSpec(origin: "."),
            ZoneSpec(
                origin: "keytrap.test.", body: "www A 192.0.2.1", algorithm: .ed25519,
                extraKeys: { colliding(with: $0, count: 40) },
                mutate: { records in
                    // 40 RRSIGs over www A, all naming the colliding tag, none valid.
                    var out = records.removingSignatures("www.keytrap.test.", .a)
                    guard
                        let sig = records.first(where: {
                            if case .rrsig(let s) = $0.rdata { return s.typeCovered == .dnskey }
                            return false
                        }), case .rrsig(let template) = sig.rdata
                    else { return out }
                    for i in 0..<40 {
                        var forged = template
                        forged.typeCovered = .a
                        forged.labels = 3
                        forged.signature = (0..<64).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ i) }
                        out.append(
                            ResourceRecord(name: TestWorld.name("www.keytrap.test."), ttl: 300, rdata: .rrsig(forged)))
                    }
                    return out
                }),
        ])
    }

    @Test func keyTrapEndsBogusAfterBoundedWork() async throws {
        let world = try Self.keyTrapWorld.get()
        let limits = VerificationLimits()
        let validator = DNSSECValidator(
            configuration: .init(trustAnchors: [world.anchor], limits: limits, clock: { TestWorld.now }))
        let (response, question) = world.net.query("www.keytrap.test.", .a)
        let clock = ContinuousClock()
        let start = clock.now
        let status = await validator.validate(response, question: question, lookup: world.net)
        let elapsed = clock.now - start
        guard case .bogus(let code, let reason) = status else { Issue.record("not bogus: \(status)"); return }
        #expect(code == .dnssecBogus, "\(reason)")
        let verifications = await validator.statistics.verifications
        // 40 × 41 pairs unbounded; here at most keys × signatures for the RRset plus the chain.
        #expect(verifications <= limits.keysPerSignature * limits.signaturesPerRRset + 4)
        #expect(verifications <= limits.verificationsPerResponse)
        #expect(elapsed < .seconds(5))
    }

    @Test func verificationBudgetCapsTheResponse() async throws {
        let world = try Self.keyTrapWorld.get()
        let limits = VerificationLimits(keysPerSignature: 100, signaturesPerRRset: 100, verificationsPerResponse: 10)
        let validator = DNSSECValidator(
            configuration: .init(trustAnchors: [world.anchor], limits: limits, clock: { TestWorld.now }))
        let (response, question) = world.net.query("www.keytrap.test.", .a)
        let status = await validator.validate(response, question: question, lookup: world.net)
        guard case .bogus(_, let reason) = status else { Issue.record("not bogus: \(status)"); return }
        #expect(reason.contains("work limit"), "\(reason)")
        #expect(await validator.statistics.verifications == 10)
    }

    static let world: Result<TestWorld, any Error> = Result {
        try TestWorld.build([
            ZoneSpec(origin: "."),
            ZoneSpec(origin: "test."),
            ZoneSpec(origin: "a.test.", body: "www A 192.0.2.1\nold DNAME b.test."),
            ZoneSpec(origin: "b.test.", body: "www A 192.0.2.2", algorithm: .ecdsaP384SHA384, denial: .nsec3()),
        ])
    }

    /// A cache hit costs no cryptography for the chain: the second answer
    /// from the same zone needs one verification (its own RRset) and no lookup.
    @Test func keySetsAreCached() async throws {
        let world = try Self.world.get()
        let validator = DNSSECValidator(
            configuration: .init(trustAnchors: [world.anchor], clock: { TestWorld.now }))
        let (response, question) = world.net.query("www.a.test.", .a)
        #expect(await validator.validate(response, question: question, lookup: world.net) == .secure)
        let first = await validator.statistics.verifications
        let lookups = world.net.queries
        #expect(first >= 5)  // root DNSKEY, test DS and DNSKEY, a.test DS and DNSKEY, the answer
        #expect(await validator.validate(response, question: question, lookup: world.net) == .secure)
        #expect(await validator.statistics.verifications == first + 1)
        #expect(world.net.queries == lookups)
    }

    /// Keys expire with their TTL (and the signatures' validity): later,
    /// the chain is fetched again.
    @Test func cachedKeysExpire() async throws {
        let world = try Self.world.get()
        let now = Mutex(TestWorld.now)
        let validator = DNSSECValidator(
            configuration: .init(trustAnchors: [world.anchor], clock: { now.withLock { $0 } }))
        let (response, question) = world.net.query("www.a.test.", .a)
        #expect(await validator.validate(response, question: question, lookup: world.net) == .secure)
        let lookups = world.net.queries
        now.withLock { $0 += 301 }  // past the DNSKEY and DS TTL of 300
        #expect(await validator.validate(response, question: question, lookup: world.net) == .secure)
        #expect(world.net.queries > lookups)
    }

    /// A DNAME in a secure zone rewrites the name into another zone; the
    /// synthesized CNAME is unsigned and must agree with the DNAME.
    @Test func dnameAcrossZones() async throws {
        let world = try Self.world.get()
        let validator = DNSSECValidator(
            configuration: .init(trustAnchors: [world.anchor], clock: { TestWorld.now }))
        let (dnameAnswer, _) = world.net.query("old.a.test.", .dname)
        let (target, _) = world.net.query("www.b.test.", .a)
        var response = dnameAnswer
        let synthesized = try ResourceRecord(text: "www.old.a.test. 300 IN CNAME www.b.test.")
        response.answers = dnameAnswer.answers + [synthesized] + target.answers
        let question = Question(name: TestWorld.name("www.old.a.test."), type: .a)
        #expect(await validator.validate(response, question: question, lookup: world.net) == .secure)

        var forged = response
        forged.answers = dnameAnswer.answers + [try ResourceRecord(text: "www.old.a.test. 300 IN CNAME evil.test.")]
        guard case .bogus = await validator.validate(forged, question: question, lookup: world.net) else {
            Issue.record("a CNAME contradicting the DNAME was accepted"); return
        }
    }

    /// A name under no trust anchor is indeterminate (as Unbound).
    @Test func outsideTheAnchorsIsIndeterminate() async throws {
        let world = try Self.world.get()
        let anchor = TrustAnchor(zone: TestWorld.name("a.test."), ds: [])
        let validator = DNSSECValidator(configuration: .init(trustAnchors: [anchor], clock: { TestWorld.now }))
        let (response, question) = world.net.query("www.b.test.", .a)
        #expect(await validator.validate(response, question: question, lookup: world.net) == .indeterminate)
    }

    /// A lookup that answers nothing: the chain cannot be built.
    @Test func noAnswersIsBogus() async throws {
        struct Silent: ValidationLookup {
            func lookup(_ name: DomainName, _ type: RecordType) async -> DNSMessage? { nil }
        }
        let world = try Self.world.get()
        let validator = DNSSECValidator(
            configuration: .init(trustAnchors: [world.anchor], clock: { TestWorld.now }))
        let (response, question) = world.net.query("www.a.test.", .a)
        guard case .bogus(let code, _) = await validator.validate(response, question: question, lookup: Silent()) else {
            Issue.record("validated without keys"); return
        }
        #expect(code == .dnskeyMissing)
    }
}
