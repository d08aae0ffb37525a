// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSTransport
import NIOCore
import Testing

@Suite struct ServerTCPTests {
    func start(
        _ handler: EchoHandler = EchoHandler(), configure: (inout DNSServerConfiguration) -> Void = { _ in }
    ) async throws -> (DNSServer, SocketAddress) {
        let server = try await DNSServer.start(
            configuration: ServerFixture.configuration(configure: configure), handler: handler)
        let tcp = try #require(server.address(for: .tcp))
        return (server, tcp)
    }

    @Test func answersOverTCPWithDNSClient() async throws {
        let (server, tcp) = try await self.start()
        let response = try await DNSClient().query(
            DNSMessage.query(id: 0, name: "www.example.", type: .txt), server: tcp,
            options: DNSQueryOptions(timeout: .seconds(2), tries: 1, tcpOnly: true))
        #expect(response.transport == .tcp)
        #expect(ServerFixture.answerText(response.message.wireBytes) == "TCP 127.0.0.1 \(tcp.port ?? 0)")
        await server.shutdown()
    }

    @Test func pipelinedQueriesOnOneConnectionAreAnsweredInOrder() async throws {
        let (server, tcp) = try await self.start()
        let client = try await RawTCPClient.connect(to: tcp)
        let ids: [UInt16] = [0x0101, 0x0202, 0x0303, 0x0404, 0x0505]
        try await client.send(ids.flatMap { ServerFixture.framed(ServerFixture.query("p\($0).example.", id: $0)) })
        var answered: [UInt16] = []
        for _ in ids {
            let reply = try #require(try await client.receiveFrame())
            let message = try DNSMessage(wire: reply)
            #expect(message.header.isResponse)
            answered.append(message.header.id)
        }
        #expect(answered == ids)
        // Still open for more.
        try await client.send(ServerFixture.framed(ServerFixture.query(id: 7)))
        #expect(try await client.receiveFrame().flatMap(DNSMessage.header(of:))?.id == 7)
        await server.shutdown()
    }

    @Test func aQueryWrittenOneOctetAtATimeIsAnswered() async throws {
        // A long idle timeout: the trickle must not be cut off on a loaded machine.
        let (server, tcp) = try await self.start { $0.tcpIdleTimeout = .seconds(60) }
        let client = try await RawTCPClient.connect(to: tcp)
        for byte in ServerFixture.framed(ServerFixture.query(id: 0x4242)) {
            try await client.send([byte])
            try await Task.sleep(for: .milliseconds(2))
        }
        let reply = try #require(try await client.receiveFrame())
        #expect(DNSMessage.header(of: reply)?.id == 0x4242)
        await server.shutdown()
    }

    @Test(
        arguments: [
            [0, 0],  // zero length prefix
            [0, 5, 1, 2, 3, 4, 5],  // shorter than a DNS header
        ] as [[UInt8]])
    func aMessageTooShortForAHeaderClosesTheConnection(bytes: [UInt8]) async throws {
        let handler = EchoHandler()
        let (server, tcp) = try await self.start(handler)
        let client = try await RawTCPClient.connect(to: tcp)
        // A valid query first, then the bad frame, then another query that must not be answered.
        try await client.send(
            ServerFixture.framed(ServerFixture.query(id: 1)) + bytes + ServerFixture.framed(ServerFixture.query(id: 2)))
        #expect(try await client.receiveFrame().flatMap(DNSMessage.header(of:))?.id == 1)
        #expect(try await client.waitForClose())
        #expect(handler.requests == 1)
        await server.shutdown()
    }

    @Test func anIdleConnectionIsClosedAfterTheTimeout() async throws {
        // Timings leave room for a loaded CI machine: the busy client's gaps
        // (300 ms) are a fifth of the timeout, its whole run longer than it.
        let (server, tcp) = try await self.start { $0.tcpIdleTimeout = .milliseconds(1500) }
        let idle = try await RawTCPClient.connect(to: tcp)
        let busy = try await RawTCPClient.connect(to: tcp)
        let clock = ContinuousClock()
        let start = clock.now
        // The busy client asks every 300 ms; each request restarts its timer.
        for id in 1...7 as ClosedRange<UInt16> {
            try await busy.send(ServerFixture.framed(ServerFixture.query(id: id)))
            #expect(try await busy.receiveFrame().flatMap(DNSMessage.header(of:))?.id == id)
            try await Task.sleep(for: .milliseconds(300))
        }
        #expect(clock.now - start > .milliseconds(2000))
        #expect(try await idle.waitForClose(timeout: .milliseconds(500)))
        #expect(try await busy.waitForClose(timeout: .seconds(5)))
        #expect(clock.now - start < .seconds(10))
        await server.shutdown()
    }

