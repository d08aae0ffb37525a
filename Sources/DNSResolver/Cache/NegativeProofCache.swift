// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSSEC
import Synchronization

/// Aggressive use of the DNSSEC-validated cache (RFC 8198): the NSEC and
/// NSEC3 RRsets of negative answers validated secure, kept by the zone that
/// signed them with that zone's SOA, and the NXDOMAIN and NODATA answers
/// they prove for other names, made without asking any authority.
///
/// - Only records from answers whose status was ``SecurityStatus/secure``
///   are stored (RFC 8198 §5.1), chosen by ``SecureDenial``; never insecure,
///   bogus or unvalidated data.
/// - Each record lives min(its TTL, the SOA's TTL, the SOA MINIMUM), capped
///   by ``CachePolicy/negativeTTLMax`` (RFC 8198 §5.4 as updated by RFC 9077 §3).
/// - A synthesized answer is NXDOMAIN (a covering record and the wildcard
///   proof, RFC 8198 §5.1–5.2) or NODATA (a matching bitmap without the type,
///   §5.3), with the SOA and exactly the proving records and their RRSIGs in
///   authority, TTLs counting down; decided by the shared proofs of
///   ``DNSSEC/DenialProof`` (``DNSSEC/DenialProof/nameErrorEvidence(_:budget:)``),
///   which refuse NSEC3 Opt-Out spans and iterations above the limit.
///
/// Bounded: at most ``maxZones`` zones and ``maxRecordsPerZone`` RRsets per
/// zone; expired records go first, then those closest to expiry. A lookup
/// checks each zone holding the name (deepest first) over its records.
public final class NegativeProofCache: Sendable {
    struct Held: Sendable {
        var set: SignedRRset
        var expires: ContinuousClock.Instant
    }

    struct ZoneEntry: Sendable {
        var soa: Held
        var sets: [DomainName: Held] = [:]
    }

    struct State: Sendable {
        var zones: [DomainName: ZoneEntry] = [:]
        var synthesized = 0
    }

    private let state = Mutex(State())
    /// The longest a record is kept (``CachePolicy/negativeTTLMax``).
    public let ttlMax: UInt32
    public let maxZones: Int
    public let maxRecordsPerZone: Int
    /// The limits each synthesis runs under (NSEC3 hashes, RFC 9276 iterations).
    public let limits: VerificationLimits

    public init(
        ttlMax: UInt32 = 3_600, maxZones: Int = 1_000, maxRecordsPerZone: Int = 2_000,
        limits: VerificationLimits = .default
    ) {
        self.ttlMax = ttlMax
        self.maxZones = max(maxZones, 1)
        self.maxRecordsPerZone = max(maxRecordsPerZone, 1)
        self.limits = limits
    }

    /// Answers made from cached proofs since the start.
    public var synthesizedCount: Int { self.state.withLock { $0.synthesized } }

    /// Zones and NSEC/NSEC3 RRsets held.
    public var counts: (zones: Int, records: Int) {
        self.state.withLock { state in (state.zones.count, state.zones.values.reduce(0) { $0 + $1.sets.count }) }
    }

    /// Keeps the denial records of a secure negative answer.
    func store(_ denial: SecureDenial, at now: ContinuousClock.Instant = .now) {
        guard let first = denial.soa.rdata.first, case .soa(let soaData) = first else { return }
        let soaLife = min(denial.soa.ttl, soaData.minimum, self.ttlMax)
        guard soaLife > 0 else { return }
        self.state.withLock { state in
            var entry = state.zones[denial.zone] ?? ZoneEntry(soa: Held(set: denial.soa, expires: now))
            entry.soa = Held(set: denial.soa, expires: now + .seconds(Int64(soaLife)))
            for set in denial.sets {
                let life = min(set.ttl, soaLife)
                guard life > 0 else { continue }
                entry.sets[set.name] = Held(set: set, expires: now + .seconds(Int64(life)))
            }
            if entry.sets.count > self.maxRecordsPerZone {
                entry.sets = entry.sets.filter { $0.value.expires > now }
                if entry.sets.count > self.maxRecordsPerZone {
                    let keep = entry.sets.sorted { $0.value.expires > $1.value.expires }.prefix(self.maxRecordsPerZone)
                    entry.sets = Dictionary(uniqueKeysWithValues: keep.map { ($0.key, $0.value) })
                }
            }
            if state.zones[denial.zone] == nil && state.zones.count >= self.maxZones {
                state.zones = state.zones.filter { $0.value.soa.expires > now }
                if state.zones.count >= self.maxZones,
                    let oldest = state.zones.min(by: { $0.value.soa.expires < $1.value.soa.expires })
                {
                    state.zones[oldest.key] = nil
                }
            }
            state.zones[denial.zone] = entry
        }
    }

    /// The NXDOMAIN or NODATA answer to `question` proved by records held,
    /// as an authority would give it (SOA and proof in authority, AA clear);
    /// nil when nothing held proves one.
    public func synthesize(_ question: Question, at now: ContinuousClock.Instant = .now) -> DNSMessage? {
        guard question.dnsClass == .in else { return nil }
        let candidates: [(DomainName, Held, [Held])] = self.state.withLock { state in
            var out: [(DomainName, Held, [Held])] = []
            var name: DomainName? = question.name
            while let n = name {
                if let entry = state.zones[n], entry.soa.expires > now {
                    out.append((n, entry.soa, entry.sets.values.filter { $0.expires > now }))
                }
                name = n.parent
            }
            return out
        }
        for (zone, soa, held) in candidates where !held.isEmpty {
            var nsec: [(DomainName, RDATA.NSEC)] = []
            var nsec3: [(DomainName, RDATA.NSEC3)] = []
            for h in held {
                for rdata in h.set.rdata {
                    if case .nsec(let r) = rdata { nsec.append((h.set.name, r)) }
                    if case .nsec3(let r) = rdata { nsec3.append((h.set.name, r)) }
                }
            }
            let proof = DenialProof(zone: zone, nsec: nsec, nsec3: nsec3)
            var budget = VerificationBudget(limits: self.limits)
            var rcode = RCode.nxDomain
            var owners = proof.nameErrorEvidence(question.name, budget: &budget)
            if owners == nil {
                rcode = .noError
                owners = proof.noDataEvidence(question.name, question.type, budget: &budget)
            }
            guard let owners else { continue }
            let byName = Dictionary(held.map { ($0.set.name, $0) }, uniquingKeysWith: { a, _ in a })
            let used = owners.compactMap { byName[$0] }
            guard used.count == owners.count else { continue }
            var header = Header()
            header.isResponse = true
            var message = DNSMessage(header: header, questions: [question])
            message.rcode = rcode
            message.authorities = Self.records(soa, at: now) + used.flatMap { Self.records($0, at: now) }
            self.state.withLock { $0.synthesized += 1 }
            return message
        }
        return nil
    }

    /// The RRset and its RRSIGs as records, with the TTL left.
    static func records(_ held: Held, at now: ContinuousClock.Instant) -> [ResourceRecord] {
        let left = UInt32(clamping: max((held.expires - now).components.seconds, 1))
        let set = held.set
        let ttl = min(set.ttl, left)
        return set.rdata.map { ResourceRecord(name: set.name, dnsClass: set.dnsClass, ttl: ttl, rdata: $0) }
            + set.signatures.map { ResourceRecord(name: set.name, dnsClass: set.dnsClass, ttl: ttl, rdata: .rrsig($0)) }
    }
}
