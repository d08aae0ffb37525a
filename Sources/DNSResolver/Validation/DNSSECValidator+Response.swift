// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSSEC

/// A response as a whole (RFC 4035 §5.3–5.4): its answer chain, wildcard
/// expansions and denial of existence.
extension DNSSECValidator {
    /// The longest CNAME/DNAME chain followed in one response (as BIND's 16).
    static let maxChainLength = 16

    func validateResponse(
        _ response: DNSMessage, question: Question, lookup: any ValidationLookup, budget: inout VerificationBudget
    ) async -> SecurityStatus {
        guard self.anchor(for: question.name) != nil else { return .indeterminate }
        let now = self.configuration.clock()
        let answers = SignedRRset.group(response.answers.filter { $0.dnsClass == question.dnsClass })
        var combined = CombinedStatus()
        var sname = question.name
        var answered = false
        /// Wildcard expansions to prove: the owner, the RRSIG labels, the signer.
        var wildcards: [(DomainName, Int, DomainName)] = []

        chain: for _ in 0..<Self.maxChainLength {
            if let set = answers.first(where: {
                $0.name == sname && ($0.type == question.type || question.type == .any) && $0.type != .cname
            }) {
                combined.add(
                    await self.validateRRset(set, lookup: lookup, budget: &budget, now: now, wildcards: &wildcards))
                answered = true
                break chain
            }
            if let dname = answers.first(where: {
                $0.type == .dname && sname.isSubdomain(of: $0.name) && sname != $0.name
            }) {
                combined.add(
                    await self.validateRRset(dname, lookup: lookup, budget: &budget, now: now, wildcards: &wildcards))
                guard case .dname(let target) = dname.rdata.first,
                    let next = Self.substitute(sname, owner: dname.name, target: target)
                else {
                    combined.add(.bogus(.dnssecBogus, reason: "DNAME at \(dname.name) cannot rewrite \(sname)"))
                    break chain
                }
                // The synthesized CNAME is unsigned (RFC 6672 §5.3.1); when
                // present it must say what the DNAME says.
                if let cname = answers.first(where: { $0.name == sname && $0.type == .cname }),
                    cname.rdata != [.cname(next)]
                {
                    combined.add(
                        .bogus(.dnssecBogus, reason: "CNAME at \(sname) contradicts the DNAME at \(dname.name)"))
                    break chain
                }
                sname = next
                if question.type == .dname { break chain }
                continue
            }
            if let cname = answers.first(where: { $0.name == sname && $0.type == .cname }) {
                combined.add(
                    await self.validateRRset(cname, lookup: lookup, budget: &budget, now: now, wildcards: &wildcards))
                guard case .cname(let target) = cname.rdata.first else { break chain }
                if question.type == .cname {
                    answered = true
                    break chain
                }
                sname = target
                continue
            }
            break chain
        }
        if combined.isBogus { return combined.status }

        let needsDenial = !answered || !wildcards.isEmpty
        guard needsDenial else { return combined.status }

        // The denial records in authority, grouped by the zone that signed them.
        let authority = SignedRRset.group(response.authorities.filter { $0.dnsClass == question.dnsClass })
        for (owner, labels, signer) in wildcards {
            combined.add(
                await self.proveDenial(
                    authority, zoneHint: signer, lookup: lookup, budget: &budget, now: now,
                    prove: { proof, budget in proof.wildcardAnswer(owner, labels: labels, budget: &budget) }))
        }
        if !answered {
            let soa = authority.first { $0.type == .soa && sname.isSubdomain(of: $0.name) }
            if let soa {
                combined.add(
                    await self.validateRRset(soa, lookup: lookup, budget: &budget, now: now, wildcards: &wildcards))
            }
            let qtype = question.type
            let nxdomain = response.rcode == .nxDomain
            let name = sname
            combined.add(
                await self.proveDenial(
                    authority, zoneHint: soa?.name ?? sname, lookup: lookup, budget: &budget, now: now,
                    prove: { proof, budget in
                        nxdomain ? proof.nameError(name, budget: &budget) : proof.noData(name, qtype, budget: &budget)
                    }))
        }
        return combined.status
    }

