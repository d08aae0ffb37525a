// SPDX-License-Identifier: Apache-2.0

import DNSCore
import Logging
import Testing

@testable import DNSResolver

/// Identical client questions in flight share one resolution (Unbound's mesh).
@Suite("Coalescing identical questions")
struct CoalescingTests {
    static let www = "www.example.test. 300 IN A 192.0.2.1"

    /// A validator whose check looks up the very question it validates
    /// (as a DNSKEY answer's validation fetches that DNSKEY RRset).
    struct RecursingValidator: ResponseValidating {
        func validate(_ response: DNSMessage, question: Question, lookup: any ValidationLookup) async -> SecurityStatus
        {
            _ = await lookup.lookup(question.name, question.type)
            return .insecure
        }
    }

    @Test func fiftyConcurrentIdenticalQuestionsMakeOneUpstreamSequence() async throws {
        let network = try ResolverCacheWorld.network()
        network.setDelay(.milliseconds(300))
        let resolver = try ResolverCacheWorld.resolver(network)
        let responses = try await withThrowingTaskGroup(of: DNSMessage.self) { group in
            for i in 0..<50 {
                // DO and CD do not split the question.
                let query = try FakeZones.query("www.example.test.", .a, dnssecOK: i % 2 == 0, cd: i % 3 == 0)
                group.addTask { await resolver.resolve(query) }
            }
            var all: [DNSMessage] = []
            for try await response in group { all.append(response) }
            return all
        }
        #expect(responses.count == 50)
        #expect(responses.allSatisfy { $0.rcode == .noError && $0.answers.map(\.description) == [Self.www] })
        #expect(network.inner.sent.map(\.server) == ["10.0.0.1", "10.0.1.1", "10.0.3.1"])
        #expect(resolver.inFlight.coalesced == 49)
        #expect(resolver.inFlight.count == 0)
    }

    @Test func differentQuestionsAreNotCoalesced() async throws {
        let network = try ResolverCacheWorld.network()
        network.setDelay(.milliseconds(20))
        let resolver = try ResolverCacheWorld.resolver(network)
        let (qa, qb) = (try FakeZones.query("www.example.test.", .a), try FakeZones.query("www.example.test.", .aaaa))
        async let a = resolver.resolve(qa)
        async let b = resolver.resolve(qb)
        let (ra, rb) = await (a, b)
        #expect(ra.answers.count == 1 && rb.answers.isEmpty && rb.rcode == .noError)
        #expect(resolver.inFlight.coalesced == 0)
    }

    @Test func waitersAreBounded() async throws {
        let network = try ResolverCacheWorld.network()
        network.setDelay(.milliseconds(100))
        let resolver = try ResolverCacheWorld.resolver(network, options: { $0.maxWaitersPerQuestion = 5 })
        let query = try FakeZones.query("www.example.test.", .a)
        let codes = await withTaskGroup(of: RCode.self) { group in
            for _ in 0..<20 { group.addTask { await resolver.resolve(query).rcode } }
            var all: [RCode] = []
            for await code in group { all.append(code) }
            return all
        }
        #expect(codes.filter { $0 == .noError }.count >= 5)
        #expect(codes.filter { $0 == .servFail }.count == resolver.inFlight.turnedAway)
        #expect(resolver.inFlight.turnedAway > 0)
        #expect(network.inner.sent.count == 3)
    }

    @Test(.timeLimit(.minutes(1)))
    func aValidatorLookingUpTheSameQuestionDoesNotDeadlock() async throws {
        let network = try ResolverCacheWorld.network()
        var options = ResolverOptions()
        options.rootHints = try FakeZones.hints
        let resolver = RecursiveResolver(
            options: options, transport: network, validator: RecursingValidator(), logger: .init(label: "test"))
        let query = try FakeZones.query("www.example.test.", .a)
        async let first = resolver.resolve(query)
        async let second = resolver.resolve(query)
        let (a, b) = await (first, second)
        #expect(a.answers.map(\.description) == [Self.www] && b.answers.map(\.description) == [Self.www])
        #expect(resolver.inFlight.count == 0)
    }

    @Test(.timeLimit(.minutes(1)))
    func nameServersWithoutGlueInEachOthersZonesDoNotDeadlock() async throws {
        // a.test. is served by ns.b.test. and b.test. by ns.a.test., no glue: each address needs the other zone.
        let test = FakeZones.test + "\na.test. 3600 IN NS ns.b.test.\nb.test. 3600 IN NS ns.a.test."
        let network = SwitchableNetwork(
            try FakeNetwork(servers: ["10.0.0.1": [FakeZones.root], "10.0.1.1": [test]]))
        let resolver = try ResolverCacheWorld.resolver(network)
        let names = ["x.a.test.", "ns.b.test.", "x.b.test.", "ns.a.test."]
        let codes = try await withThrowingTaskGroup(of: RCode.self) { group in
            for name in names + names {
                let query = try FakeZones.query(name, .a)
                group.addTask { await resolver.resolve(query).rcode }
            }
            var all: [RCode] = []
            for try await code in group { all.append(code) }
            return all
        }
        #expect(codes == Array(repeating: .servFail, count: 8))
        #expect(resolver.inFlight.count == 0)
    }
}
