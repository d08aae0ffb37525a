// SPDX-License-Identifier: Apache-2.0

import DNSCore

/// Denial of existence with validated NSEC records of one zone (RFC 4035
/// §5.4, RFC 6840 §4.1, §4.3, §5.3).
public struct NSECDenial: Sendable {
    public let zone: DomainName
    public let records: [(owner: DomainName, nsec: RDATA.NSEC)]

    public init(zone: DomainName, records: [(DomainName, RDATA.NSEC)]) {
        self.zone = zone
        self.records = records.filter { $0.0.isSubdomain(of: zone) }.map { (owner: $0.0, nsec: $0.1) }
    }

    /// True when the NSEC at `owner` with next name `next` covers `name`:
    /// `owner < name < next` in canonical order (RFC 4034 §6.1), the last
    /// NSEC of the zone (next = apex) covering every name after its owner.
    ///
    /// An NSEC at an ancestor of `name` that is a delegation (NS without SOA)
    /// or has a DNAME proves nothing below it (RFC 6840 §4.1).
    public func covers(owner: DomainName, _ nsec: RDATA.NSEC, _ name: DomainName) -> Bool {
        guard owner.canonicalCompare(name) < 0, name.isSubdomain(of: self.zone) else { return false }
        if name.isSubdomain(of: owner) {
            let types = nsec.types
            if types.contains(.dname) || (types.contains(.ns) && !types.contains(.soa)) { return false }
        }
        return DNSSEC.nsecCovers(owner: owner, next: nsec.nextDomainName, name: name)
    }

    /// The NSEC owned by `name`.
    public func matching(_ name: DomainName) -> RDATA.NSEC? {
        self.records.first { $0.owner == name }?.nsec
    }

    /// An NSEC covering `name`, with its owner.
    public func covering(_ name: DomainName) -> (owner: DomainName, nsec: RDATA.NSEC)? {
        self.records.first { self.covers(owner: $0.owner, $0.nsec, name) }
    }

    /// The closest encloser of `name` an NSEC covering it implies: the longer
    /// of the names it shares with the NSEC's owner and next name (RFC 4035
    /// §5.4, as Unbound's `nsec_closest_encloser`).
    public func closestEncloser(_ name: DomainName, owner: DomainName, _ nsec: RDATA.NSEC) -> DomainName {
        let a = name.commonSuffixLabels(with: owner)
        let b = name.commonSuffixLabels(with: nsec.nextDomainName)
        let labels = max(a, b, self.zone.labelCount)
        return name.suffix(labels: min(labels, name.labelCount))
    }

    /// NXDOMAIN: an NSEC covers `qname` and one covers the wildcard at its
    /// closest encloser (RFC 4035 §5.4).
    public func nameError(_ qname: DomainName) -> DenialOutcome {
        guard let (owner, nsec) = self.covering(qname) else {
            return .bogus(ValidationFailure(.nsecMissing, "zone \(self.zone): no NSEC covers \(qname)"))
        }
        // RFC 4035 §5.4, RFC 8198 §5.1: an NSEC whose next name is below
        // `qname` shows `qname` to be an empty non-terminal, which exists.
        if nsec.nextDomainName != qname && nsec.nextDomainName.isSubdomain(of: qname) {
            return .bogus(
                ValidationFailure(
                    .dnssecBogus,
                    "zone \(self.zone): \(qname) is an empty non-terminal (the NSEC's next name \(nsec.nextDomainName) is below it)"
                ))
        }
        let encloser = self.closestEncloser(qname, owner: owner, nsec)
        guard let wildcard = encloser.wildcard else {
            return .bogus(ValidationFailure(.dnssecBogus, "zone \(self.zone): no wildcard name under \(encloser)"))
        }
        guard self.covering(wildcard) != nil else {
            return .bogus(
                ValidationFailure(.nsecMissing, "zone \(self.zone): no NSEC proves \(wildcard) absent for \(qname)"))
        }
        return .proved
    }