    /// Validates one RRset with the keys of its signer's zone; an unsigned
    /// RRset is insecure when its zone is, else bogus (EDE 10).
    func validateRRset(
        _ set: SignedRRset, lookup: any ValidationLookup, budget: inout VerificationBudget, now: UInt32,
        wildcards: inout [(DomainName, Int, DomainName)]
    ) async -> SecurityStatus {
        let signers = set.signers.filter { set.name.isSubdomain(of: $0) }
        guard !signers.isEmpty else {
            switch await self.zoneState(for: set.name, lookup: lookup, budget: &budget, now: now) {
            case .secure(let zone, _):
                return .bogus(.rrsigsMissing, reason: "no RRSIG over \(set.name) \(set.type) in signed zone \(zone)")
            case .insecure: return .insecure
            case .bogus(let failure): return .bogus(failure.code, reason: failure.reason)
            case .indeterminate: return .indeterminate
            }
        }
        var result: SecurityStatus = .indeterminate
        for signer in signers.prefix(2) {
            switch await self.zoneState(for: signer, lookup: lookup, budget: &budget, now: now) {
            case .secure(let zone, let keys):
                guard zone == signer else {
                    result = .bogus(.dnssecBogus, reason: "RRSIG over \(set.name) \(set.type) by \(signer), not a zone")
                    continue
                }
                switch DNSSEC.verifyRRset(set, keys: keys, zone: zone, now: now, budget: &budget) {
                case .success(let verified):
                    if let labels = verified.wildcardLabels { wildcards.append((set.name, labels, zone)) }
                    return .secure
                case .failure(let failure):
                    result = .bogus(failure.code, reason: failure.reason)
                }
            case .insecure: return .insecure
            case .bogus(let failure): result = .bogus(failure.code, reason: failure.reason)
            case .indeterminate: result = .indeterminate
            }
        }
        return result
    }

    /// Proves a denial with the NSEC/NSEC3 records of `authority`: those of
    /// the zone whose signer is the deepest ancestor of `zoneHint`. With
    /// none, the zone of `zoneHint` must be insecure.
    func proveDenial(
        _ authority: [SignedRRset], zoneHint: DomainName, lookup: any ValidationLookup,
        budget: inout VerificationBudget, now: UInt32,
        prove: (DenialProof, inout VerificationBudget) -> DenialOutcome
    ) async -> SecurityStatus {
        let denial = authority.filter { $0.type == .nsec || $0.type == .nsec3 }
        var zone: DomainName? = nil
        for set in denial {
            for signer in set.signers where set.name.isSubdomain(of: signer) {
                if zone.map({ signer.labelCount > $0.labelCount }) ?? true { zone = signer }
            }
        }
        guard let zone else {
            switch await self.zoneState(for: zoneHint, lookup: lookup, budget: &budget, now: now) {
            case .secure(let zone, _):
                return .bogus(.nsecMissing, reason: "no NSEC or NSEC3 in the denial from signed zone \(zone)")
            case .insecure: return .insecure
            case .bogus(let failure): return .bogus(failure.code, reason: failure.reason)
            case .indeterminate: return .indeterminate
            }
        }
        switch await self.zoneState(for: zone, lookup: lookup, budget: &budget, now: now) {
        case .secure(let apex, let keys):
            guard apex == zone else {
                return .bogus(.dnssecBogus, reason: "denial signed by \(zone), which is not a zone")
            }
            let records = denial.flatMap { set in
                set.rdata.map { ResourceRecord(name: set.name, dnsClass: set.dnsClass, ttl: set.ttl, rdata: $0) }
                    + set.signatures.map {
                        ResourceRecord(name: set.name, dnsClass: set.dnsClass, ttl: set.ttl, rdata: .rrsig($0))
                    }
            }
            let (proof, _, failure) = self.validatedDenial(records, zone: zone, keys: keys, now: now, budget: &budget)
            if let failure { return .bogus(failure.code, reason: failure.reason) }
            switch prove(proof, &budget) {
            case .proved: return .secure
            case .insecure: return .insecure
            case .bogus(let failure): return .bogus(failure.code, reason: failure.reason)
            }
        case .insecure: return .insecure
        case .bogus(let failure): return .bogus(failure.code, reason: failure.reason)
        case .indeterminate: return .indeterminate
        }
    }

    /// `name` with the suffix `owner` replaced by `target` (RFC 6672 §2.2);
    /// nil when the result is too long.
    static func substitute(_ name: DomainName, owner: DomainName, target: DomainName) -> DomainName? {
        let keep = name.labelCount - owner.labelCount
        guard keep > 0 else { return nil }
        var labels = Array(name.labels.prefix(keep))
        labels.append(contentsOf: target.labels)
        return try? DomainName(labels: labels)
    }
}
