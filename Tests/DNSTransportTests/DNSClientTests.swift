// SPDX-License-Identifier: Apache-2.0

import DNSCore
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing

@testable import DNSTransport

@Suite struct DNSClientTests {
    let query = DNSMessage.query(id: 0, name: "www.example.", type: .a)
    let fast = DNSQueryOptions(timeout: .milliseconds(200), tries: 3)

    @Test func answersOverUDP() async throws {
        let responder = try await TestResponder.start(udp: { q, _ in
            [Replies.answer(q, ["www.example. 300 IN A 192.0.2.1"])]
        })
        defer { Task { await responder.stop() } }
        let response = try await DNSClient().query(self.query, server: responder.address, options: self.fast)
        #expect(response.transport == .udp)
        #expect(!response.retriedAfterTruncation)
        #expect(response.message.answers.map(\.description) == ["www.example. 300 IN A 192.0.2.1"])
        #expect(response.size == response.message.serialize().readableBytes)
        #expect(response.server == responder.address)
        #expect(responder.udpQueries == 1)
        #expect(responder.tcpQueries == 0)
    }

    /// IPv6 loopback, when the host has it (containers may not).
    static let hasIPv6Loopback: Bool = {
        guard
            let channel = try? DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .bind(host: "::1", port: 0).wait()
        else { return false }
        try? channel.close().wait()
        return true
    }()

    @Test(.enabled(if: hasIPv6Loopback))
    func answersOverIPv6BothTransports() async throws {
        let responder = try await TestResponder.start(
            udp: { q, _ in [Replies.answer(q, [], truncated: true)] },
            tcp: { q, _ in [Replies.answer(q, ["www.example. 300 IN AAAA 2001:db8::1"])] }, host: "::1")
        defer { Task { await responder.stop() } }
        let response = try await DNSClient().query(self.query, server: responder.address, options: self.fast)
        #expect(response.server == responder.address)
        #expect(response.transport == .tcp && response.retriedAfterTruncation)
        #expect(response.message.answers.map(\.description) == ["www.example. 300 IN AAAA 2001:db8::1"])
    }

    @Test func largeUDPRepliesArriveWhole() async throws {
        // About 6 KB: over NIO's default 2048-octet datagram buffer.
        let text = String(repeating: "x", count: 250)
        let responder = try await TestResponder.start(udp: { q, _ in
            [Replies.answer(q, (1...24).map { "www.example. 300 IN TXT \"\(text)\" \"\($0)\"" })]
        })
        defer { Task { await responder.stop() } }
        let response = try await DNSClient().query(self.query, server: responder.address, options: self.fast)
        #expect(response.size > 6000)
        #expect(response.message.answers.count == 24)
        #expect(response.transport == .udp)
    }

    @Test func eachQueryGetsAFreshIDAndTheReplyMustCarryIt() async throws {
        let seen = IDs()
        let responder = try await TestResponder.start(udp: { q, _ in
            seen.add(q.header.id)
            return [Replies.answer(q, [])]
        })
        defer { Task { await responder.stop() } }
        var ids: [UInt16] = []
        for next in [UInt16(0x1234), 0xBEEF] {
            let client = DNSClient(makeID: { next })
            let response = try await client.query(self.query, server: responder.address, options: self.fast)
            ids.append(response.message.header.id)
        }
        #expect(ids == [0x1234, 0xBEEF])
        #expect(seen.all == [0x1234, 0xBEEF])
    }

    @Test func retriesAfterEachTimeout() async throws {
        // Drops the first two queries, answers the third.
        let responder = try await TestResponder.start(udp: { q, n in
            n < 3 ? [] : [Replies.answer(q, ["www.example. 300 IN A 192.0.2.3"])]
        })
        defer { Task { await responder.stop() } }
        let response = try await DNSClient().query(self.query, server: responder.address, options: self.fast)
        #expect(response.message.answers.count == 1)
        #expect(responder.udpQueries == 3)
        // The round trip is measured from the last send, not the first.
        #expect(response.roundTripTime < .milliseconds(150))
    }

