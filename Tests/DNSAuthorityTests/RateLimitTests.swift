// SPDX-License-Identifier: Apache-2.0

import DNSCore
import Synchronization
import Testing

@testable import DNSAuthority

private let fixedKey = SipHash24.Key(k0: 0x0123_4567_89ab_cdef, k1: 0xfedc_ba98_7654_3210)

@available(macOS 15.0, *)
private func limiter(
    rate: Int = 5, slip: Int = 2, window: Int = 15, tableSize: Int = 65536,
    nxdomains: Int? = nil, errors: Int? = nil, referrals: Int? = nil
) -> ResponseRateLimiter {
    ResponseRateLimiter(
        configuration: RateLimitConfiguration(
            responsesPerSecond: rate, nxdomainsPerSecond: nxdomains, referralsPerSecond: referrals,
            errorsPerSecond: errors, slip: slip, window: window, tableSize: tableSize),
        hashKey: fixedKey,
        clock: { 0 })
}

private func ip(_ text: String) -> ClientIP { ClientIP(text) ?? ClientIP(ipv4: 0) }

private let answerA = RateLimitedResponse.answer(qname: "www.example.", qtype: .a)

@available(macOS 15.0, *)
private func run(
    _ rrl: ResponseRateLimiter, _ response: RateLimitedResponse = answerA, client: String, count: Int, at now: UInt32
)
    -> [RateLimitDecision]
{
    (0..<count).map { _ in rrl.decide(response, client: ip(client), now: now) }
}

@available(macOS 15.0, *)
@Test func underTheLimitEverythingIsSent() {
    let rrl = limiter(rate: 10)
    for second in UInt32(100)..<UInt32(130) {
        #expect(run(rrl, client: "192.0.2.1", count: 10, at: second).allSatisfy { $0 == .send }, "second \(second)")
    }
    #expect(rrl.statistics == RateLimitStatistics())
}

@available(macOS 15.0, *)
@Test func overTheLimitDropsAndSlipsInProportion() {
    // Rate 5, slip 2: in one second 5 are sent; of the 20 limited, the 1st, 3rd, … slip.
    let rrl = limiter(rate: 5, slip: 2)
    let decisions = run(rrl, client: "192.0.2.1", count: 25, at: 1000)
    #expect(decisions.prefix(5).allSatisfy { $0 == .send })
    #expect(
        Array(decisions.dropFirst(5)) == Array(repeating: [RateLimitDecision.slip, .drop], count: 10).flatMap { $0 })
    #expect(rrl.statistics.slipped == 10)
    #expect(rrl.statistics.dropped == 10)
}

