// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSSEC

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The DNSSEC validator of the resolver (RFC 4033–4035, RFC 5155, RFC 6840).
///
/// It validates a response's answer chain (CNAME and DNAME across zones,
/// wildcard expansions) and its denial of existence (NSEC, NSEC3) along the
/// chain of trust from the configured trust anchors: for each zone cut it
/// asks `lookup` for the DS RRset at the parent and the DNSKEY RRset at the
/// child. Validated key sets are cached for their TTL, proofs of a missing DS
/// (insecure delegations) likewise, and broken zones for a short while, so a
/// cache hit costs no cryptography and a broken zone no new lookups.
///
/// Status per RFC 4035 §4.3: a name under no trust anchor is
/// `indeterminate`, as Unbound reports it; a name at or below a proved
/// insecure delegation (or a DS of unsupported algorithms or digests only,
/// RFC 6840 §5.2, or NSEC3 iterations above the limit, RFC 9276 §3.2) is
/// `insecure`; a broken chain is `bogus` with an RFC 8914 code; otherwise
/// `secure`. Work per response is capped by ``VerificationLimits``
/// (KeyTrap, CVE-2023-50387).
public actor DNSSECValidator: ResponseValidating {
    /// What the validator is given.
    public struct Configuration: Sendable {
        public var trustAnchors: [TrustAnchor]
        public var limits: VerificationLimits
        /// How long a broken zone's failure is remembered (seconds).
        public var bogusTTL: UInt32
        /// Cap on how long a validated key set or insecurity proof is kept.
        public var maxCacheTTL: UInt32
        /// Cap on the number of zone entries cached (the oldest half is
        /// dropped when it is reached).
        public var maxCacheEntries: Int
        /// Seconds since 1970 (a parameter so tests can move time).
        public var clock: @Sendable () -> UInt32

        public init(
            trustAnchors: [TrustAnchor] = [.root], limits: VerificationLimits = .default, bogusTTL: UInt32 = 60,
            maxCacheTTL: UInt32 = 86400, maxCacheEntries: Int = 10000,
            clock: @escaping @Sendable () -> UInt32 = DNSSECValidator.systemTime
        ) {
            self.trustAnchors = trustAnchors
            self.limits = limits
            self.bogusTTL = bogusTTL
            self.maxCacheTTL = maxCacheTTL
            self.maxCacheEntries = maxCacheEntries
            self.clock = clock
        }
    }

    /// Counters since the validator was made.
    public struct Statistics: Sendable, Hashable {
        /// Signature verifications done (chain of trust included).
        public var verifications = 0
        /// NSEC3 hashes computed.
        public var nsec3Hashes = 0
        /// Zone states answered from the cache, and fetched.
        public var cacheHits = 0
        public var cacheMisses = 0
        public var secure = 0
        public var insecure = 0
        public var bogus = 0
        public var indeterminate = 0
    }

    /// What is known about the zone holding a name: its apex and keys, or
    /// that it is insecure, or broken.
    enum ZoneState: Sendable {
        case secure(zone: DomainName, keys: [RDATA.DNSKEY])
        case insecure(reason: String)
        case bogus(ValidationFailure)
        case indeterminate
    }

    struct CachedState: Sendable {
        var state: ZoneState
        var expires: UInt32
    }

    public let configuration: Configuration
    public internal(set) var statistics = Statistics()
    /// Zone state by name: a zone apex, a name found not to be a cut, or an
    /// insecure delegation.
    var zoneCache: [DomainName: CachedState] = [:]

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    public init(trustAnchors: [TrustAnchor], limits: VerificationLimits = .default) {
        self.configuration = Configuration(trustAnchors: trustAnchors, limits: limits)
    }

    /// Seconds since 1970 from the system clock.
    @Sendable public static func systemTime() -> UInt32 {
        UInt32(truncatingIfNeeded: time(nil))
    }

    /// Forgets every cached key set and proof (after the trust anchors or the
    /// clock changed).
    public func flushCache() { self.zoneCache.removeAll() }

    /// The number of zone states cached.
    public var cachedZoneCount: Int { self.zoneCache.count }

    public func validate(
        _ response: DNSMessage, question: Question, lookup: any ValidationLookup
    ) async -> SecurityStatus {
        var budget = VerificationBudget(limits: self.configuration.limits)
        let status = await self.validateResponse(response, question: question, lookup: lookup, budget: &budget)
        self.statistics.verifications += budget.verifications
        self.statistics.nsec3Hashes += budget.nsec3Hashes
        switch status {
        case .secure: self.statistics.secure += 1
        case .insecure: self.statistics.insecure += 1
        case .bogus: self.statistics.bogus += 1
        case .indeterminate: self.statistics.indeterminate += 1
        }
        return status
    }

    /// The deepest trust anchor at or above `name`.
    func anchor(for name: DomainName) -> TrustAnchor? {
        var best: TrustAnchor? = nil
        for anchor in self.configuration.trustAnchors where name.isSubdomain(of: anchor.zone) {
            if best.map({ anchor.zone.labelCount > $0.zone.labelCount }) ?? true { best = anchor }
        }
        return best
    }
}

/// The status of a response built from the status of its parts: bogus wins,
/// then indeterminate, then insecure (RFC 4035 §4.3: an answer is only as
/// secure as its least secure part).
struct CombinedStatus {
    private(set) var status: SecurityStatus = .secure

    mutating func add(_ other: SecurityStatus) {
        switch (self.status, other) {
        case (.bogus, _): return
        case (_, .bogus): self.status = other
        case (.indeterminate, _): return
        case (_, .indeterminate): self.status = other
        case (.insecure, _): return
        case (_, .insecure): self.status = other
        default: return
        }
    }

    var isBogus: Bool {
        if case .bogus = self.status { return true }
        return false
    }
}
