// SPDX-License-Identifier: Apache-2.0

import DNSCore
import Testing

@testable import DNSResolver

/// Prefetch: a hit in the last tenth of an answer's TTL refreshes it once
/// in the background (Unbound's `prefetch: yes` rule).
@Suite("Prefetch")
struct PrefetchTests {
    static let www = "www.example.test. 300 IN A 192.0.2.1"

    static func question() throws -> Question {
        Question(name: try DomainName("www.example.test.", origin: .root), type: .a)
    }

    /// Queries for www.example.test. A sent to its server.
    static func refreshes(_ network: SwitchableNetwork) -> Int {
        network.inner.sent(to: "10.0.3.1").filter { $0.name == "www.example.test." && $0.type == .a }.count
    }

    /// Waits up to 2 s for the entry to be stored anew (elapsed under 5 s).
    static func waitForRenewal(_ resolver: RecursiveResolver) async throws -> Bool {
        for _ in 0..<100 {
            if let (_, elapsed) = resolver.cache.answer(try Self.question()), elapsed < 5 { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    @Test func aHitInTheLastTenthRefreshesOnceAndRenewsTheEntry() async throws {
        let network = try ResolverCacheWorld.network()
        let resolver = try ResolverCacheWorld.resolver(network)
        try ResolverCacheWorld.store(resolver, "www.example.test.", .a, [Self.www], age: .seconds(275))
        // The client gets the cached answer (TTL 25) at once, from the full path and the fast path.
        let response = await resolver.resolve(try FakeZones.query("www.example.test.", .a))
        #expect(response.answers.map(\.ttl) == [25])
        let fast = resolver.answerFromCache(try FakeZones.query("www.example.test.", .a).serialize(), maxUDPSize: 1232)
        #expect(fast != nil)
        #expect(try await Self.waitForRenewal(resolver))
        #expect(Self.refreshes(network) == 1)
        // The renewed entry: full TTL, and no further refresh on more hits.
        let after = await resolver.resolve(try FakeZones.query("www.example.test.", .a))
        #expect(after.answers.map(\.ttl) == [300])
        for _ in 0..<5 { _ = await resolver.resolve(try FakeZones.query("www.example.test.", .a)) }
        try await Task.sleep(for: .milliseconds(100))
        #expect(Self.refreshes(network) == 1)
        #expect(resolver.inFlight.count == 0)
    }

    @Test func fastPathHitsStartOneRefreshBetweenThem() async throws {
        let network = try ResolverCacheWorld.network()
        network.setDelay(.milliseconds(50))
        let resolver = try ResolverCacheWorld.resolver(network)
        try ResolverCacheWorld.store(resolver, "www.example.test.", .a, [Self.www], age: .seconds(280))
        let query = try FakeZones.query("www.example.test.", .a).serialize()
        for _ in 0..<100 { #expect(resolver.answerFromCache(query, maxUDPSize: 1232) != nil) }
        #expect(try await Self.waitForRenewal(resolver))
        #expect(Self.refreshes(network) == 1)
    }

    @Test(arguments: [
        // age (s) of a 300 s answer → refreshed?
        (269, false),
        (270, true),
        (299, true),
    ])
    func theLastTenthStartsAt90Percent(age: Int, refreshed: Bool) async throws {
        let network = try ResolverCacheWorld.network()
        let resolver = try ResolverCacheWorld.resolver(network)
        try ResolverCacheWorld.store(resolver, "www.example.test.", .a, [Self.www], age: .seconds(age))
        _ = await resolver.resolve(try FakeZones.query("www.example.test.", .a))
        if refreshed {
            #expect(try await Self.waitForRenewal(resolver))
        } else {
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(Self.refreshes(network) == (refreshed ? 1 : 0))
    }

    @Test func offWhenDisabled() async throws {
        let network = try ResolverCacheWorld.network()
        let resolver = try ResolverCacheWorld.resolver(network, options: { $0.prefetch = false })
        try ResolverCacheWorld.store(resolver, "www.example.test.", .a, [Self.www], age: .seconds(290))
        _ = await resolver.resolve(try FakeZones.query("www.example.test.", .a))
        try await Task.sleep(for: .milliseconds(200))
        #expect(network.queriesSent == 0)
    }

    @Test func aFailedPrefetchLeavesTheLiveEntry() async throws {
        let network = try ResolverCacheWorld.network()
        network.set(.unreachable)
        let resolver = try ResolverCacheWorld.resolver(network)
        try ResolverCacheWorld.store(resolver, "www.example.test.", .a, [Self.www], age: .seconds(290))
        _ = await resolver.resolve(try FakeZones.query("www.example.test.", .a))
        for _ in 0..<100 where network.queriesSent == 0 || resolver.inFlight.count > 0 {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(network.queriesSent > 0)
        let sent = network.queriesSent
        let response = await resolver.resolve(try FakeZones.query("www.example.test.", .a))
        #expect(response.rcode == .noError && response.answers.first?.ttl ?? 0 <= 10)
        // One refresh per entry: no second try from the same entry.
        try await Task.sleep(for: .milliseconds(100))
        #expect(network.queriesSent == sent)
    }

    @Test func shortTTLsAreNotPrefetched() async throws {
        let network = try ResolverCacheWorld.network()
        let resolver = try ResolverCacheWorld.resolver(network)
        // 5 s TTL: the last tenth is under a second, never reached in whole seconds.
        try ResolverCacheWorld.store(
            resolver, "www.example.test.", .a, ["www.example.test. 5 IN A 192.0.2.1"], age: .seconds(4))
        _ = await resolver.resolve(try FakeZones.query("www.example.test.", .a))
        try await Task.sleep(for: .milliseconds(100))
        #expect(network.queriesSent == 0)
    }
}