@available(macOS 15.0, *)
@Test(arguments: [(0, 0, 30), (1, 30, 0), (3, 10, 20), (10, 3, 27)])
func slipSetting(_ slip: Int, _ slipped: Int, _ dropped: Int) {
    let rrl = limiter(rate: 5, slip: slip)
    let decisions = run(rrl, client: "192.0.2.1", count: 35, at: 1000)
    #expect(decisions.prefix(5).allSatisfy { $0 == .send })
    #expect(decisions.filter { $0 == .slip }.count == slipped)
    #expect(decisions.filter { $0 == .drop }.count == dropped)
    if slip > 0 { #expect(decisions[5] == .slip) }  // the first limited response slips, as BIND does
    #expect(rrl.statistics.slipped == UInt64(slipped))
    #expect(rrl.statistics.dropped == UInt64(dropped))
}

@available(macOS 15.0, *)
@Test func sustainedFloodIsHeldToTheRate() {
    // 50 queries a second at rate 5 for a minute: 5 a second get through.
    let rrl = limiter(rate: 5, slip: 0)
    var sent = 0
    for second in UInt32(0)..<60 {
        sent += run(rrl, client: "192.0.2.1", count: 50, at: second).filter { $0 == .send }.count
    }
    #expect(sent <= 5 + 5)  // the first second's credit, then the debt keeps it at zero
    #expect(sent >= 5)
}

@available(macOS 15.0, *)
@Test func networksAreIndependentAndIPv4IsGroupedBy24() {
    let rrl = limiter(rate: 3, slip: 0)
    #expect(run(rrl, client: "192.0.2.1", count: 3, at: 10).allSatisfy { $0 == .send })
    // Same /24: shares the bucket.
    #expect(rrl.decide(answerA, client: ip("192.0.2.200"), now: 10) == .drop)
    // Another /24: its own bucket.
    #expect(run(rrl, client: "192.0.3.1", count: 3, at: 10).allSatisfy { $0 == .send })
    #expect(rrl.decide(answerA, client: ip("192.0.3.1"), now: 10) == .drop)
    // An IPv4-mapped IPv6 source is the IPv4 client.
    #expect(rrl.decide(answerA, client: ip("::ffff:192.0.2.9"), now: 10) == .drop)
}

@available(macOS 15.0, *)
@Test func ipv6IsGroupedBy56() {
    let rrl = limiter(rate: 3, slip: 0)
    #expect(run(rrl, client: "2001:db8:1:1::1", count: 3, at: 10).allSatisfy { $0 == .send })
    // 2001:db8:1:00xx::/56 is one network.
    #expect(rrl.decide(answerA, client: ip("2001:db8:1:ff::2"), now: 10) == .drop)
    #expect(rrl.decide(answerA, client: ip("2001:db8:1:1:ffff:ffff:ffff:ffff"), now: 10) == .drop)
    // 2001:db8:1:100::/56 is another.
    #expect(run(rrl, client: "2001:db8:1:100::1", count: 3, at: 10).allSatisfy { $0 == .send })
    #expect(run(rrl, client: "2001:db8:2:1::1", count: 3, at: 10).allSatisfy { $0 == .send })
}

@available(macOS 15.0, *)
@Test func prefixLengthsAreConfigurable() {
    let rrl = ResponseRateLimiter(
        configuration: RateLimitConfiguration(
            responsesPerSecond: 1, slip: 0, ipv4PrefixLength: 32, ipv6PrefixLength: 64),
        hashKey: fixedKey)
    #expect(rrl.decide(answerA, client: ip("192.0.2.1"), now: 1) == .send)
    #expect(rrl.decide(answerA, client: ip("192.0.2.2"), now: 1) == .send)
    #expect(rrl.decide(answerA, client: ip("2001:db8:0:1::1"), now: 1) == .send)
    #expect(rrl.decide(answerA, client: ip("2001:db8:0:1::2"), now: 1) == .drop)
    #expect(rrl.decide(answerA, client: ip("2001:db8:0:2::1"), now: 1) == .send)
}

@available(macOS 15.0, *)
@Test func responseClassesAreCountedApart() {
    let rrl = limiter(rate: 2, slip: 0)
    let client = "192.0.2.1"
    #expect(run(rrl, client: client, count: 2, at: 5).allSatisfy { $0 == .send })
    #expect(rrl.decide(answerA, client: ip(client), now: 5) == .drop)
    // Another qtype, another qname: other buckets. The qname's case does not matter.
    #expect(rrl.decide(.answer(qname: "www.example.", qtype: .aaaa), client: ip(client), now: 5) == .send)
    #expect(rrl.decide(.answer(qname: "mail.example.", qtype: .a), client: ip(client), now: 5) == .send)
    #expect(rrl.decide(.answer(qname: "WWW.Example.", qtype: .a), client: ip(client), now: 5) == .drop)
    // NXDOMAIN counts per zone, referrals per delegation, errors per client.
    #expect(run(rrl, .nxDomain(zone: "example."), client: client, count: 3, at: 5) == [.send, .send, .drop])
    #expect(rrl.decide(.nxDomain(zone: "example.org."), client: ip(client), now: 5) == .send)
    #expect(run(rrl, .referral(delegation: "sub.example."), client: client, count: 3, at: 5) == [.send, .send, .drop])
    #expect(run(rrl, .error, client: client, count: 3, at: 5) == [.send, .send, .drop])
    #expect(rrl.decide(.error, client: ip("192.0.3.1"), now: 5) == .send)
}

@available(macOS 15.0, *)
@Test func perClassRates() {
    let rrl = limiter(rate: 100, slip: 0, nxdomains: 2, errors: 1, referrals: 3)
    #expect(run(rrl, client: "192.0.2.1", count: 100, at: 5).allSatisfy { $0 == .send })
    #expect(run(rrl, .nxDomain(zone: "example."), client: "192.0.2.1", count: 3, at: 5) == [.send, .send, .drop])
    #expect(run(rrl, .error, client: "192.0.2.1", count: 2, at: 5) == [.send, .drop])
    #expect(
        run(rrl, .referral(delegation: "sub.example."), client: "192.0.2.1", count: 4, at: 5) == [
            .send, .send, .send, .drop,
        ])
}

@available(macOS 15.0, *)
@Test func zeroRateIsUnlimited() {
    let rrl = limiter(rate: 0, slip: 0, errors: 1)
    #expect(run(rrl, client: "192.0.2.1", count: 1000, at: 5).allSatisfy { $0 == .send })
    #expect(run(rrl, .error, client: "192.0.2.1", count: 2, at: 5) == [.send, .drop])
}

@available(macOS 15.0, *)
@Test func creditComesBackEachSecond() {
    let rrl = limiter(rate: 4, slip: 0)
    #expect(run(rrl, client: "192.0.2.1", count: 4, at: 10).allSatisfy { $0 == .send })
    #expect(rrl.decide(answerA, client: ip("192.0.2.1"), now: 10) == .drop)  // balance -1
    // One second later: -1 + 4 = 3 responses.
    #expect(run(rrl, client: "192.0.2.1", count: 4, at: 11) == [.send, .send, .send, .drop])
    // Credit never exceeds one second's worth, however long the pause.
    #expect(run(rrl, client: "192.0.2.1", count: 5, at: 14) == [.send, .send, .send, .send, .drop])
}

