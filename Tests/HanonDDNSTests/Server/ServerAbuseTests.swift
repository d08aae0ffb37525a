// SPDX-License-Identifier: Apache-2.0

import Logging
import Testing

@testable import HanonDDNS

/// Password guessing: after `maxFailures` wrong logins from one address,
/// that address gets `abuse` (even with the right password) until the
/// window ends; other addresses are not affected.
@Suite struct ServerAbuseTests {
    static let target = "/nic/update?hostname=home.example.org&myip=192.0.2.1"

    @Test func lockoutAfterFailedLogins() async throws {
        let writer = RecordingWriter()
        let limiter = DDNSFailureLimiter(maxFailures: 3, window: .seconds(60))
        let handler = DynDNS2Handler(
            users: testUsers(), writer: writer, ttl: 60, failures: limiter, logger: Logger(label: "test"))
        let other = try #require(DDNSClientAddress("198.51.100.8"))
        for _ in 0..<3 {
            let r = await handler.respond(
                method: "GET", target: Self.target, authorization: basic("router", "guess"), client: clientV4)
            #expect(r.body == "badauth\n")
        }
        let locked = await handler.respond(
            method: "GET", target: Self.target, authorization: basic("router", "s3cret"), client: clientV4)
        #expect(locked.body == "abuse\n")
        #expect(writer.calls.isEmpty)
        let fine = await handler.respond(
            method: "GET", target: Self.target, authorization: basic("router", "s3cret"), client: other)
        #expect(fine.body == "good 192.0.2.1\n")
        // Requests without credentials do not count.
        for _ in 0..<5 {
            _ = await handler.respond(method: "GET", target: Self.target, authorization: nil, client: other)
        }
        #expect(!limiter.isBlocked(other))
    }

    @Test func windowEnds() {
        let limiter = DDNSFailureLimiter(maxFailures: 2, window: .seconds(60))
        let start = ContinuousClock.now
        limiter.recordFailure(clientV4, now: start)
        limiter.recordFailure(clientV4, now: start + .seconds(1))
        #expect(limiter.isBlocked(clientV4, now: start + .seconds(2)))
        #expect(!limiter.isBlocked(clientV4, now: start + .seconds(61)))
        #expect(!limiter.isBlocked(clientV4, now: start + .seconds(62)))
    }

    @Test func tableStaysBounded() throws {
        let limiter = DDNSFailureLimiter(maxFailures: 1, window: .seconds(60), maxClients: 4)
        let now = ContinuousClock.now
        for i in 1...10 {
            limiter.recordFailure(try #require(DDNSClientAddress("192.0.2.\(i)")), now: now)
        }
        // Full tables start again: the last one is remembered, at most 4 are.
        #expect(limiter.isBlocked(try #require(DDNSClientAddress("192.0.2.10")), now: now))
        let remembered = (1...10).filter { i in
            DDNSClientAddress("192.0.2.\(i)").map { limiter.isBlocked($0, now: now) } ?? false
        }
        #expect(remembered.count <= 4)
    }
}
