// SPDX-License-Identifier: Apache-2.0

import DNSCore

/// Denial of existence with validated NSEC3 records of one zone (RFC 5155
/// §8, RFC 6840 §4.4, RFC 9276 §3.2).
///
/// Records with an unknown hash algorithm or unknown flags are ignored (RFC
/// 5155 §8.1–8.2), as are those whose owner is not one hash label under the
/// zone and those whose parameters differ from the first usable one's. Every
/// hash spends the response's ``VerificationBudget``.
public struct NSEC3Denial: Sendable {
    public struct Record: Sendable, Hashable {
        public var owner: DomainName
        public var ownerHash: [UInt8]
        public var nsec3: RDATA.NSEC3
        public var optOut: Bool { self.nsec3.flags & RDATA.NSEC3.optOutFlag != 0 }
    }

    public let zone: DomainName
    public let records: [Record]

    public init(zone: DomainName, records: [(DomainName, RDATA.NSEC3)]) {
        self.zone = zone
        var usable: [Record] = []
        for (owner, nsec3) in records {
            guard nsec3.hashAlgorithm == 1, nsec3.flags & ~RDATA.NSEC3.optOutFlag == 0,
                owner.parent == zone, let hash = Base32Hex.decode(owner.firstLabel), hash.count == 20,
                nsec3.nextHashedOwnerName.count == 20
            else { continue }
            if let first = usable.first,
                first.nsec3.salt != nsec3.salt || first.nsec3.iterations != nsec3.iterations
            {
                continue
            }
            usable.append(Record(owner: owner, ownerHash: hash, nsec3: nsec3))
        }
        self.records = usable
    }

    /// Hashes of names already computed in one proof.
    public struct Hashes: Sendable {
        var known: [DomainName: [UInt8]] = [:]
        public init() {}
    }

    /// The NSEC3 hash of `name` with the records' parameters; nil when the
    /// budget is spent.
    func hash(_ name: DomainName, _ hashes: inout Hashes, _ budget: inout VerificationBudget) -> [UInt8]? {
        if let known = hashes.known[name] { return known }
        guard let first = self.records.first, budget.spendNSEC3Hash() else { return nil }
        let value = DNSSEC.nsec3Hash(name, salt: first.nsec3.salt, iterations: first.nsec3.iterations)
        hashes.known[name] = value
        return value
    }

    /// True when the record covers `hash`: owner hash < hash < next hash,
    /// the last record of the chain wrapping around (RFC 5155 §3.1.7).
    public static func covers(_ record: Record, hash: [UInt8]) -> Bool {
        DNSSEC.nsec3Covers(ownerHash: record.ownerHash, nextHash: record.nsec3.nextHashedOwnerName, hash: hash)
    }

    func matching(_ hash: [UInt8]) -> Record? { self.records.first { $0.ownerHash == hash } }
    func covering(_ hash: [UInt8]) -> Record? { self.records.first { Self.covers($0, hash: hash) } }

    /// RFC 9276 §3.2: iterations above the limit make the answer insecure (EDE 27).
    func iterationsTooHigh(_ budget: VerificationBudget) -> ValidationFailure? {
        guard let first = self.records.first, first.nsec3.iterations > budget.limits.maxNSEC3Iterations else {
            return nil
        }
        return ValidationFailure(
            .unsupportedNSEC3IterationsValue,
            "zone \(self.zone): NSEC3 iterations \(first.nsec3.iterations) above \(budget.limits.maxNSEC3Iterations)")
    }

    /// A closest encloser proof (RFC 5155 §8.3).
    struct EncloserProof {
        var closestEncloser: DomainName
        var matchingEncloser: Record
        var nextCloser: DomainName
        var coveringNextCloser: Record
    }

    enum ProofResult {
        case proof(EncloserProof)
        /// `qname` itself has an NSEC3 (it exists).
        case exists(Record)
        case failure(ValidationFailure)
    }

    /// Finds the closest encloser of `qname` (the longest ancestor with a
    /// matching NSEC3) and the NSEC3 covering the next closer name; the
    /// encloser's NSEC3 must not be a delegation's nor have a DNAME (RFC
    /// 5155 §8.3).
    func closestEncloser(
        _ qname: DomainName, _ hashes: inout Hashes, _ budget: inout VerificationBudget
    ) -> ProofResult {
        guard qname.isSubdomain(of: self.zone) else {
            return .failure(ValidationFailure(.dnssecBogus, "\(qname) is not in zone \(self.zone)"))
        }
        var candidate = qname
        var child: DomainName? = nil
        while true {
            guard let h = self.hash(candidate, &hashes, &budget) else { return .failure(budget.exhausted) }
            if let match = self.matching(h) {
                guard let nextCloser = child else { return .exists(match) }
                let types = match.nsec3.types
                if types.contains(.dname) || (types.contains(.ns) && !types.contains(.soa)) {
                    return .failure(
                        ValidationFailure(
                            .dnssecBogus, "zone \(self.zone): closest encloser \(candidate) is a delegation"))
                }
                guard let nh = self.hash(nextCloser, &hashes, &budget) else { return .failure(budget.exhausted) }
                guard let cover = self.covering(nh) else {
                    return .failure(
                        ValidationFailure(.nsecMissing, "zone \(self.zone): no NSEC3 covers next closer \(nextCloser)"))
                }
                return .proof(
                    EncloserProof(
                        closestEncloser: candidate, matchingEncloser: match, nextCloser: nextCloser,
                        coveringNextCloser: cover))
            }
            guard candidate != self.zone, let parent = candidate.parent else {
                return .failure(
                    ValidationFailure(.nsecMissing, "zone \(self.zone): no NSEC3 proves a closest encloser of \(qname)")
                )
            }
            child = candidate
            candidate = parent
        }
    }

