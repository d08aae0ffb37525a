// SPDX-License-Identifier: Apache-2.0

import DNSCore

/// What validated NSEC or NSEC3 records prove about a denial.
public enum DenialOutcome: Sendable, Hashable {
    /// The denial is proved.
    case proved
    /// The records show the answer cannot be proved either way and is to be
    /// treated as insecure: an Opt-Out span (RFC 5155 §6, §8.6; RFC 6840
    /// §4.4) or NSEC3 iterations above the limit (RFC 9276 §3.2, with EDE 27).
    case insecure(ValidationFailure?)
    /// The proof is missing or contradicts the answer.
    case bogus(ValidationFailure)
}

/// What the denial records of a negative DS answer say about a name, while
/// walking a chain of trust down (RFC 4035 §5.2, RFC 5155 §8.6, §8.9).
public enum ZoneCutProof: Sendable, Hashable {
    /// The name is a delegation without DS: everything below is insecure.
    case insecureDelegation
    /// Covered by an Opt-Out NSEC3 span (RFC 5155 §8.9): a delegation there
    /// would be unsigned, so everything below is insecure.
    case optOut
    /// The name is in the same zone as its parent (no NS there, or it does
    /// not exist): the parent's keys go on.
    case notACut
    /// NSEC3 iterations above the limit (RFC 9276 §3.2): insecure, EDE 27.
    case unsupportedIterations(ValidationFailure)
    /// Nothing here proves the absence of a DS.
    case unproved(ValidationFailure)
}

/// The NSEC or NSEC3 records of one zone in a response, already validated,
/// and the proofs they give (RFC 4035 §5.4, RFC 5155 §8). NSEC is used when
/// present, else NSEC3.
public struct DenialProof: Sendable {
    public let zone: DomainName
    public let nsec: NSECDenial
    public let nsec3: NSEC3Denial

    public init(zone: DomainName, nsec: [(DomainName, RDATA.NSEC)], nsec3: [(DomainName, RDATA.NSEC3)]) {
        self.zone = zone
        self.nsec = NSECDenial(zone: zone, records: nsec)
        self.nsec3 = NSEC3Denial(zone: zone, records: nsec3)
    }

    /// True when there is no record to prove anything with.
    public var isEmpty: Bool { self.nsec.records.isEmpty && self.nsec3.records.isEmpty }

    private var missing: ValidationFailure {
        ValidationFailure(.nsecMissing, "zone \(self.zone): no NSEC or NSEC3 record in the denial")
    }

    /// NXDOMAIN for `qname` (RFC 4035 §5.4, RFC 5155 §8.4).
    public func nameError(_ qname: DomainName, budget: inout VerificationBudget) -> DenialOutcome {
        if !self.nsec.records.isEmpty { return self.nsec.nameError(qname) }
        if !self.nsec3.records.isEmpty { return self.nsec3.nameError(qname, budget: &budget) }
        return .bogus(self.missing)
    }

    /// NODATA for `qname` and `qtype`, wildcard NODATA and empty
    /// non-terminals included (RFC 4035 §5.4, RFC 5155 §8.5–8.7).
    public func noData(_ qname: DomainName, _ qtype: RecordType, budget: inout VerificationBudget) -> DenialOutcome {
        if !self.nsec.records.isEmpty { return self.nsec.noData(qname, qtype) }
        if !self.nsec3.records.isEmpty { return self.nsec3.noData(qname, qtype, budget: &budget) }
        return .bogus(self.missing)
    }

    /// That `qname`, answered by expanding a wildcard whose RRSIG has
    /// `labels` labels, does not exist itself (RFC 4035 §5.3.4, RFC 5155 §8.8).
    public func wildcardAnswer(_ qname: DomainName, labels: Int, budget: inout VerificationBudget) -> DenialOutcome {
        if !self.nsec.records.isEmpty { return self.nsec.wildcardAnswer(qname, labels: labels) }
        if !self.nsec3.records.isEmpty { return self.nsec3.wildcardAnswer(qname, labels: labels, budget: &budget) }
        return .bogus(self.missing)
    }

    /// What a negative answer to a DS query for `name` proves.
    public func zoneCut(at name: DomainName, budget: inout VerificationBudget) -> ZoneCutProof {
        if !self.nsec.records.isEmpty { return self.nsec.zoneCut(at: name) }
        if !self.nsec3.records.isEmpty { return self.nsec3.zoneCut(at: name, budget: &budget) }
        return .unproved(self.missing)
    }
}
