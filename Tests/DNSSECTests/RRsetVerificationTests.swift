// SPDX-License-Identifier: Apache-2.0

import DNSCore
import Testing

@testable import DNSSEC

/// ``DNSSEC/verifyRRset(_:keys:zone:now:budget:)`` on the RFC 6605 §6
/// examples (P-256 and P-384): the proof, its TTL, and each failure's EDE.
@Suite struct RRsetVerificationTests {
    @Test(arguments: RFCVectorTests.ecdsa)
    func rfc6605Example(_ example: RFCVectorTests.ECDSAExample) throws {
        let (zone, key) = try #require(dnskey(example.dnskey))
        let data = try #require(record(example.record))
        let (_, sig) = try #require(rrsig(example.rrsig))
        let set = SignedRRset(name: data.name, type: .a, ttl: 3600, rdata: [data.rdata], signatures: [sig])
        var budget = VerificationBudget()
        let now = sig.inception + 10
        let verified = try DNSSEC.verifyRRset(set, keys: [key], zone: zone, now: now, budget: &budget).get()
        #expect(verified.keyTag == example.keyTag)
        #expect(verified.ttl == 3600)
        #expect(verified.wildcardLabels == nil)
        #expect(budget.verifications == 1)

        func code(_ set: SignedRRset, keys: [RDATA.DNSKEY] = [key], at time: UInt32 = now) -> UInt16? {
            var budget = VerificationBudget()
            guard
                case .failure(let failure) = DNSSEC.verifyRRset(set, keys: keys, zone: zone, now: time, budget: &budget)
            else { return nil }
            #expect(failure.reason.contains("\(zone)"))
            return failure.code.rawValue
        }
        #expect(code(set, at: sig.expiration + 1) == 7)
        #expect(code(set, at: sig.inception - 1) == 8)
        #expect(code(set, keys: []) == 9)
        var unsigned = set
        unsigned.signatures = []
        #expect(code(unsigned) == 10)
        var altered = set
        altered.rdata = [try #require(record("x. 1 IN A 192.0.2.2")).rdata]
        #expect(code(altered) == 6)
        // The TTL is capped by the time left before expiration (RFC 4035 §5.3.3).
        var late = VerificationBudget()
        let near = try DNSSEC.verifyRRset(set, keys: [key], zone: zone, now: sig.expiration - 60, budget: &late).get()
        #expect(near.ttl == 60)
    }
}