    /// NXDOMAIN (RFC 5155 §8.4): a closest encloser proof and an NSEC3
    /// covering the wildcard at the closest encloser. An Opt-Out span over
    /// the next closer name makes it insecure (an unsigned delegation could
    /// be there), as in Unbound.
    public func nameError(_ qname: DomainName, budget: inout VerificationBudget) -> DenialOutcome {
        if let failure = self.iterationsTooHigh(budget) { return .insecure(failure) }
        var hashes = Hashes()
        switch self.closestEncloser(qname, &hashes, &budget) {
        case .failure(let failure): return .bogus(failure)
        case .exists:
            return .bogus(
                ValidationFailure(.dnssecBogus, "zone \(self.zone): an NSEC3 matches \(qname), NXDOMAIN claimed"))
        case .proof(let proof):
            guard let wildcard = proof.closestEncloser.wildcard,
                let wh = self.hash(wildcard, &hashes, &budget)
            else { return .bogus(budget.exhausted) }
            guard self.covering(wh) != nil else {
                return .bogus(ValidationFailure(.nsecMissing, "zone \(self.zone): no NSEC3 covers \(wildcard)"))
            }
            if proof.coveringNextCloser.optOut { return .insecure(nil) }
            return .proved
        }
    }

    /// NODATA (RFC 5155 §8.5–8.7): the NSEC3 matching `qname` lacks the type
    /// and CNAME; for DS with no match, a closest encloser proof whose next
    /// closer is in an Opt-Out span (insecure, §8.6); else a wildcard NODATA
    /// (§8.7).
    public func noData(_ qname: DomainName, _ qtype: RecordType, budget: inout VerificationBudget) -> DenialOutcome {
        if let failure = self.iterationsTooHigh(budget) { return .insecure(failure) }
        var hashes = Hashes()
        switch self.closestEncloser(qname, &hashes, &budget) {
        case .failure(let failure): return .bogus(failure)
        case .exists(let match):
            return NSECDenial.typeAbsent(match.nsec3.types, qtype, at: qname, zone: self.zone)
        case .proof(let proof):
            if qtype == .ds && proof.coveringNextCloser.optOut { return .insecure(nil) }
            guard let wildcard = proof.closestEncloser.wildcard,
                let wh = self.hash(wildcard, &hashes, &budget)
            else { return .bogus(budget.exhausted) }
            guard let atWildcard = self.matching(wh) else {
                return .bogus(
                    ValidationFailure(.nsecMissing, "zone \(self.zone): \(qname) does not exist, but NODATA claimed"))
            }
            return NSECDenial.typeAbsent(atWildcard.nsec3.types, qtype, at: wildcard, zone: self.zone)
        }
    }

    /// A wildcard answer (RFC 5155 §8.8): the next closer name, one label
    /// longer than the wildcard's parent (`labels` labels), is covered.
    public func wildcardAnswer(_ qname: DomainName, labels: Int, budget: inout VerificationBudget) -> DenialOutcome {
        if let failure = self.iterationsTooHigh(budget) { return .insecure(failure) }
        guard labels < qname.labelCount else {
            return .bogus(ValidationFailure(.dnssecBogus, "\(qname) is not a wildcard expansion"))
        }
        var hashes = Hashes()
        let nextCloser = qname.suffix(labels: labels + 1)
        guard let h = self.hash(nextCloser, &hashes, &budget) else { return .bogus(budget.exhausted) }
        guard self.covering(h) != nil else {
            return .bogus(
                ValidationFailure(.nsecMissing, "zone \(self.zone): no NSEC3 proves \(nextCloser) absent for \(qname)"))
        }
        return .proved
    }

    /// What a negative DS answer for `name` proves (RFC 5155 §8.6, §8.9).
    public func zoneCut(at name: DomainName, budget: inout VerificationBudget) -> ZoneCutProof {
        if let failure = self.iterationsTooHigh(budget) { return .unsupportedIterations(failure) }
        var hashes = Hashes()
        switch self.closestEncloser(name, &hashes, &budget) {
        case .failure(let failure): return .unproved(failure)
        case .exists(let match):
            let types = match.nsec3.types
            if types.contains(.ds) || (types.contains(.soa) && !name.isRoot) || types.contains(.cname) {
                return .unproved(ValidationFailure(.dnssecBogus, "the NSEC3 for \(name) does not deny its DS"))
            }
            return types.contains(.ns) ? .insecureDelegation : .notACut
        case .proof(let proof):
            return proof.coveringNextCloser.optOut ? .optOut : .notACut
        }
    }
}
