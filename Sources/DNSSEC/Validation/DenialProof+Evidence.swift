// SPDX-License-Identifier: Apache-2.0

import DNSCore

/// Which records of a ``DenialProof`` prove a denial: what a resolver that
/// answers from its cache of validated NSEC and NSEC3 records (RFC 8198 §5)
/// puts in the authority section, as the authority would have (RFC 4035
/// §3.1.3, RFC 5155 §7.2). Each answer is the same decision as
/// ``DenialProof/nameError(_:budget:)`` or ``DenialProof/noData(_:_:budget:)``
/// followed by the owners of the records it rested on; nil whenever that
/// decision is not ``DenialOutcome/proved``, and also for an NSEC3 Opt-Out
/// span over the next closer name (RFC 8198 §4: such a span may hide an
/// unsigned delegation, so nothing is synthesized from it).
extension DenialProof {
    /// The owners of the NSEC or NSEC3 records proving that `qname` does not
    /// exist (RFC 4035 §5.4, RFC 5155 §8.4), nil when they do not.
    public func nameErrorEvidence(_ qname: DomainName, budget: inout VerificationBudget) -> [DomainName]? {
        guard case .proved = self.nameError(qname, budget: &budget) else { return nil }
        if !self.nsec.records.isEmpty {
            guard let cover = self.nsec.covering(qname) else { return nil }
            let encloser = self.nsec.closestEncloser(qname, owner: cover.owner, cover.nsec)
            guard let wildcard = encloser.wildcard, let wildcardCover = self.nsec.covering(wildcard) else {
                return nil
            }
            return Self.unique([cover.owner, wildcardCover.owner])
        }
        var hashes = NSEC3Denial.Hashes()
        guard case .proof(let proof) = self.nsec3.closestEncloser(qname, &hashes, &budget),
            !proof.coveringNextCloser.optOut, let wildcard = proof.closestEncloser.wildcard,
            let wh = self.nsec3.hash(wildcard, &hashes, &budget), let wildcardCover = self.nsec3.covering(wh)
        else { return nil }
        return Self.unique([proof.matchingEncloser.owner, proof.coveringNextCloser.owner, wildcardCover.owner])
    }

    /// The owners of the NSEC or NSEC3 records proving that `qname` has no
    /// `qtype` (RFC 4035 §5.4, RFC 5155 §8.5–8.7: a matching bitmap without
    /// the type, an empty non-terminal, a wildcard NODATA), nil when they
    /// do not. Meta types (ANY) are never proved absent by a bitmap.
    public func noDataEvidence(
        _ qname: DomainName, _ qtype: RecordType, budget: inout VerificationBudget
    ) -> [DomainName]? {
        guard qtype != .any, case .proved = self.noData(qname, qtype, budget: &budget) else { return nil }
        if !self.nsec.records.isEmpty {
            if self.nsec.matching(qname) != nil { return [qname] }
            guard let cover = self.nsec.covering(qname) else { return nil }
            if cover.nsec.nextDomainName.isSubdomain(of: qname) && cover.nsec.nextDomainName != qname {
                return [cover.owner]
            }
            let encloser = self.nsec.closestEncloser(qname, owner: cover.owner, cover.nsec)
            guard let wildcard = encloser.wildcard, self.nsec.matching(wildcard) != nil else { return nil }
            return Self.unique([cover.owner, wildcard])
        }
        var hashes = NSEC3Denial.Hashes()
        switch self.nsec3.closestEncloser(qname, &hashes, &budget) {
        case .exists(let match): return [match.owner]
        case .failure: return nil
        case .proof(let proof):
            guard !proof.coveringNextCloser.optOut, let wildcard = proof.closestEncloser.wildcard,
                let wh = self.nsec3.hash(wildcard, &hashes, &budget), let atWildcard = self.nsec3.matching(wh)
            else { return nil }
            return Self.unique([proof.matchingEncloser.owner, proof.coveringNextCloser.owner, atWildcard.owner])
        }
    }

    private static func unique(_ names: [DomainName]) -> [DomainName] {
        var seen = Set<DomainName>()
        return names.filter { seen.insert($0).inserted }
    }
}