    @Test func aClientTricklingBytesIsStillClosedAtTheIdleTimeout() async throws {
        let (server, tcp) = try await self.start { $0.tcpIdleTimeout = .milliseconds(300) }
        let client = try await RawTCPClient.connect(to: tcp)
        let query = ServerFixture.framed(ServerFixture.query(id: 9))
        // 100 ms between octets: the request is never complete within the
        // 300 ms timeout, so the server closes; later sends may then fail.
        for byte in query.prefix(6) {
            guard (try? await client.send([byte])) != nil else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(try await client.waitForClose(timeout: .seconds(2)))
        await server.shutdown()
    }

    @Test func connectionsBeyondTheLimitAreClosedAtOnce() async throws {
        let (server, tcp) = try await self.start { $0.maxTCPConnections = 2 }
        let first = try await RawTCPClient.connect(to: tcp)
        let second = try await RawTCPClient.connect(to: tcp)
        for (client, id) in [(first, UInt16(1)), (second, 2)] {
            try await client.send(ServerFixture.framed(ServerFixture.query(id: id)))
            #expect(try await client.receiveFrame().flatMap(DNSMessage.header(of:))?.id == id)
        }
        let third = try await RawTCPClient.connect(to: tcp)
        #expect(try await third.waitForClose(timeout: .seconds(2)))
        // Once one closes, a new connection is served again.
        first.shutdownWrite()
        #expect(try await first.waitForClose())
        var served = false
        for _ in 0..<20 where !served {
            let fourth = try await RawTCPClient.connect(to: tcp)
            try? await fourth.send(ServerFixture.framed(ServerFixture.query(id: 4)))
            served = try await fourth.receiveFrame(timeout: .seconds(1)).flatMap(DNSMessage.header(of:))?.id == 4
            if !served { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(served)
        await server.shutdown()
    }

    @Test func aHalfClosedClientGetsEveryAnswerThenTheConnectionCloses() async throws {
        let (server, tcp) = try await self.start()
        let client = try await RawTCPClient.connect(to: tcp)
        try await client.send(
            ServerFixture.framed(ServerFixture.query(id: 1)) + ServerFixture.framed(ServerFixture.query(id: 2)))
        client.shutdownWrite()
        #expect(try await client.receiveFrame().flatMap(DNSMessage.header(of:))?.id == 1)
        #expect(try await client.receiveFrame().flatMap(DNSMessage.header(of:))?.id == 2)
        #expect(try await client.waitForClose())
        await server.shutdown()
    }

    @Test func aResponseTooLongToFrameClosesTheConnectionAfterEarlierAnswers() async throws {
        let (server, tcp) = try await self.start()
        let client = try await RawTCPClient.connect(to: tcp)
        try await client.send(
            ServerFixture.framed(ServerFixture.query(id: 1))
                + ServerFixture.framed(ServerFixture.query("huge.example.", id: 2)))
        #expect(try await client.receiveFrame().flatMap(DNSMessage.header(of:))?.id == 1)
        let rest = try await client.receive(1 << 20)
        #expect(rest.closed)
        #expect(rest.bytes.isEmpty)
        await server.shutdown()
    }

    @Test func aNilResponseOverTCPSendsNothingButKeepsTheConnection() async throws {
        let (server, tcp) = try await self.start()
        let client = try await RawTCPClient.connect(to: tcp)
        try await client.send(
            ServerFixture.framed(ServerFixture.query("drop.example.", id: 1))
                + ServerFixture.framed(ServerFixture.query(id: 2)))
        #expect(try await client.receiveFrame().flatMap(DNSMessage.header(of:))?.id == 2)
        await server.shutdown()
    }
}
