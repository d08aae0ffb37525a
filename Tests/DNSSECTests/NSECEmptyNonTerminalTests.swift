// SPDX-License-Identifier: Apache-2.0

import DNSCore
import Testing

@testable import DNSSEC

/// An NSEC whose next name is below the query name proves that the name
/// exists as an empty non-terminal (RFC 4035 §5.4): never NXDOMAIN, so a
/// validator rejects such an NXDOMAIN and RFC 8198 synthesis answers NODATA.
struct NotNSEC: Error {}

@Suite struct NSECEmptyNonTerminalTests {
    /// mine.test's chain: `b.ent` has no records, `a.b.ent` has an A.
    static func proof() throws -> DenialProof {
        func nsec(_ owner: String, _ next: String, _ types: String) throws -> (DomainName, RDATA.NSEC) {
            let rdata = try RDATA(type: .nsec, text: "\(next) \(types)", origin: .root)
            guard case .nsec(let data) = rdata else { throw NotNSEC() }
            return (try DomainName(owner), data)
        }
        return DenialProof(
            zone: try DomainName("mine.test."),
            nsec: [
                try nsec("mine.test.", "a.b.ent.mine.test.", "SOA NS RRSIG NSEC DNSKEY"),
                try nsec("a.b.ent.mine.test.", "mine.test.", "A RRSIG NSEC"),
            ], nsec3: [])
    }

    @Test func anEmptyNonTerminalIsNotANameError() throws {
        var budget = VerificationBudget()
        let proof = try Self.proof()
        guard case .bogus = proof.nameError(try DomainName("b.ent.mine.test."), budget: &budget) else {
            Issue.record("NXDOMAIN proved for an empty non-terminal")
            return
        }
        #expect(proof.nameErrorEvidence(try DomainName("ent.mine.test."), budget: &budget) == nil)
        #expect(proof.noDataEvidence(try DomainName("b.ent.mine.test."), .a, budget: &budget) != nil)
    }

    /// A name that really is absent in the same span is still NXDOMAIN.
    @Test func anAbsentNameInTheSpanIsStillNXDOMAIN() throws {
        var budget = VerificationBudget()
        let proof = try Self.proof()
        #expect(proof.nameError(try DomainName("a.mine.test."), budget: &budget) == .proved)
    }
}
