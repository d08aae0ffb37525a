// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSTransport
import NIOCore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct ServerLifecycleTests {
    @Test(.enabled(if: ServerFixture.hasIPv6Loopback))
    func ipv4AndIPv6WildcardsShareOnePort() async throws {
        let configuration = ServerFixture.configuration([
            try SocketAddress(ipAddress: "0.0.0.0", port: 0), try SocketAddress(ipAddress: "::", port: 0),
        ])
        let server = try await DNSServer.start(configuration: configuration, handler: EchoHandler())
        #expect(server.listeners.count == 4)
        let port = try #require(server.listeners.first?.address.port)
        #expect(server.listeners.allSatisfy { $0.address.port == port })
        #expect(
            server.listeners.map(\.description) == [
                "UDP 0.0.0.0:\(port)", "TCP 0.0.0.0:\(port)", "UDP [::]:\(port)", "TCP [::]:\(port)",
            ])
        let options = DNSQueryOptions(timeout: .seconds(1), tries: 2)
        for (target, expected) in [("127.0.0.1", "127.0.0.1"), ("::1", "0:0:0:0:0:0:0:1")] {
            let address = try SocketAddress(ipAddress: target, port: port)
            for tcpOnly in [false, true] {
                var o = options
                o.tcpOnly = tcpOnly
                let response = try await DNSClient().query(
                    DNSMessage.query(id: 0, name: "www.example.", type: .txt), server: address, options: o)
                #expect(
                    ServerFixture.answerText(response.message.wireBytes)
                        == "\(tcpOnly ? "TCP" : "UDP") \(expected) \(port)")
            }
        }
        await server.shutdown()
    }

    @Test func bindingATakenAddressFailsNamingIt() async throws {
        let first = try await DNSServer.start(configuration: ServerFixture.configuration(), handler: EchoHandler())
        let taken = try #require(first.address(for: .udp))
        let error = await #expect(throws: DNSServerError.addressInUse) {
            _ = try await DNSServer.start(configuration: ServerFixture.configuration([taken]), handler: EchoHandler())
        }
        #expect(error?.description.contains("UDP 127.0.0.1:\(taken.port ?? 0)") == true)
        await first.shutdown()
        // Everything was released: the address can be bound now. (Another test's
        // client socket may take the freed ephemeral port for a moment: retry.)
        var again: DNSServer? = nil
        for _ in 0..<10 where again == nil {
            again = try? await DNSServer.start(
                configuration: ServerFixture.configuration([taken]), handler: EchoHandler())
            if again == nil { try await Task.sleep(for: .milliseconds(200)) }
        }
        #expect(again != nil)
        await again?.shutdown()
    }

    @Test(.enabled(if: getuid() != 0)) func bindingAPrivilegedPortWithoutRootIsPermissionDenied() async throws {
        await #expect(throws: DNSServerError.permissionDenied) {
            _ = try await DNSServer.start(
                configuration: ServerFixture.configuration([try SocketAddress(ipAddress: "127.0.0.1", port: 53)]),
                handler: EchoHandler())
        }
    }

    @Test func anAddressNotOnThisHostIsReported() async throws {
        await #expect(throws: DNSServerError.addressNotAvailable) {
            _ = try await DNSServer.start(
                configuration: ServerFixture.configuration([try SocketAddress(ipAddress: "192.0.2.1", port: 0)]),
                handler: EchoHandler())
        }
    }

    @Test func invalidConfigurationsAreRefused() async throws {
        await #expect(throws: DNSServerError.invalidConfiguration) {
            _ = try await DNSServer.start(configuration: ServerFixture.configuration([]), handler: EchoHandler())
        }
        await #expect(throws: DNSServerError.invalidConfiguration) {
            _ = try await DNSServer.start(
                configuration: ServerFixture.configuration(threads: 0), handler: EchoHandler())
        }
    }

    @Test func shutdownWithAnOpenConnectionClosesItAndStopsRun() async throws {
        let server = try await DNSServer.start(
            configuration: ServerFixture.configuration(threads: 2), handler: EchoHandler())
        let tcp = try #require(server.address(for: .tcp))
        let udp = try #require(server.address(for: .udp))
        let running = Task { await server.run() }
        let client = try await RawTCPClient.connect(to: tcp)
        try await client.send(ServerFixture.framed(ServerFixture.query(id: 1)))
        #expect(try await client.receiveFrame().flatMap(DNSMessage.header(of:))?.id == 1)
        let clock = ContinuousClock()
        let start = clock.now
        await server.shutdown()
        #expect(clock.now - start < .seconds(3))
        #expect(try await client.waitForClose(timeout: .seconds(1)))
        await running.value
        await server.shutdown()  // a second call returns at once
        await #expect(throws: (any Error).self) { _ = try await RawTCPClient.connect(to: tcp) }
        await #expect(throws: DNSTransportError.self) {
            try await DNSClient().query(
                DNSMessage.query(id: 0, name: "www.example.", type: .txt), server: udp,
                options: DNSQueryOptions(timeout: .milliseconds(200), tries: 1))
        }
    }

    @Test func shutdownWaitsForPendingAnswersOnlyForTheGracePeriod() async throws {
        let configuration = ServerFixture.configuration { $0.shutdownGracePeriod = .milliseconds(400) }
        let server = try await DNSServer.start(configuration: configuration, handler: EchoHandler())
        let tcp = try #require(server.address(for: .tcp))
        let client = try await RawTCPClient.connect(to: tcp)
        // 400 answers of 60000 octets (24 MB) that the client does not read:
        // more than the kernel buffers hold, so writes stay pending.
        let requests = (1...400).flatMap { ServerFixture.framed(ServerFixture.query("big.example.", id: UInt16($0))) }
        try await client.send(requests)
        try await Task.sleep(for: .milliseconds(300))
        let clock = ContinuousClock()
        let start = clock.now
        await server.shutdown()
        let elapsed = clock.now - start
        #expect(elapsed >= .milliseconds(350))
        #expect(elapsed < .seconds(3))
        #expect(try await client.waitForClose(timeout: .seconds(3)))
    }

    @Test func cancellingRunShutsTheServerDown() async throws {
        let server = try await DNSServer.start(configuration: ServerFixture.configuration(), handler: EchoHandler())
        let tcp = try #require(server.address(for: .tcp))
        let running = Task { await server.run() }
        try await Task.sleep(for: .milliseconds(50))
        running.cancel()
        await running.value
        await server.shutdown()
        await #expect(throws: (any Error).self) { _ = try await RawTCPClient.connect(to: tcp) }
    }
}

