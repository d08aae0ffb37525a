// SPDX-License-Identifier: Apache-2.0

import Foundation
import HanonDDNS
import Synchronization
import Testing

/// The updater's decisions: send a changed address, never resend an unchanged one (across
/// restarts too), stop after a permanent error until the config changes, back off after a
/// temporary one.
@Suite struct UpdaterTests {
    /// A test server serving `/ip` (the page the address is detected from) and `/nic/update`
    /// (dyndns2, answering `answer`).
    final class Fixture: Sendable {
        let server: TestHTTPSServer
        let page = Locked("IP: 192.0.2.10")
        let answer = Locked("good")
        let client: HTTPSClient
        let stateFile: String
        let clock = Locked(Date(timeIntervalSince1970: 1_800_000_000))

        init() async throws {
            let ca = try SharedCA.get()
            client = try ca.client()
            stateFile = try temporaryDirectory() + "/" + DDNSState.fileName
            let page = self.page
            let answer = self.answer
            server = try await TestHTTPSServer.start(ca.good) { request in
                if request.path == "/ip" { return (200, page.withLock { $0 }) }
                return (200, answer.withLock { $0 })
            }
        }

        var updates: [ReceivedRequest] { server.requests.filter { $0.path == "/nic/update" } }

        func updater(password: String = "pw", interval: Duration = .seconds(300)) throws -> DDNSUpdater {
            let url = try #require(HTTPSURL("https://localhost:\(server.port)"))
            let provider = DynDNS2Provider(server: url, user: "u", password: password, client: client)
            let record = DDNSRecord(
                name: "home.example.org", provider: provider, ipv4: true, ipv6: false,
                configHash: DDNSRecord.hash(["home.example.org", password]))
            let settings = DDNSClientSettings(
                ipv4Source: .web(try #require(HTTPSURL("https://localhost:\(server.port)/ip")), skip: "IP:"),
                ipv6Source: nil, records: [record], interval: interval, allowPrivate: true, stateFile: stateFile,
                retryBase: .seconds(60), retryCap: .seconds(300))
            let clock = self.clock
            return DDNSUpdater(
                settings: settings, detector: AddressDetector(https: client, allowPrivate: true),
                now: { clock.withLock { $0 } })
        }

        func advance(_ seconds: TimeInterval) { clock.withLock { $0 = $0.addingTimeInterval(seconds) } }
    }

    @Test func anUnchangedAddressIsNotResentEvenAfterARestart() async throws {
        let f = try await Fixture()
        defer { Task { await f.server.stop() } }
        let state = try await f.updater().runOnce()
        #expect(f.updates.count == 1)
        #expect(f.updates.first?.query["myip"] == "192.0.2.10")
        let entry = try #require(state.records.values.first)
        #expect(entry.result == .updated)
        #expect(entry.sent?.v4 == IPAddress("192.0.2.10"))
        // The same updater, and a new one reading the state file (a restart): nothing sent.
        f.advance(600)
        _ = try await f.updater().runOnce()
        #expect(f.updates.count == 1)
        let onDisk = try DDNSState.load(from: f.stateFile)
        #expect(onDisk.records.values.first?.sent?.v4 == IPAddress("192.0.2.10"))
        #expect(onDisk.detected["ipv4"]?.address == IPAddress("192.0.2.10"))
        // A changed address is sent.
        f.page.withLock { $0 = "IP: 192.0.2.11" }
        _ = try await f.updater().runOnce()
        #expect(f.updates.count == 2)
        #expect(f.updates.last?.query["myip"] == "192.0.2.11")
    }

    @Test func aChangedAddressIsSentWithinTheInterval() async throws {
        let f = try await Fixture()
        defer { Task { await f.server.stop() } }
        let updater = try f.updater(interval: .milliseconds(300))
        let loop = Task { await updater.run() }
        defer { loop.cancel() }
        try await Self.waitUntil { f.updates.count == 1 }
        f.page.withLock { $0 = "IP: 192.0.2.77" }
        let changed = ContinuousClock.now
        try await Self.waitUntil { f.updates.count == 2 }
        #expect(ContinuousClock.now - changed < .seconds(5))
        #expect(f.updates.last?.query["myip"] == "192.0.2.77")
        loop.cancel()
    }

