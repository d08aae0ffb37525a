// SPDX-License-Identifier: Apache-2.0

import DNSCore

extension ResolverCache {
    /// The expired answer to `question` that may be served stale at `now`
    /// (RFC 8767 §4), or nil: serve-stale off, nothing held, the entry
    /// still live (``answer(_:at:)`` serves it), expired more than
    /// ``CachePolicy/maxStaleTTL`` ago, not validated, bogus, or itself a
    /// failure. Behind a SERVFAIL entry stored after a failed refresh, the
    /// answer it replaced (``CachedAnswer/stale``).
    public func staleAnswer(_ question: Question, at now: ContinuousClock.Instant = .now) -> CachedAnswer? {
        guard self.policy.serveStale, let entry = self.answers.get(question) else { return nil }
        if entry.rcode == .servFail {
            guard let stale = entry.stale else { return nil }
            return self.servableStale(stale, at: now)
        }
        return self.servableStale(entry, at: now)
    }

    /// `entry` when it is expired, within ``CachePolicy/maxStaleTTL`` of its
    /// expiry and was validated (not bogus); nil otherwise.
    func servableStale(_ entry: CachedAnswer, at now: ContinuousClock.Instant) -> CachedAnswer? {
        guard entry.rcode != .servFail, let status = entry.status else { return nil }
        if case .bogus = status { return nil }
        let elapsed = (now - entry.storedAt).components.seconds
        let lifetime = Int64(entry.lifetime)
        guard elapsed >= lifetime, elapsed < lifetime + Int64(self.policy.maxStaleTTL) else { return nil }
        return entry
    }
}

extension CachedAnswer {
    /// The Extended DNS Error a stale copy of this answer carries (RFC 8914
    /// §4.4 and §4.20): Stale NXDOMAIN Answer for NXDOMAIN, else Stale Answer.
    public var staleCode: EDNSOption.ExtendedError.InfoCode {
        self.rcode == .nxDomain ? .staleNXDomainAnswer : .staleAnswer
    }

    /// The answer served stale: its records with TTL `ttl` (RFC 8767 §4,
    /// the stale-answer-ttl).
    public func staleMessage(for question: Question, ttl: UInt32) -> DNSMessage {
        var message = self.message(for: question, elapsed: 0)
        for i in message.answers.indices { message.answers[i].ttl = ttl }
        for i in message.authorities.indices { message.authorities[i].ttl = ttl }
        return message
    }
}
