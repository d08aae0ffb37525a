// SPDX-License-Identifier: Apache-2.0

import DNSCore
import NIOCore

/// How long the cache keeps what it is given (RFC 2308, RFC 8767 §4's TTL cap).
public struct CachePolicy: Sendable, Hashable {
    /// No record is kept longer than this (Unbound's `cache-max-ttl`, 1 day).
    public var ttlMax: UInt32 = 86_400
    /// Records are kept at least this long (Unbound's `cache-min-ttl`, 0).
    public var ttlMin: UInt32 = 0
    /// Negative answers are kept at most this long (Unbound's `cache-max-negative-ttl`).
    public var negativeTTLMax: UInt32 = 3_600
    /// How long a failure (SERVFAIL) is remembered (RFC 2308 §7.1 allows up to 5 minutes).
    public var failureTTL: UInt32 = 5
    /// Octets for the whole cache (answers and RRsets).
    public var capacity: Int = 64 << 20
    /// Serve expired answers when their refresh fails (RFC 8767; Unbound's
    /// `serve-expired`, BIND's `stale-answer-enable`): off by default.
    public var serveStale = false
    /// The TTL of a stale answer's records (RFC 8767 §4: 30 seconds).
    public var staleAnswerTTL: UInt32 = 30
    /// How long past its expiry an answer may still be served stale
    /// (RFC 8767 §4 suggests 1 to 3 days; BIND's `max-stale-ttl`).
    public var maxStaleTTL: UInt32 = 86_400
    /// After a failed refresh, how long stale data is served without
    /// trying the authorities again (RFC 8767 §4: no more often than every
    /// 30 seconds; BIND's `stale-refresh-time`).
    public var staleRefreshTime: UInt32 = 30

    public init() {}

    /// A positive TTL after the cap and floor.
    public func clamp(_ ttl: UInt32) -> UInt32 { min(max(ttl, self.ttlMin), self.ttlMax) }
}

/// One RRset the iterator learnt (delegation NS sets, glue, addresses of
/// name servers), with how far it may be trusted (RFC 2181 §5.4.1).
public struct CachedRRset: CacheCosting {
    /// RFC 2181 §5.4.1 ranking, lowest first: glue and referral data are
    /// used to iterate but never served as answers.
    public enum Trust: Int, Sendable, Comparable {
        case glue = 0
        case referral = 1
        case answer = 2
        public static func < (a: Trust, b: Trust) -> Bool { a.rawValue < b.rawValue }
    }

    public var records: [ResourceRecord]
    public var trust: Trust
    public var storedAt: ContinuousClock.Instant
    public var lifetime: UInt32

    public var cost: Int { self.records.reduce(64) { $0 + $1.name.wireLength + 16 + $1.rdata.wireBytes.count } }

    public func isLive(at now: ContinuousClock.Instant) -> Bool {
        (now - self.storedAt) < .seconds(Int64(self.lifetime))
    }
}

/// The resolver's cache: whole answers by question (served to clients and
/// to the validator), and RRsets by owner and type (used to iterate),
/// each bounded by half of ``CachePolicy/capacity`` and evicted by CLOCK.
///
/// Expired answers stay until evicted or replaced: with
/// ``CachePolicy/serveStale`` on, ``staleAnswer(_:at:)`` returns them for
/// up to ``CachePolicy/maxStaleTTL`` past expiry, and ``answer(_:at:)``
/// never does, so stale data counts as live nowhere but where the resolver
/// serves it stale (RFC 8767). A hit past ``CachedAnswer/prefetchAt`` is
/// where the resolver starts a prefetch. Aggressive use of validated
/// NSEC/NSEC3 (RFC 8198) is ``denials``: the denial records of secure
/// negative answers by zone, consulted on a miss.
public final class ResolverCache: Sendable {
    public struct RRKey: Hashable, Sendable {
        public var name: DomainName
        public var type: RecordType
        public init(_ name: DomainName, _ type: RecordType) {
            self.name = name
            self.type = type
        }
    }

    public let policy: CachePolicy
    let answers: ClockCache<Question, CachedAnswer>
    let rrsets: ClockCache<RRKey, CachedRRset>
    /// Validated NSEC/NSEC3 records by zone (RFC 8198).
    public let denials: NegativeProofCache

    public init(policy: CachePolicy = CachePolicy()) {
        self.policy = policy
        self.denials = NegativeProofCache(ttlMax: policy.negativeTTLMax)
        self.answers = ClockCache(capacity: policy.capacity / 2)
        self.rrsets = ClockCache(capacity: policy.capacity / 2)
    }

    // MARK: Answers

    /// A live answer to `question` and the seconds it has spent in cache.
    public func answer(
        _ question: Question, at now: ContinuousClock.Instant = .now
    ) -> (answer: CachedAnswer, elapsed: UInt32)? {
        guard let entry = self.answers.get(question), let elapsed = entry.remaining(at: now) else { return nil }
        return (entry, elapsed)
    }