    /// NODATA: the NSEC at `qname` lacks `qtype` and CNAME; or `qname` is an
    /// empty non-terminal (an NSEC covers it and its next name is below it);
    /// or a wildcard NODATA (an NSEC covers `qname` and the NSEC at the
    /// wildcard of its closest encloser lacks the type). RFC 4035 §5.4,
    /// RFC 6840 §4.1 (parent-side NSEC at a delegation proves only DS absence;
    /// a child apex NSEC proves nothing about DS).
    public func noData(_ qname: DomainName, _ qtype: RecordType) -> DenialOutcome {
        if let nsec = self.matching(qname) {
            return Self.typeAbsent(nsec.types, qtype, at: qname, zone: self.zone)
        }
        guard let (owner, nsec) = self.covering(qname) else {
            return .bogus(ValidationFailure(.nsecMissing, "zone \(self.zone): no NSEC proves \(qname) \(qtype) absent"))
        }
        if nsec.nextDomainName.isSubdomain(of: qname) && nsec.nextDomainName != qname {
            return .proved  // an empty non-terminal
        }
        let encloser = self.closestEncloser(qname, owner: owner, nsec)
        if let wildcard = encloser.wildcard, let atWildcard = self.matching(wildcard) {
            return Self.typeAbsent(atWildcard.types, qtype, at: wildcard, zone: self.zone)
        }
        return .bogus(ValidationFailure(.nsecMissing, "zone \(self.zone): \(qname) does not exist, but NODATA claimed"))
    }

    /// RFC 4035 §5.4 and RFC 6840 §4.1 on one bitmap.
    static func typeAbsent(_ types: TypeBitmap, _ qtype: RecordType, at name: DomainName, zone: DomainName)
        -> DenialOutcome
    {
        if types.contains(qtype) {
            return .bogus(ValidationFailure(.dnssecBogus, "zone \(zone): the denial at \(name) lists \(qtype)"))
        }
        if types.contains(.cname) {
            return .bogus(ValidationFailure(.dnssecBogus, "zone \(zone): the denial at \(name) lists CNAME"))
        }
        if qtype == .ds {
            if types.contains(.soa) && !name.isRoot {
                return .bogus(
                    ValidationFailure(.dnssecBogus, "the denial at \(name) is the child zone's, not the parent's"))
            }
        } else if types.contains(.ns) && !types.contains(.soa) {
            return .bogus(
                ValidationFailure(
                    .dnssecBogus, "zone \(zone): the denial at \(name) is a delegation's; it proves only DS"))
        }
        return .proved
    }

    /// A wildcard expansion: `qname` itself does not exist (an NSEC covers
    /// it) and no name closer to it than the wildcard's parent does (RFC
    /// 4035 §5.3.4, RFC 6840 §5.3).
    public func wildcardAnswer(_ qname: DomainName, labels: Int) -> DenialOutcome {
        guard let (owner, nsec) = self.covering(qname) else {
            return .bogus(
                ValidationFailure(.nsecMissing, "zone \(self.zone): no NSEC proves \(qname) is not in the zone"))
        }
        let encloser = self.closestEncloser(qname, owner: owner, nsec)
        guard encloser.labelCount <= labels else {
            return .bogus(
                ValidationFailure(.dnssecBogus, "zone \(self.zone): \(encloser) exists, the wildcard cannot apply"))
        }
        return .proved
    }

    /// What a negative DS answer for `name` proves.
    public func zoneCut(at name: DomainName) -> ZoneCutProof {
        if let nsec = self.matching(name) {
            let types = nsec.types
            if types.contains(.ds) || (types.contains(.soa) && !name.isRoot) || types.contains(.cname) {
                return .unproved(ValidationFailure(.dnssecBogus, "the NSEC at \(name) does not deny its DS"))
            }
            return types.contains(.ns) ? .insecureDelegation : .notACut
        }
        if self.covering(name) != nil { return .notACut }
        return .unproved(ValidationFailure(.nsecMissing, "zone \(self.zone): no NSEC proves \(name) has no DS"))
    }
}
