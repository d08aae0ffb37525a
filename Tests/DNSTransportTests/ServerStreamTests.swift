// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSTransport
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing

/// A handler that streams: `stream-N.example.` gets N messages (each with a
/// TXT of `padding` octets saying its index), `deferred.example.` one answer
/// made 200 ms later on another thread; everything else one answer at once.
struct StreamingHandler: DNSRequestHandler {
    let produced = NIOLockedValueBox(0)
    var padding = 1000

    static func answer(to request: DNSMessage, text: String) -> ByteBuffer {
        var message = request
        message.header.isResponse = true
        let name = request.questions.first?.name.description ?? "."
        message.answers = (try? ResourceRecord(text: "\(name) 0 IN TXT \"\(text)\"")).map { [$0] } ?? []
        return message.serialize()
    }

    func handle(_ request: ByteBuffer, context: DNSRequestContext) -> ByteBuffer? {
        guard let message = try? DNSMessage(wire: request) else { return nil }
        return Self.answer(to: message, text: "single")
    }

    func stream(_ request: ByteBuffer, context: DNSRequestContext) -> (any DNSResponseStream)? {
        guard let message = try? DNSMessage(wire: request), let name = message.questions.first?.name.description
        else { return nil }
        if name == "deferred.example." || name == "slow.example." {
            let deferred = DNSDeferredResponse()
            let delay = name == "slow.example." ? 1500 : 200
            Task.detached {
                try? await Task.sleep(for: .milliseconds(delay))
                deferred.complete(Self.answer(to: message, text: "deferred"))
            }
            return deferred
        }
        guard name.hasPrefix("stream-"), let count = Int(name.dropFirst(7).prefix { $0 != "." }) else { return nil }
        var index = 0
        let produced = self.produced
        let pad = String(repeating: "x", count: min(self.padding, 200))
        let chunks = max(1, self.padding / 200)
        return DNSLazyResponseStream {
            guard index < count else { return nil }
            index += 1
            produced.withLockedValue { $0 += 1 }
            var reply = message
            reply.header.isResponse = true
            let texts = (0..<chunks).map { _ in "\"\(pad)\"" }.joined(separator: " ")
            reply.answers = [
                (try? ResourceRecord(text: "\(name) 0 IN TXT \"\(index)\" \(texts)"))
            ].compactMap { $0 }
            return reply.serialize()
        }
    }
}

@Suite struct ServerStreamTests {
    func start(_ handler: StreamingHandler, idleTimeout: Duration = .seconds(30)) async throws -> (
        DNSServer, SocketAddress
    ) {
        let server = try await DNSServer.start(
            configuration: ServerFixture.configuration { $0.tcpIdleTimeout = idleTimeout }, handler: handler)
        return (server, try #require(server.address(for: .tcp)))
    }

    static func firstText(_ wire: [UInt8]) -> String? {
        guard let message = try? DNSMessage(wire: wire), let first = message.answers.first else { return nil }
        return first.description.split(separator: "\"").dropFirst().first.map(String.init)
    }

    @Test func aStreamIsSentInOrderAndAPipelinedQueryWaitsBehindIt() async throws {
        let (server, tcp) = try await self.start(StreamingHandler())
        let client = try await RawTCPClient.connect(to: tcp)
        try await client.send(
            ServerFixture.framed(ServerFixture.query("stream-300.example.", id: 1))
                + ServerFixture.framed(ServerFixture.query("after.example.", id: 2)))
        for k in 1...300 {
            let frame = try #require(try await client.receiveFrame())
            #expect(DNSMessage.header(of: frame)?.id == 1)
            #expect(Self.firstText(frame) == "\(k)")
        }
        let last = try #require(try await client.receiveFrame())
        #expect(DNSMessage.header(of: last)?.id == 2)
        #expect(Self.firstText(last) == "single")
        await server.shutdown()
    }

    @Test func aStreamIsProducedOnlyAsFastAsTheClientReads() async throws {
        let handler = StreamingHandler(padding: 8000)
        let (server, tcp) = try await self.start(handler)
        let client = try await RawTCPClient.connect(to: tcp)
        try await client.send(ServerFixture.framed(ServerFixture.query("stream-20000.example.", id: 3)))
        try await Task.sleep(for: .milliseconds(500))
        // 20000 messages of 8 KB are 160 MB; the socket buffers hold a few MB.
        let early = handler.produced.withLockedValue { $0 }
        #expect(early > 0)
        #expect(early < 2000)
        for _ in 0..<50 { _ = try #require(try await client.receiveFrame()) }
        await server.shutdown()
    }

    @Test func aDeferredAnswerIsSentWhenReadyAndTheNextQueryAfterIt() async throws {
        let (server, tcp) = try await self.start(StreamingHandler())
        let client = try await RawTCPClient.connect(to: tcp)
        try await client.send(
            ServerFixture.framed(ServerFixture.query("deferred.example.", id: 10))
                + ServerFixture.framed(ServerFixture.query("next.example.", id: 11)))
        let first = try #require(try await client.receiveFrame())
        #expect(DNSMessage.header(of: first)?.id == 10)
        #expect(Self.firstText(first) == "deferred")
        let second = try #require(try await client.receiveFrame())
        #expect(DNSMessage.header(of: second)?.id == 11)
        await server.shutdown()
    }

    @Test func aDeferredAnswerSlowerThanTheIdleTimeoutStillGoesOut() async throws {
        let (server, tcp) = try await self.start(StreamingHandler(), idleTimeout: .milliseconds(500))
        let client = try await RawTCPClient.connect(to: tcp)
        try await client.send(ServerFixture.framed(ServerFixture.query("slow.example.", id: 12)))
        let reply = try #require(try await client.receiveFrame())
        #expect(Self.firstText(reply) == "deferred")
        await server.shutdown()
    }

    @Test func aHalfCloseDuringAStreamLetsItFinishThenCloses() async throws {
        let (server, tcp) = try await self.start(StreamingHandler())
        let client = try await RawTCPClient.connect(to: tcp)
        try await client.send(ServerFixture.framed(ServerFixture.query("stream-100.example.", id: 5)))
        client.shutdownWrite()
        for k in 1...100 {
            let frame = try #require(try await client.receiveFrame())
            #expect(Self.firstText(frame) == "\(k)")
        }
        #expect(try await client.waitForClose())
        await server.shutdown()
    }

    @Test func aDeferredResponseHandsOutItsMessagesOnceThenFinishes() {
        let deferred = DNSDeferredResponse()
        let woken = NIOLockedValueBox(0)
        let wakeUp = DNSStreamWakeUp { woken.withLockedValue { $0 += 1 } }
        guard case .pending = deferred.next(wakeUp: wakeUp) else {
            Issue.record("expected pending")
            return
        }
        deferred.complete([ByteBuffer(bytes: [1]), ByteBuffer(bytes: [2])])
        deferred.complete(ByteBuffer(bytes: [3]))  // ignored: only the first call counts
        #expect(woken.withLockedValue { $0 } == 1)
        var got: [UInt8] = []
        while case .message(let buffer) = deferred.next(wakeUp: wakeUp) { got += buffer.readableBytesView }
        #expect(got == [1, 2])
        guard case .finished = deferred.next(wakeUp: wakeUp) else {
            Issue.record("expected finished")
            return
        }
    }
}