    /// Stores the answer to `question` from `response` (its RCODE, answer and
    /// authority sections) with `status`; returns the entry, nil when it is
    /// not cacheable (TTL 0).
    ///
    /// The lifetime: for a positive answer the least TTL of its records
    /// after the cap and floor; for NXDOMAIN and NODATA (RFC 2308 §5) the
    /// lesser of the SOA's TTL and its MINIMUM, capped by
    /// ``CachePolicy/negativeTTLMax``, and the SOA is served with that TTL;
    /// a negative answer without SOA is not cached. SERVFAIL: ``CachePolicy/failureTTL``.
    @discardableResult
    public func storeAnswer(
        _ question: Question, response: DNSMessage, status: SecurityStatus?, at now: ContinuousClock.Instant = .now
    ) -> CachedAnswer? {
        guard let (answers, authorities, lifetime) = self.policyApplied(question, response) else { return nil }
        let entry = CachedAnswer(
            question: question, rcode: response.rcode, answers: answers, authorities: authorities, status: status,
            lifetime: lifetime, storedAt: now)
        self.answers.set(question, entry)
        return entry
    }

    /// Remembers a failure for `lifetime` seconds (default
    /// ``CachePolicy/failureTTL``). With serve-stale on, the expired answer
    /// it replaces (``staleAnswer(_:at:)``) is kept inside the failure
    /// entry, so it can still be served stale and is evicted with it.
    public func storeFailure(
        _ question: Question, status: SecurityStatus, lifetime: UInt32? = nil, at now: ContinuousClock.Instant = .now
    ) {
        let lifetime = lifetime ?? self.policy.failureTTL
        guard lifetime > 0 else { return }
        let entry = CachedAnswer(
            question: question, rcode: .servFail, answers: [], authorities: [], status: status,
            lifetime: lifetime, storedAt: now, stale: self.staleAnswer(question, at: now))
        self.answers.set(question, entry)
    }

    func policyApplied(
        _ question: Question, _ response: DNSMessage
    ) -> (answers: [ResourceRecord], authorities: [ResourceRecord], lifetime: UInt32)? {
        let rcode = response.rcode
        if rcode == .servFail { return nil }
        guard rcode == .noError || rcode == .nxDomain else { return nil }
        var answers = response.answers
        var authorities = response.authorities
        let negative = rcode == .nxDomain || !Self.answers(question, answers)
        if negative {
            guard
                let soa = authorities.first(where: { $0.type == .soa }),
                case .soa(let data) = soa.rdata
            else { return nil }
            let ttl = min(min(soa.ttl, data.minimum), self.policy.negativeTTLMax)
            let lifetime = min(max(ttl, self.policy.ttlMin), self.policy.ttlMax)
            guard lifetime > 0 else { return nil }
            for i in answers.indices { answers[i].ttl = min(self.policy.clamp(answers[i].ttl), lifetime) }
            for i in authorities.indices { authorities[i].ttl = min(authorities[i].ttl, lifetime) }
            return (answers, authorities, lifetime)
        }
        var lifetime = UInt32.max
        for i in answers.indices {
            answers[i].ttl = self.policy.clamp(answers[i].ttl)
            lifetime = min(lifetime, answers[i].ttl)
        }
        for i in authorities.indices {
            authorities[i].ttl = self.policy.clamp(authorities[i].ttl)
        }
        guard lifetime > 0, lifetime != .max else { return nil }
        return (answers, authorities, lifetime)
    }

    /// True when `records` hold an RRset answering `question` (at the end of any CNAME chain).
    static func answers(_ question: Question, _ records: [ResourceRecord]) -> Bool {
        var name = question.name
        for _ in 0..<16 {
            if records.contains(where: {
                $0.name == name && ($0.type == question.type || question.type == .any) && $0.type != .rrsig
            }) {
                return true
            }
            guard question.type != .cname, let next = records.first(where: { $0.name == name && $0.type == .cname }),
                case .cname(let target) = next.rdata
            else { return false }
            name = target
        }
        return false
    }

    // MARK: RRsets

    /// A live RRset, at least as trusted as `minimum`.
    public func rrset(
        _ name: DomainName, _ type: RecordType, minimum: CachedRRset.Trust = .glue,
        at now: ContinuousClock.Instant = .now
    ) -> CachedRRset? {
        guard let entry = self.rrsets.get(RRKey(name, type)), entry.trust >= minimum, entry.isLive(at: now) else {
            return nil
        }
        return entry
    }

    /// Stores `records` (one RRset) unless a live, more trusted copy is held
    /// (RFC 2181 §5.4.1: data of lower rank never replaces higher).
    public func storeRRset(
        _ records: [ResourceRecord], trust: CachedRRset.Trust, at now: ContinuousClock.Instant = .now
    ) {
        guard let first = records.first else { return }
        let key = RRKey(first.name, first.type)
        if let held = self.rrsets.get(key), held.trust > trust, held.isLive(at: now) { return }
        let lifetime = records.map { self.policy.clamp($0.ttl) }.min() ?? 0
        guard lifetime > 0 else { return }
        self.rrsets.set(key, CachedRRset(records: records, trust: trust, storedAt: now, lifetime: lifetime))
    }

    /// Entries held (answers, RRsets).
    public var counts: (answers: Int, rrsets: Int) { (self.answers.count, self.rrsets.count) }
}
