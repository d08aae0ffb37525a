// SPDX-License-Identifier: Apache-2.0

import DNSCore
import Testing

@testable import DNSResolver

/// Serve-stale (RFC 8767): expired answers kept and served, with TTL 30
/// and EDE 3, when their refresh fails, and nowhere else.
@Suite("Serve-stale (RFC 8767)")
struct ServeStaleTests {
    static let www = "www.example.test. 300 IN A 192.0.2.1"

    static func staleWorld(
        age: Duration = .seconds(301), policy: (inout CachePolicy) -> Void = { $0.serveStale = true },
        options: (inout ResolverOptions) -> Void = { _ in }
    ) throws -> (SwitchableNetwork, RecursiveResolver) {
        let network = try ResolverCacheWorld.network()
        let resolver = try ResolverCacheWorld.resolver(network, policy: policy, options: options)
        try ResolverCacheWorld.store(resolver, "www.example.test.", .a, [Self.www], age: age)
        return (network, resolver)
    }

    @Test func expiredAnswerIsServedWithEDE3AndTTL30WhenTheAuthoritiesFail() async throws {
        let (network, resolver) = try Self.staleWorld()
        network.set(.unreachable)
        let response = await resolver.resolve(try FakeZones.query("www.example.test.", .a))
        #expect(response.rcode == .noError)
        #expect(response.answers.map(\.description) == ["www.example.test. 30 IN A 192.0.2.1"])
        #expect(ResolverCacheWorld.edeCodes(response) == [3])
        #expect(network.queriesSent > 0)
        // Within the stale-refresh time the stale answer comes at once, nothing sent.
        let sent = network.queriesSent
        let again = await resolver.resolve(try FakeZones.query("www.example.test.", .a))
        #expect(again.answers.map(\.description) == ["www.example.test. 30 IN A 192.0.2.1"])
        #expect(ResolverCacheWorld.edeCodes(again) == [3])
        #expect(network.queriesSent == sent)
    }

    @Test func whenTheAuthoritiesAnswerTheFreshAnswerReplacesTheStaleOne() async throws {
        let (network, resolver) = try Self.staleWorld()
        let response = await resolver.resolve(try FakeZones.query("www.example.test.", .a))
        #expect(response.answers.map(\.description) == [Self.www])
        #expect(ResolverCacheWorld.edeCodes(response).isEmpty)
        #expect(network.queriesSent == 3)
    }

    @Test func offByDefaultTheFailureIsSERVFAIL() async throws {
        let (network, resolver) = try Self.staleWorld(policy: { _ in })
        network.set(.unreachable)
        let response = await resolver.resolve(try FakeZones.query("www.example.test.", .a))
        #expect(response.rcode == .servFail && response.answers.isEmpty)
        #expect(ResolverCacheWorld.edeCodes(response) == [22])
    }

    @Test func notServedPastMaxStale() async throws {
        let (network, resolver) = try Self.staleWorld(
            age: .seconds(300 + 3600),
            policy: {
                $0.serveStale = true
                $0.maxStaleTTL = 3600
            })
        network.set(.unreachable)
        let response = await resolver.resolve(try FakeZones.query("www.example.test.", .a))
        #expect(response.rcode == .servFail && response.answers.isEmpty)
        #expect(!ResolverCacheWorld.edeCodes(response).contains(3))
        // One second younger, it is served.
        let (network2, resolver2) = try Self.staleWorld(
            age: .seconds(300 + 3598),
            policy: {
                $0.serveStale = true
                $0.maxStaleTTL = 3600
            })
        network2.set(.unreachable)
        let served = await resolver2.resolve(try FakeZones.query("www.example.test.", .a))
        #expect(served.rcode == .noError && ResolverCacheWorld.edeCodes(served) == [3])
    }

    @Test func staleNXDOMAINCarriesEDE19() async throws {
        let network = try ResolverCacheWorld.network()
        let resolver = try ResolverCacheWorld.resolver(network) { $0.serveStale = true }
        try ResolverCacheWorld.store(
            resolver, "gone.example.test.", .a, [], age: .seconds(61), rcode: .nxDomain,
            authorities: ["example.test. 300 IN SOA ns.example.test. h. 1 1 1 1 60"])
        network.set(.unreachable)
        let response = await resolver.resolve(try FakeZones.query("gone.example.test.", .a))
        #expect(response.rcode == .nxDomain)
        #expect(response.authorities.map(\.ttl) == [30])
        #expect(ResolverCacheWorld.edeCodes(response) == [19])
    }

    @Test func staleAnswerTTLIsConfigurable() async throws {
        let (network, resolver) = try Self.staleWorld(policy: {
            $0.serveStale = true
            $0.staleAnswerTTL = 7
        })
        network.set(.unreachable)
        let response = await resolver.resolve(try FakeZones.query("www.example.test.", .a))
        #expect(response.answers.map(\.ttl) == [7])
    }