@available(macOS 15.0, *)
@Test func windowHoldsAFlooderThenForgets() {
    // Rate 2, window 5: a flood leaves a debt of at most 5 × 2 = 10 responses.
    let rrl = limiter(rate: 2, slip: 0, window: 5)
    _ = run(rrl, client: "192.0.2.1", count: 1000, at: 100)
    // One second later the debt (-10 + 2 = -8) still blocks.
    #expect(rrl.decide(answerA, client: ip("192.0.2.1"), now: 101) == .drop)
    // The debt is capped: by second 101 + 5 it is paid, (-9 + 10 = 1) one response goes through.
    #expect(run(rrl, client: "192.0.2.1", count: 2, at: 106) == [.send, .drop])

    // A second flooder, then silence for longer than the window: the bucket is forgotten.
    _ = run(rrl, client: "198.51.100.1", count: 1000, at: 100)
    #expect(run(rrl, client: "198.51.100.1", count: 3, at: 106) == [.send, .send, .drop])
}

@available(macOS 15.0, *)
@Test func clockSteppingBackDoesNotCredit() {
    let rrl = limiter(rate: 2, slip: 0)
    _ = run(rrl, client: "192.0.2.1", count: 2, at: 100)
    #expect(rrl.decide(answerA, client: ip("192.0.2.1"), now: 50) == .drop)
}

@available(macOS 15.0, *)
@Test func injectedClockIsUsed() {
    let now = Atomic<UInt32>(7)
    let rrl = ResponseRateLimiter(
        configuration: RateLimitConfiguration(responsesPerSecond: 1, slip: 0), hashKey: fixedKey,
        clock: { now.load(ordering: .relaxed) })
    #expect(rrl.decide(answerA, client: ip("192.0.2.1")) == .send)
    #expect(rrl.decide(answerA, client: ip("192.0.2.1")) == .drop)
    // One second later the debt of one response eats the second's credit.
    now.store(8, ordering: .relaxed)
    #expect(rrl.decide(answerA, client: ip("192.0.2.1")) == .drop)
    now.store(10, ordering: .relaxed)
    #expect(rrl.decide(answerA, client: ip("192.0.2.1")) == .send)
}

@available(macOS 15.0, *)
@Test func tableIsBoundedAndAFloodOfSourcesDoesNotFreeALimitedClient() {
    let rrl = limiter(rate: 5, slip: 0, tableSize: 64)
    #expect(rrl.capacity == 64)
    // A reflection victim is over its limit.
    #expect(run(rrl, client: "192.0.2.1", count: 50, at: 1).filter { $0 == .send }.count == 5)
    // A flood from 20,000 spoofed networks, one query each, interleaved with the victim's.
    var victimSent = 0
    for n in 0..<20_000 {
        let source = ClientIP(ipv4: 0x0A00_0000 | UInt32(n) << 8)  // 10.x.y.0/24
        #expect(rrl.decide(answerA, client: source, now: 1) == .send)
        if n % 100 == 0, rrl.decide(answerA, client: ip("192.0.2.1"), now: 1) == .send { victimSent += 1 }
    }
    #expect(victimSent == 0)
    #expect(rrl.capacity == 64)
    #expect(rrl.statistics.evicted > 19_000)
    // The victim's debt survived the flood: still limited in the next second.
    #expect(rrl.decide(answerA, client: ip("192.0.2.1"), now: 2) == .drop)
}

@available(macOS 15.0, *)
@Test func tinyTableAndOutOfRangeSettingsAreClamped() {
    let rrl = ResponseRateLimiter(
        configuration: RateLimitConfiguration(
            responsesPerSecond: 10_000_000, slip: 99, window: 0, ipv4PrefixLength: 40, ipv6PrefixLength: -3,
            tableSize: 0),
        hashKey: fixedKey)
    #expect(rrl.configuration.responsesPerSecond == ResponseRateLimiter.maximumRate)
    #expect(rrl.configuration.slip == 10)
    #expect(rrl.configuration.window == 1)
    #expect(rrl.configuration.ipv4PrefixLength == 32)
    #expect(rrl.configuration.ipv6PrefixLength == 0)
    #expect(rrl.capacity == 4)
    for n in 0..<100 { #expect(rrl.decide(.error, client: ClientIP(ipv4: UInt32(n)), now: 1) == .send) }
    // The largest debt (rate × window, both at maximum) fits.
    let big = ResponseRateLimiter(
        configuration: RateLimitConfiguration(responsesPerSecond: 100_000, slip: 0, window: 3600), hashKey: fixedKey)
    let decisions = run(big, client: "192.0.2.1", count: 100_010, at: 1)
    #expect(decisions.filter { $0 == .drop }.count == 10)
}

@available(macOS 15.0, *)
@Test func concurrentCallersShareOneBucketExactly() async {
    // 8 tasks × 1000 queries in one second, rate 1000: exactly 1000 are sent.
    let rrl = limiter(rate: 1000, slip: 0)
    let sent = await withTaskGroup(of: Int.self) { group in
        for _ in 0..<8 {
            group.addTask {
                (0..<1000).reduce(0) { count, _ in
                    count + (rrl.decide(answerA, client: ip("192.0.2.1"), now: 1) == .send ? 1 : 0)
                }
            }
        }
        return await group.reduce(0, +)
    }
    #expect(sent == 1000)
    #expect(rrl.statistics.dropped == 7000)
}