@Suite struct ServerAddressTests {
    @Test(arguments: [
        ("127.0.0.1:5300", "127.0.0.1:5300"),
        ("0.0.0.0", "0.0.0.0:53"),
        ("[::]:53", "[::]:53"),
        ("[2001:db8::1]:8053", "[2001:db8::1]:8053"),
        ("::", "[::]:53"),
        ("2001:db8::1", "[2001:db8::1]:53"),
        ("[::1]", "[::1]:53"),
    ])
    func listenAddressesParse(text: String, formatted: String) throws {
        let address = try DNSServerConfiguration.parseListenAddress(text)
        #expect(DNSListener.format(address) == formatted)
    }

    @Test(arguments: [
        "", "example.com:53", "127.0.0.1:99999", "127.0.0.1:x", "[::1", "[::1]x", "[::1]:", "1.2.3.4.5:53",
    ])
    func badListenAddressesAreRefused(text: String) {
        #expect(throws: DNSServerError.invalidConfiguration) { try DNSServerConfiguration.parseListenAddress(text) }
    }

    @Test func clientIPsKeyBothFamilies() throws {
        let v4 = DNSClientIP(try SocketAddress(ipAddress: "192.0.2.77", port: 5))
        #expect(v4.isIPv4)
        #expect(v4.ipv4 == 0xC000_024D)
        #expect(v4.description == "192.0.2.77")
        #expect(v4.masked(ipv4PrefixLength: 24, ipv6PrefixLength: 56).description == "192.0.2.0")
        #expect(v4.masked(ipv4PrefixLength: 0, ipv6PrefixLength: 56).description == "0.0.0.0")
        #expect(v4 == DNSClientIP(try SocketAddress(ipAddress: "192.0.2.77", port: 9999)))
        let v6 = DNSClientIP(try SocketAddress(ipAddress: "2001:db8:aaaa:bbbb:cccc::1", port: 5))
        #expect(!v6.isIPv4)
        #expect(v6.high == 0x2001_0DB8_AAAA_BBBB)
        #expect(v6.low == 0xCCCC_0000_0000_0001)
        #expect(v6.masked(ipv4PrefixLength: 24, ipv6PrefixLength: 56).description == "2001:db8:aaaa:bb00:0:0:0:0")
        #expect(v6.masked(ipv4PrefixLength: 24, ipv6PrefixLength: 72).description == "2001:db8:aaaa:bbbb:cc00:0:0:0")
        #expect(v6.masked(ipv4PrefixLength: 24, ipv6PrefixLength: 128) == v6)
        var buffer = ByteBuffer()
        v4.write(to: &buffer)
        #expect(buffer.readableBytesView.elementsEqual([192, 0, 2, 77]))
        buffer.clear()
        v6.write(to: &buffer)
        #expect(buffer.readableBytes == 16)
        #expect(buffer.getInteger(at: 0, as: UInt16.self) == 0x2001)
    }
}