    @Test func givesUpAfterTheLastTry() async throws {
        let responder = try await TestResponder.start(udp: { _, _ in [] })
        defer { Task { await responder.stop() } }
        let clock = ContinuousClock()
        let start = clock.now
        await #expect(throws: DNSTransportError.timedOut) {
            try await DNSClient().query(
                self.query, server: responder.address, options: DNSQueryOptions(timeout: .milliseconds(150), tries: 2))
        }
        let elapsed = clock.now - start
        #expect(elapsed >= .milliseconds(290))
        // Loose: the number of tries is checked below; this only catches a hang.
        #expect(elapsed < .seconds(10))
        #expect(responder.udpQueries == 2)
    }

    @Test func ignoresDatagramsThatDoNotMatch() async throws {
        let responder = try await TestResponder.start(udp: { q, _ in
            var otherQuestion = q
            otherQuestion.questions = [Question(name: "other.example.", type: .a)]
            var notAResponse = q
            notAResponse.answers = [try! ResourceRecord(text: "www.example. 1 IN A 192.0.2.66")]
            return [
                Replies.answer(q, ["www.example. 300 IN A 192.0.2.66"], id: q.header.id &+ 1),  // wrong ID
                Replies.answer(otherQuestion, ["other.example. 300 IN A 192.0.2.66"]),  // wrong question
                notAResponse.serialize(),  // QR clear
                Replies.undecodable(q),
                Replies.answer(q, ["www.example. 300 IN A 192.0.2.7"]),
            ]
        })
        defer { Task { await responder.stop() } }
        let response = try await DNSClient().query(self.query, server: responder.address, options: self.fast)
        #expect(response.message.answers.map(\.description) == ["www.example. 300 IN A 192.0.2.7"])
        #expect(responder.udpQueries == 1)
    }

    @Test func reportsAnUndecodableReplyWhenNothingElseCame() async throws {
        let responder = try await TestResponder.start(udp: { q, _ in
            [Replies.undecodable(q)]
        })
        defer { Task { await responder.stop() } }
        await #expect(throws: DNSTransportError.badResponse) {
            try await DNSClient().query(
                self.query, server: responder.address, options: DNSQueryOptions(timeout: .milliseconds(100), tries: 1))
        }
    }

    @Test func truncatedReplyIsAskedAgainOverTCP() async throws {
        let responder = try await TestResponder.start(
            udp: { q, _ in [Replies.answer(q, [], truncated: true)] },
            tcp: { q, _ in [Replies.answer(q, (1...40).map { "www.example. 300 IN A 192.0.2.\($0)" })] })
        defer { Task { await responder.stop() } }
        let response = try await DNSClient().query(self.query, server: responder.address, options: self.fast)
        #expect(response.transport == .tcp)
        #expect(response.retriedAfterTruncation)
        #expect(response.message.answers.count == 40)
        #expect(!response.message.header.truncated)
        #expect(responder.udpQueries == 1)
        #expect(responder.tcpQueries == 1)
    }

    @Test func truncatedReplyIsKeptWhenAsked() async throws {
        let responder = try await TestResponder.start(udp: { q, _ in [Replies.answer(q, [], truncated: true)] })
        defer { Task { await responder.stop() } }
        var options = self.fast
        options.retryTruncatedOverTCP = false
        let response = try await DNSClient().query(self.query, server: responder.address, options: options)
        #expect(response.transport == .udp)
        #expect(response.message.header.truncated)
        #expect(responder.tcpQueries == 0)
    }

    @Test func tcpOnlyNeverUsesUDP() async throws {
        let responder = try await TestResponder.start(
            udp: { q, _ in [Replies.answer(q, ["www.example. 300 IN A 192.0.2.1"])] },
            tcp: { q, _ in [Replies.answer(q, ["www.example. 300 IN A 192.0.2.2"])] },
            byteByByte: true)
        defer { Task { await responder.stop() } }
        var options = self.fast
        options.tcpOnly = true
        let response = try await DNSClient().query(self.query, server: responder.address, options: options)
        #expect(response.transport == .tcp)
        #expect(!response.retriedAfterTruncation)
        #expect(response.message.answers.map(\.description) == ["www.example. 300 IN A 192.0.2.2"])
        #expect(responder.udpQueries == 0)
    }

    @Test func tcpTimesOutWhenTheServerIsSilent() async throws {
        let responder = try await TestResponder.start(udp: { _, _ in [] }, tcp: { _, _ in [] })
        defer { Task { await responder.stop() } }
        await #expect(throws: DNSTransportError.timedOut) {
            try await DNSClient().query(
                self.query, server: responder.address,
                options: DNSQueryOptions(timeout: .milliseconds(100), tries: 2, tcpOnly: true))
        }
        #expect(responder.tcpQueries == 2)
    }

    @Test func unreachablePortFailsAtOnce() async throws {
        let refusing = try RefusingPort()
        defer { withExtendedLifetime(refusing) {} }
        let port = refusing.port
        let server = try SocketAddress(ipAddress: "127.0.0.1", port: port)
        let clock = ContinuousClock()
        for tcpOnly in [false, true] {
            let start = clock.now
            await #expect(throws: DNSTransportError.connectionRefused) {
                try await DNSClient().query(
                    self.query, server: server,
                    options: DNSQueryOptions(timeout: .seconds(60), tries: 3, tcpOnly: tcpOnly))
            }
            // Waiting for the timeout would throw .timeout after 3 minutes; the
            // bound is loose because CPU-heavy suites may run alongside.
            #expect(clock.now - start < .seconds(30), "tcpOnly: \(tcpOnly)")
        }
    }

    @Test func matcherNeedsIDResponseBitAndQuestion() throws {
        let matcher = ReplyMatcher(id: 7, question: Question(name: "www.example.", type: .a))
        var reply = DNSMessage.query(id: 7, name: "WWW.Example.", type: .a)
        #expect(!matcher.matches(reply))
        reply.header.isResponse = true
        #expect(matcher.matches(reply))
        reply.questions = [Question(name: "www.example.", type: .aaaa)]
        #expect(!matcher.matches(reply))
        reply.questions = []
        #expect(!matcher.matches(reply))
        reply.rcode = .formErr
        #expect(matcher.matches(reply))
        reply.header.id = 8
        #expect(!matcher.matches(reply))
    }
}

/// Collects IDs seen by a responder.
final class IDs: Sendable {
    private let box = NIOLockedValueBox<[UInt16]>([])
    func add(_ id: UInt16) { self.box.withLockedValue { $0.append(id) } }
    var all: [UInt16] { self.box.withLockedValue { $0 } }
}
