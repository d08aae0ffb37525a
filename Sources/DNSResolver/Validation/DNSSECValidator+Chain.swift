// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSSEC

/// The chain of trust (RFC 4035 §5.1–5.2): from a trust anchor down to a
/// name, one DS query per label below the anchor and one DNSKEY query per
/// zone found, every step cached.
extension DNSSECValidator {
    /// The state of the zone holding `name`: walks down from the deepest
    /// cached ancestor (or the trust anchor) one label at a time.
    func zoneState(
        for name: DomainName, lookup: any ValidationLookup, budget: inout VerificationBudget, now: UInt32
    ) async -> ZoneState {
        guard let anchor = self.anchor(for: name) else { return .indeterminate }
        // The deepest cached ancestor of `name` at or below the anchor.
        var start: (name: DomainName, state: ZoneState)? = nil
        var probe: DomainName? = name
        while let p = probe, p.isSubdomain(of: anchor.zone) {
            if let cached = self.zoneCache[p] {
                if Int32(bitPattern: cached.expires &- now) > 0 {
                    start = (p, cached.state)
                    break
                }
                self.zoneCache[p] = nil
            }
            probe = p.parent
        }
        var current: (name: DomainName, state: ZoneState)
        if let start {
            self.statistics.cacheHits += 1
            current = start
        } else {
            self.statistics.cacheMisses += 1
            let (state, ttl) = await self.anchorState(anchor, lookup: lookup, budget: &budget, now: now)
            self.remember(anchor.zone, state, ttl: ttl, now: now)
            current = (anchor.zone, state)
        }
        while current.name != name {
            guard case .secure(let zone, let keys) = current.state else { return current.state }
            let child = name.suffix(labels: current.name.labelCount + 1)
            if start != nil { self.statistics.cacheMisses += 1 }
            let (state, ttl) = await self.step(
                to: child, zone: zone, keys: keys, lookup: lookup, budget: &budget, now: now)
            self.remember(child, state, ttl: ttl, now: now)
            current = (child, state)
        }
        return current.state
    }

    func remember(_ name: DomainName, _ state: ZoneState, ttl: UInt32, now: UInt32) {
        var ttl = min(ttl, self.configuration.maxCacheTTL)
        switch state {
        case .bogus: ttl = min(ttl, self.configuration.bogusTTL)
        case .indeterminate: return
        default: break
        }
        guard ttl > 0 else { return }
        if self.zoneCache.count >= self.configuration.maxCacheEntries {
            // Drop the entries closest to expiry (the cache is small and this is rare).
            let sorted = self.zoneCache.sorted { $0.value.expires < $1.value.expires }
            for (key, _) in sorted.prefix(max(1, sorted.count / 2)) { self.zoneCache[key] = nil }
        }
        self.zoneCache[name] = CachedState(state: state, expires: now &+ ttl)
    }

    /// The trust anchor's zone: its DNSKEY RRset proved by the anchor's DS or
    /// DNSKEY records.
    func anchorState(
        _ anchor: TrustAnchor, lookup: any ValidationLookup, budget: inout VerificationBudget, now: UInt32
    ) async -> (ZoneState, UInt32) {
        guard let dnskeys = await self.fetchDNSKEYs(anchor.zone, lookup: lookup) else {
            return (
                .bogus(ValidationFailure(.dnskeyMissing, "no DNSKEY RRset for trust anchor \(anchor.zone)")),
                self.configuration.bogusTTL
            )
        }
        var outcome: KeySetOutcome = .bogus(ValidationFailure(.dnskeyMissing, "empty trust anchor \(anchor.zone)"))
        if !anchor.dnskeys.isEmpty {
            outcome = DNSSEC.authenticateKeys(
                dnskeys, trustedKeys: anchor.dnskeys, zone: anchor.zone, now: now, budget: &budget)
        }
        if case .secure = outcome {
        } else if !anchor.ds.isEmpty {
            outcome = DNSSEC.authenticateKeys(dnskeys, ds: anchor.ds, zone: anchor.zone, now: now, budget: &budget)
        }
        return Self.state(outcome, zone: anchor.zone, dsTTL: self.configuration.maxCacheTTL)
    }

    static func state(_ outcome: KeySetOutcome, zone: DomainName, dsTTL: UInt32) -> (ZoneState, UInt32) {
        switch outcome {
        case .secure(let keys, let ttl): return (.secure(zone: zone, keys: keys), min(ttl, dsTTL))
        case .insecure(let reason): return (.insecure(reason: reason), dsTTL)
        case .bogus(let failure): return (.bogus(failure), .max)  // capped at the bogus TTL by remember
        }
    }

