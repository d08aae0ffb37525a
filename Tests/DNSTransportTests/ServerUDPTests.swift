// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSTransport
import NIOCore
import Testing

@Suite struct ServerUDPTests {
    let fast = DNSQueryOptions(timeout: .milliseconds(500), tries: 2)

    static var loopbacks: [SocketAddress] {
        ServerFixture.hasIPv6Loopback
            ? [ServerFixture.loopbackV4, ServerFixture.loopbackV6] : [ServerFixture.loopbackV4]
    }

    @Test(arguments: Self.loopbacks)
    func answersOverUDPWithTheRequestContext(address: SocketAddress) async throws {
        let handler = EchoHandler()
        let server = try await DNSServer.start(configuration: ServerFixture.configuration([address]), handler: handler)
        let udp = try #require(server.address(for: .udp))
        #expect(udp.port != 0)
        #expect(server.address(for: .tcp)?.port == udp.port)
        let response = try await DNSClient().query(
            DNSMessage.query(id: 0, name: "www.example.", type: .txt), server: udp, options: self.fast)
        #expect(response.transport == .udp)
        let expectedIP = address.protocol == .inet ? "127.0.0.1" : "0:0:0:0:0:0:0:1"
        #expect(
            response.message.answers.map(\.description) == [
                "www.example. 0 IN TXT \"UDP \(expectedIP) \(udp.port ?? 0)\""
            ])
        #expect(handler.seen.withLockedValue { $0.first?.local } == udp)
        await server.shutdown()
    }

    @Test func manyConcurrentQueriesOnSeveralThreadsAreAllAnswered() async throws {
        let handler = EchoHandler()
        let server = try await DNSServer.start(configuration: ServerFixture.configuration(threads: 2), handler: handler)
        let udp = try #require(server.address(for: .udp))
        #expect(server.listeners.filter { $0.transport == .udp }.count == 1)
        let options = DNSQueryOptions(timeout: .seconds(2), tries: 3)
        let answered = await withTaskGroup(of: Bool.self) { group in
            for i in 0..<200 {
                group.addTask {
                    let name = "q\(i).example."
                    guard
                        let response = try? await DNSClient().query(
                            DNSMessage.query(id: 0, name: DomainName(stringLiteral: name), type: .txt), server: udp,
                            options: options)
                    else { return false }
                    return response.message.answers.first?.name.description == name
                }
            }
            var count = 0
            for await ok in group where ok { count += 1 }
            return count
        }
        #expect(answered == 200)
        // One socket per thread (SO_REUSEPORT): the kernel spread the 200
        // clients' datagrams over both.
        #expect(handler.threads.withLockedValue { $0.count } == 2)
        await server.shutdown()
    }

    @Test func aNilResponseSendsNothing() async throws {
        let handler = EchoHandler()
        let server = try await DNSServer.start(configuration: ServerFixture.configuration(), handler: handler)
        let udp = try #require(server.address(for: .udp))
        await #expect(throws: DNSTransportError.timedOut) {
            try await DNSClient().query(
                DNSMessage.query(id: 0, name: "drop.example.", type: .txt), server: udp,
                options: DNSQueryOptions(timeout: .milliseconds(300), tries: 1))
        }
        #expect(handler.requests == 1)
        // The listener still works afterwards.
        let response = try await DNSClient().query(
            DNSMessage.query(id: 0, name: "www.example.", type: .txt), server: udp, options: self.fast)
        #expect(response.message.answers.count == 1)
        await server.shutdown()
    }

    @Test func datagramsShorterThanAHeaderAndOversizedRepliesAreDropped() async throws {
        let handler = EchoHandler()
        let server = try await DNSServer.start(configuration: ServerFixture.configuration(), handler: handler)
        let udp = try #require(server.address(for: .udp))
        await #expect(throws: DNSTransportError.timedOut) {
            try await DNSClient().query(
                DNSMessage.query(id: 0, name: "huge.example.", type: .txt), server: udp,
                options: DNSQueryOptions(timeout: .milliseconds(300), tries: 1, retryTruncatedOverTCP: false))
        }
        #expect(handler.requests == 1)
        let raw = try await RawUDPSocket.send([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], to: udp)
        try await Task.sleep(for: .milliseconds(100))
        #expect(raw)
        #expect(handler.requests == 1)
        await server.shutdown()
    }
}
