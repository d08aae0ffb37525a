// SPDX-License-Identifier: Apache-2.0

import DNSCore
import NIOCore
import Testing

@testable import DNSResolver

@Suite("Resolver cache")
struct ResolverCacheTests {
    static func records(_ lines: String) throws -> [ResourceRecord] {
        try lines.split(separator: "\n").map { try ResourceRecord(text: String($0)) }
    }

    static func response(
        _ rcode: RCode = .noError, answers: String = "", authorities: String = ""
    ) throws -> DNSMessage {
        var message = DNSMessage(header: RecursiveResolver.responseHeader())
        message.answers = answers.isEmpty ? [] : try Self.records(answers)
        message.authorities = authorities.isEmpty ? [] : try Self.records(authorities)
        message.rcode = rcode
        return message
    }

    static let question = Question(name: "www.example.test.", type: .a)

    /// RFC 2308 §5: the negative TTL is the lesser of the SOA's TTL and its MINIMUM.
    @Test(arguments: [
        (soaTTL: 3600 as UInt32, minimum: 300 as UInt32, expected: 300 as UInt32),
        (soaTTL: 120, minimum: 900, expected: 120),
        (soaTTL: 86400, minimum: 86400, expected: 3600),  // capped by negativeTTLMax
    ])
    func negativeTTLRule(soaTTL: UInt32, minimum: UInt32, expected: UInt32) throws {
        let cache = ResolverCache()
        let soa = "example.test. \(soaTTL) IN SOA ns.example.test. h. 1 1 1 1 \(minimum)"
        let nx = try Self.response(.nxDomain, authorities: soa)
        let entry = try #require(cache.storeAnswer(Self.question, response: nx, status: .insecure))
        #expect(entry.lifetime == expected)
        #expect(entry.authorities.first?.ttl == expected)
        // NODATA follows the same rule.
        let nodata = try Self.response(authorities: soa)
        #expect(
            cache.storeAnswer(Question(name: "x.example.test.", type: .txt), response: nodata, status: .insecure)?
                .lifetime == expected)
    }

    @Test func negativeAnswerWithoutSOAIsNotCached() throws {
        let cache = ResolverCache()
        #expect(cache.storeAnswer(Self.question, response: try Self.response(.nxDomain), status: .insecure) == nil)
        #expect(cache.answer(Self.question) == nil)
    }

    @Test(arguments: [
        (ttl: 5 as UInt32, floor: 60 as UInt32, cap: 3600 as UInt32, expected: 60 as UInt32),
        (ttl: 604800, floor: 0, cap: 86400, expected: 86400),
        (ttl: 300, floor: 0, cap: 86400, expected: 300),
    ])
    func ttlCapAndFloor(ttl: UInt32, floor: UInt32, cap: UInt32, expected: UInt32) throws {
        var policy = CachePolicy()
        policy.ttlMin = floor
        policy.ttlMax = cap
        let cache = ResolverCache(policy: policy)
        let entry = try #require(
            cache.storeAnswer(
                Self.question, response: try Self.response(answers: "www.example.test. \(ttl) IN A 192.0.2.1"),
                status: .insecure))
        #expect(entry.lifetime == expected)
        #expect(entry.answers.first?.ttl == expected)
    }

    @Test func servedTTLsAreDecremented() throws {
        let cache = ResolverCache()
        let stored = ContinuousClock.now - .seconds(100)
        cache.storeAnswer(
            Self.question, response: try Self.response(answers: "www.example.test. 300 IN A 192.0.2.1"),
            status: .insecure, at: stored)
        let (entry, elapsed) = try #require(cache.answer(Self.question))
        #expect(elapsed >= 100 && elapsed <= 101)
        #expect(entry.message(for: Self.question, elapsed: elapsed).answers.first?.ttl == 300 - elapsed)
        // And on the pre-encoded path.
        let query = DNSMessage.query(id: 7, name: "WWW.example.test.", type: .a, edns: EDNS())
        let wireQuery = try #require(WireQuery(query.serialize()))
        let reply = try #require(
            entry.respond(to: query.serialize(), query: wireQuery, elapsed: elapsed, maxSize: 1232))
        let decoded = try DNSMessage(wire: reply)
        #expect(decoded.header.id == 7 && decoded.header.isResponse && decoded.header.recursionAvailable)
        #expect(decoded.answers.first?.ttl == 300 - elapsed)
        #expect(decoded.questions.first?.name.description == "WWW.example.test.")
        #expect(decoded.edns != nil)
    }

    @Test func expiredEntriesAreNotServed() throws {
        let cache = ResolverCache()
        cache.storeAnswer(
            Self.question, response: try Self.response(answers: "www.example.test. 30 IN A 192.0.2.1"),
            status: .insecure, at: .now - .seconds(31))
        #expect(cache.answer(Self.question) == nil)
    }

    @Test func evictionKeepsTheMemoryBound() throws {
        var policy = CachePolicy()
        policy.capacity = 64 * 1024
        let cache = ResolverCache(policy: policy)
        for i in 0..<2000 {
            let name = "host\(i).example.test."
            cache.storeAnswer(
                Question(name: try DomainName(name, origin: .root), type: .a),
                response: try Self.response(answers: "\(name) 300 IN A 192.0.2.1"), status: .insecure)
        }
        #expect(cache.answers.totalCost <= policy.capacity / 2)
        #expect(cache.answers.evictions > 0)
        #expect(cache.counts.answers < 2000)
        // The most recent entry is there.
        #expect(cache.answer(Question(name: "host1999.example.test.", type: .a)) != nil)
    }

    @Test func clockGivesRecentlyUsedEntriesASecondChance() {
        struct Item: CacheCosting { var cost: Int { 10 } }
        let cache = ClockCache<Int, Item>(capacity: 30)
        cache.set(1, Item())
        cache.set(2, Item())
        cache.set(3, Item())
        _ = cache.get(1)
        cache.set(4, Item())  // evicts 2, the first unreferenced one after 1
        #expect(cache.get(1) != nil)
        #expect(cache.get(2) == nil)
        #expect(cache.get(4) != nil)
    }

    @Test func lowerTrustNeverReplacesHigher() throws {
        let cache = ResolverCache()
        cache.storeRRset(try Self.records("ns.example.test. 300 IN A 192.0.2.53"), trust: .answer)
        cache.storeRRset(try Self.records("ns.example.test. 300 IN A 10.6.6.6"), trust: .glue)
        #expect(
            cache.rrset("ns.example.test.", .a)?.records.first?.description
                == "ns.example.test. 300 IN A 192.0.2.53")
    }

    @Test(arguments: [
        [UInt8](),  // empty
        [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0],  // a header, no question
        [0, 1, 0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1],  // a response
        [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 63, 1, 2],  // label runs past the end
        [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 41],  // OPT cut short
        [0, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1],  // two questions
    ])
    func malformedQueriesTakeTheFullPath(bytes: [UInt8]) {
        #expect(WireQuery(ByteBuffer(bytes: bytes)) == nil)
    }
}