    @Test func slowAuthoritiesGetTheStaleAnswerAfterTheClientTimeoutAndTheCacheIsRefreshed() async throws {
        let (network, resolver) = try Self.staleWorld(options: { $0.staleAnswerClientTimeout = .milliseconds(200) })
        network.setDelay(.milliseconds(400))  // three queries: 1.2 s to resolve
        let clock = ContinuousClock()
        let started = clock.now
        let response = await resolver.resolve(try FakeZones.query("www.example.test.", .a))
        let waited = clock.now - started
        #expect(response.answers.map(\.description) == ["www.example.test. 30 IN A 192.0.2.1"])
        #expect(ResolverCacheWorld.edeCodes(response) == [3])
        #expect(waited >= .milliseconds(200) && waited < .milliseconds(1100))
        // The resolution goes on in the background and refreshes the cache.
        let question = Question(name: try DomainName("www.example.test.", origin: .root), type: .a)
        for _ in 0..<50 where resolver.cache.answer(question) == nil {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(resolver.cache.answer(question)?.answer.answers.map(\.description) == [Self.www])
        network.setDelay(.zero)
        let fresh = await resolver.resolve(try FakeZones.query("www.example.test.", .a))
        #expect(fresh.answers.map(\.description) == [Self.www] && ResolverCacheWorld.edeCodes(fresh).isEmpty)
    }

    @Test func withoutStaleDataTheClientWaitsForTheResolution() async throws {
        let network = try ResolverCacheWorld.network()
        let resolver = try ResolverCacheWorld.resolver(
            network, policy: { $0.serveStale = true }, options: { $0.staleAnswerClientTimeout = .milliseconds(50) })
        network.setDelay(.milliseconds(100))
        let response = await resolver.resolve(try FakeZones.query("www.example.test.", .a))
        #expect(response.answers.map(\.description) == [Self.www] && ResolverCacheWorld.edeCodes(response).isEmpty)
    }

    @Test func staleDataIsNotLiveForSubLookupsOrIteration() async throws {
        let (network, resolver) = try Self.staleWorld()
        network.set(.unreachable)
        let question = Question(name: try DomainName("www.example.test.", origin: .root), type: .a)
        #expect(resolver.cache.answer(question) == nil)
        // The validator's lookups and name-server addresses: SERVFAIL, never the stale copy.
        let budget = WorkBudget(limits: resolver.options.limits)
        let (message, _) = await resolver.lookup(question, validate: false, budget: budget, depth: 1)
        #expect(message.rcode == .servFail && message.answers.isEmpty)
        // The failure entry keeps the stale copy: a client still gets it.
        let response = await resolver.resolve(try FakeZones.query("www.example.test.", .a))
        #expect(response.rcode == .noError && ResolverCacheWorld.edeCodes(response) == [3])
        // Not a cache hit for the fast path either.
        let buffer = try FakeZones.query("www.example.test.", .a).serialize()
        #expect(resolver.answerFromCache(buffer, maxUDPSize: 1232) == nil)
    }

    @Test func aFailureEntryCountsItsStaleCopyInTheMemoryBound() throws {
        let policy = { (p: inout CachePolicy) in p.serveStale = true }
        let network = try ResolverCacheWorld.network()
        let resolver = try ResolverCacheWorld.resolver(network, policy: policy)
        try ResolverCacheWorld.store(resolver, "www.example.test.", .a, [Self.www], age: .seconds(301))
        let before = resolver.cache.answers.totalCost
        let question = Question(name: try DomainName("www.example.test.", origin: .root), type: .a)
        resolver.cache.storeFailure(question, status: .indeterminate)
        #expect(resolver.cache.answers.totalCost > before)
        #expect(resolver.cache.staleAnswer(question) != nil)
    }

    @Test func staleEntriesAreEvictedLikeOthers() throws {
        let network = try ResolverCacheWorld.network()
        let resolver = try ResolverCacheWorld.resolver(network) {
            $0.serveStale = true
            $0.capacity = 8 << 10  // 4 KiB of answers
        }
        try ResolverCacheWorld.store(resolver, "www.example.test.", .a, [Self.www], age: .seconds(301))
        for i in 0..<100 {
            try ResolverCacheWorld.store(
                resolver, "h\(i).example.test.", .a, ["h\(i).example.test. 300 IN A 192.0.2.1"], age: .zero)
        }
        #expect(resolver.cache.answers.totalCost <= 4 << 10)
        #expect(
            resolver.cache.staleAnswer(Question(name: try DomainName("www.example.test.", origin: .root), type: .a))
                == nil)
    }
}
