// SPDX-License-Identifier: Apache-2.0

import DNSCore
import NIOConcurrencyHelpers
import NIOCore
import Testing

@testable import DNSTransport

/// A handler that answers nothing at once: it keeps each request's
/// ``DNSUDPResponder`` and replies from another task (a resolver missing its
/// cache), with the request's ID and a TXT naming the order it answered in.
struct LaterHandler: DNSRequestHandler {
    var answersLater: Bool { true }
    let missingResponder = NIOLockedValueBox(0)

    func handle(_ request: ByteBuffer, context: DNSRequestContext) -> ByteBuffer? {
        guard let responder = context.udpResponder, var message = try? DNSMessage(wire: request),
            let question = message.questions.first
        else {
            self.missingResponder.withLockedValue { $0 += 1 }
            return nil
        }
        message.header.isResponse = true
        message.answers = (try? ResourceRecord(text: "\(question.name) 0 IN TXT \"later\"")).map { [$0] } ?? []
        let reply = message.serialize()
        Task {
            try? await Task.sleep(for: .milliseconds(Int.random(in: 1...30)))
            responder.send(reply)
        }
        return nil
    }
}

@Suite struct ServerDeferredUDPTests {
    /// Both engines, both families: each of 40 queries gets its one answer,
    /// sent later from a task, to the address and port it came from.
    @Test(arguments: ServerUDPEngineTests.enginesAndLoopbacks)
    func answersSentLaterReachTheirClients(
        engine: DNSServerConfiguration.UDPEngine, address: SocketAddress
    ) async throws {
        let handler = LaterHandler()
        let configuration = ServerFixture.configuration([address], threads: 2) { $0.udpEngine = engine }
        let server = try await DNSServer.start(configuration: configuration, handler: handler)
        let udp = try #require(server.address(for: .udp))
        let client = try RawUDPClient(family: address.protocol)
        let queries = (0..<40).map { ServerFixture.query("q\($0).example.", id: UInt16($0)) }
        let replies = try await client.exchange(queries, with: udp)
        let answered = replies.compactMap { try? DNSMessage(wire: $0) }
        #expect(Set(answered.map(\.header.id)) == Set(0..<40))
        #expect(answered.allSatisfy { $0.header.isResponse && $0.answers.count == 1 })
        #expect(handler.missingResponder.withLockedValue { $0 } == 0)
        await server.shutdown()
    }

    /// A handler that does not answer later gets no responder (the
    /// listener makes none per datagram).
    @Test(arguments: ServerUDPEngineTests.engines)
    func handlersThatAnswerAtOnceGetNoResponder(engine: DNSServerConfiguration.UDPEngine) async throws {
        let handler = EchoHandler()
        let server = try await ServerUDPEngineTests.start(engine, handler: handler)
        let udp = try #require(server.address(for: .udp))
        let client = try RawUDPClient(family: .inet)
        _ = try await client.exchange([ServerFixture.query(id: 1)], with: udp)
        let context = try #require(handler.seen.withLockedValue { $0.first })
        #expect(context.udpResponder == nil)
        await server.shutdown()
    }

    /// An answer produced after the server stopped is dropped, not sent
    /// through a closed (or reused) descriptor.
    @Test(arguments: ServerUDPEngineTests.engines)
    func anAnswerAfterShutdownIsDropped(engine: DNSServerConfiguration.UDPEngine) async throws {
        let keeper = ResponderKeeper()
        let configuration = ServerFixture.configuration { $0.udpEngine = engine }
        let server = try await DNSServer.start(configuration: configuration, handler: keeper)
        let udp = try #require(server.address(for: .udp))
        let client = try RawUDPClient(family: .inet)
        _ = try await client.exchange([ServerFixture.query(id: 9)], with: udp, expecting: 0)
        let responder = try #require(keeper.kept.withLockedValue { $0 })
        await server.shutdown()
        responder.send(ByteBuffer(bytes: ServerFixture.query(id: 9)))  // must neither crash nor write elsewhere
    }
}

/// Keeps the first responder it is given and answers nothing.
struct ResponderKeeper: DNSRequestHandler {
    var answersLater: Bool { true }
    let kept = NIOLockedValueBox<DNSUDPResponder?>(nil)

    func handle(_ request: ByteBuffer, context: DNSRequestContext) -> ByteBuffer? {
        self.kept.withLockedValue { if $0 == nil { $0 = context.udpResponder } }
        return nil
    }
}