    @Test func badauthStopsRetriesUntilTheConfigChanges() async throws {
        let f = try await Fixture()
        defer { Task { await f.server.stop() } }
        f.answer.withLock { $0 = "badauth" }
        let state = try await f.updater().runOnce()
        #expect(state.records.values.first?.result == .permanentError)
        #expect(f.updates.count == 1)
        for _ in 0..<3 {
            f.advance(86400)
            _ = try await f.updater().runOnce()
        }
        // A new address does not cure bad credentials either.
        f.page.withLock { $0 = "IP: 192.0.2.12" }
        _ = try await f.updater().runOnce()
        #expect(f.updates.count == 1)
        // A changed config (new password) is tried.
        f.answer.withLock { $0 = "good" }
        let fixed = try await f.updater(password: "new").runOnce()
        #expect(f.updates.count == 2)
        #expect(fixed.records.values.first?.result == .updated)
    }

    @Test func a911BacksOffExponentiallyWithACap() async throws {
        let f = try await Fixture()
        defer { Task { await f.server.stop() } }
        f.answer.withLock { $0 = "911" }
        let start = f.clock.withLock { $0 }
        var state = try await f.updater().runOnce()
        var entry = try #require(state.records.values.first)
        #expect(entry.result == .temporaryError)
        #expect(entry.failures == 1)
        #expect(entry.nextAttempt == start.addingTimeInterval(60))
        // Before the back-off runs out: nothing sent.
        f.advance(30)
        _ = try await f.updater().runOnce()
        #expect(f.updates.count == 1)
        // After: sent again, and the wait doubles, up to the cap of 300 s.
        var expectedWaits: [TimeInterval] = []
        var waits: [TimeInterval] = []
        for (i, wait) in [120.0, 240, 300, 300].enumerated() {
            f.advance(entry.nextAttempt!.timeIntervalSince(f.clock.withLock { $0 }) + 1)
            state = try await f.updater().runOnce()
            entry = try #require(state.records.values.first)
            #expect(f.updates.count == i + 2)
            waits.append(entry.nextAttempt!.timeIntervalSince(f.clock.withLock { $0 }))
            expectedWaits.append(wait)
        }
        #expect(waits == expectedWaits)
        // Recovery: success clears the back-off.
        f.answer.withLock { $0 = "good 192.0.2.10" }
        f.advance(301)
        state = try await f.updater().runOnce()
        entry = try #require(state.records.values.first)
        #expect(entry.result == .updated)
        #expect(entry.failures == 0)
        #expect(entry.nextAttempt == nil)
    }

    @Test func aDetectionFailureSendsNothingAndIsRecorded() async throws {
        let f = try await Fixture()
        defer { Task { await f.server.stop() } }
        f.page.withLock { $0 = "no address today" }
        let state = try await f.updater().runOnce()
        #expect(f.updates.isEmpty)
        #expect(state.detected["ipv4"]?.address == nil)
        #expect(state.detected["ipv4"]?.error?.contains("IP:") == true)
        let text = DDNSStatusText.render(state, path: f.stateFile, now: Date())
        #expect(text.contains("ipv4: none from web"))
    }

    @Test func aCorruptStateFileIsReplaced() async throws {
        let f = try await Fixture()
        defer { Task { await f.server.stop() } }
        try "{not json".write(toFile: f.stateFile, atomically: true, encoding: .utf8)
        #expect(throws: DDNSError.self) { try DDNSState.load(from: f.stateFile) }
        _ = try await f.updater().runOnce()
        #expect(f.updates.count == 1)
        #expect(try DDNSState.load(from: f.stateFile).records.count == 1)
    }

    @Test func statusShowsTheLastUpdateTheNextAttemptAndTheLastError() async throws {
        let f = try await Fixture()
        defer { Task { await f.server.stop() } }
        f.answer.withLock { $0 = "911" }
        let state = try await f.updater().runOnce()
        let text = DDNSStatusText.render(state, path: f.stateFile, now: f.clock.withLock { $0 })
        #expect(text.contains("ipv4: 192.0.2.10 from web"))
        #expect(text.contains("home.example.org at dyndns2 https://localhost:\(f.server.port)/:"))
        #expect(text.contains("next attempt: 2027-01-15T08:01:00Z"))
        #expect(text.contains("last error: 911"))
    }

    static func waitUntil(_ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("timed out")
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