    func fetchDNSKEYs(_ zone: DomainName, lookup: any ValidationLookup) async -> SignedRRset? {
        guard let response = await lookup.lookup(zone, .dnskey) else { return nil }
        return SignedRRset.group(response.answers).first { $0.name == zone && $0.type == .dnskey }
    }

    /// One label down: is `child` a zone cut of `zone` (signed with `keys`),
    /// and if so, secure or not (RFC 4035 §5.2)?
    func step(
        to child: DomainName, zone: DomainName, keys: [RDATA.DNSKEY], lookup: any ValidationLookup,
        budget: inout VerificationBudget, now: UInt32
    ) async -> (ZoneState, UInt32) {
        let bogusTTL = self.configuration.bogusTTL
        guard let response = await lookup.lookup(child, .ds) else {
            return (.bogus(ValidationFailure(.dnssecBogus, "no answer to the DS query for \(child)")), bogusTTL)
        }
        let answers = SignedRRset.group(response.answers)
        if let dsSet = answers.first(where: { $0.name == child && $0.type == .ds }) {
            let verified: VerifiedRRset
            switch DNSSEC.verifyRRset(dsSet, keys: keys, zone: zone, now: now, budget: &budget) {
            case .success(let v): verified = v
            case .failure(let failure): return (.bogus(failure), bogusTTL)
            }
            let ds = dsSet.rdata.compactMap { rdata -> RDATA.DS? in
                if case .ds(let ds) = rdata { return ds }
                return nil
            }
            if DNSSEC.usableDS(ds).isEmpty {
                return (
                    .insecure(reason: "zone \(child): DS with unsupported algorithms or digests only"), verified.ttl
                )
            }
            guard let dnskeys = await self.fetchDNSKEYs(child, lookup: lookup) else {
                return (
                    .bogus(ValidationFailure(.dnskeyMissing, "zone \(child) has a DS but no DNSKEY RRset")), bogusTTL
                )
            }
            let outcome = DNSSEC.authenticateKeys(dnskeys, ds: ds, zone: child, now: now, budget: &budget)
            return Self.state(outcome, zone: child, dsTTL: verified.ttl)
        }
        let parentState = ZoneState.secure(zone: zone, keys: keys)
        if answers.contains(where: { $0.name == child && $0.type == .cname }) {
            // A CNAME here: not a cut. Trusting this only ever keeps the
            // parent's keys, which cannot make a child's data secure.
            return (parentState, bogusTTL)
        }
        // A negative answer: the parent's NSEC/NSEC3 say whether there is a cut.
        let (proof, ttl, failure) = self.validatedDenial(
            response.authorities, zone: zone, keys: keys, now: now, budget: &budget)
        if let failure { return (.bogus(failure), bogusTTL) }
        switch proof.zoneCut(at: child, budget: &budget) {
        case .insecureDelegation:
            return (.insecure(reason: "delegation \(child) has no DS (proved by zone \(zone))"), ttl)
        case .optOut:
            return (.insecure(reason: "delegation \(child) in an Opt-Out span of zone \(zone)"), ttl)
        case .unsupportedIterations(let failure):
            return (.insecure(reason: failure.reason), ttl)
        case .notACut:
            return (parentState, ttl)
        case .unproved(let failure):
            return (.bogus(failure), bogusTTL)
        }
    }

    /// The NSEC and NSEC3 RRsets of `records` signed by `zone`, each
    /// verified with `keys`; the smallest TTL; the first failure.
    func validatedDenial(
        _ records: [ResourceRecord], zone: DomainName, keys: [RDATA.DNSKEY], now: UInt32,
        budget: inout VerificationBudget
    ) -> (DenialProof, UInt32, ValidationFailure?) {
        var nsec: [(DomainName, RDATA.NSEC)] = []
        var nsec3: [(DomainName, RDATA.NSEC3)] = []
        var ttl = self.configuration.maxCacheTTL
        for set in SignedRRset.group(records) where set.type == .nsec || set.type == .nsec3 {
            guard set.name.isSubdomain(of: zone), set.signers.contains(zone) else { continue }
            switch DNSSEC.verifyRRset(set, keys: keys, zone: zone, now: now, budget: &budget) {
            case .success(let verified):
                ttl = min(ttl, verified.ttl)
                for rdata in set.rdata {
                    if case .nsec(let n) = rdata { nsec.append((set.name, n)) }
                    if case .nsec3(let n) = rdata { nsec3.append((set.name, n)) }
                }
            case .failure(let failure):
                return (DenialProof(zone: zone, nsec: [], nsec3: []), 0, failure)
            }
        }
        return (DenialProof(zone: zone, nsec: nsec, nsec3: nsec3), ttl, nil)
    }
}
