// SPDX-License-Identifier: Apache-2.0

import DNSCore
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing

@testable import DNSTransport

#if canImport(Glibc)
    import Glibc
#endif

/// The two UDP engines (`recvmmsg` loop and NIO channel) behave alike: same
/// requests and context for the handler, same datagrams dropped; the
/// `recvmmsg` loop also batches and stops promptly.
@Suite struct ServerUDPEngineTests {
    static let engines: [DNSServerConfiguration.UDPEngine] = [.recvmmsg, .nio]

    static var enginesAndLoopbacks: [(DNSServerConfiguration.UDPEngine, SocketAddress)] {
        let loopbacks =
            ServerFixture.hasIPv6Loopback
            ? [ServerFixture.loopbackV4, ServerFixture.loopbackV6] : [ServerFixture.loopbackV4]
        return engines.flatMap { engine in loopbacks.map { (engine, $0) } }
    }

    static func start(
        _ engine: DNSServerConfiguration.UDPEngine, _ addresses: [SocketAddress] = [ServerFixture.loopbackV4],
        threads: Int = 1, handler: EchoHandler = EchoHandler(),
        configure: (inout DNSServerConfiguration) -> Void = { _ in }
    ) async throws -> DNSServer {
        let configuration = ServerFixture.configuration(addresses, threads: threads) {
            $0.udpEngine = engine
            configure(&$0)
        }
        return try await DNSServer.start(configuration: configuration, handler: handler)
    }

    @Test(arguments: Self.enginesAndLoopbacks)
    func theHandlerSeesTheClientsAddressAndPortAndTheListener(
        engine: DNSServerConfiguration.UDPEngine, address: SocketAddress
    ) async throws {
        let handler = EchoHandler()
        let server = try await Self.start(engine, [address], handler: handler)
        let udp = try #require(server.address(for: .udp))
        let client = try RawUDPClient(family: address.protocol)
        let replies = try await client.exchange([ServerFixture.query(id: 7)], with: udp)
        let expectedIP = address.protocol == .inet ? "127.0.0.1" : "0:0:0:0:0:0:0:1"
        #expect(replies.map { ServerFixture.answerText($0) } == ["UDP \(expectedIP) \(udp.port ?? 0)"])
        let context = try #require(handler.seen.withLockedValue { $0.first })
        #expect(context.client == client.localAddress)
        #expect(context.clientIP == DNSClientIP(client.localAddress))
        #expect(context.local == udp)
        #expect(context.transport == .udp)
        await server.shutdown()
    }

    @Test(arguments: Self.engines)
    func aBurstFromOneSocketIsAnsweredWhole(engine: DNSServerConfiguration.UDPEngine) async throws {
        let server = try await Self.start(engine) { $0.udpVectorReadCount = 8 }
        let udp = try #require(server.address(for: .udp))
        let client = try RawUDPClient(family: .inet)
        // 100 datagrams sent back to back: the loop takes them 8 at a time
        // and answers each batch with one sendmmsg.
        let queries = (0..<100).map { ServerFixture.query("q\($0).example.", id: UInt16($0)) }
        let replies = try await client.exchange(queries, with: udp)
        let ids = Set(replies.compactMap { try? DNSMessage(wire: $0).header.id })
        #expect(ids == Set(0..<100))
        await server.shutdown()
    }

    /// Datagram sizes that must not reach the handler whole, or at all:
    /// empty, one octet, 11 (a header is 12), and longer than the buffer
    /// slot (cut to it, MSG_TRUNC).
    @Test(arguments: Self.engines)
    func malformedAndOversizedDatagramsNeverStopTheListener(engine: DNSServerConfiguration.UDPEngine) async throws {
        let handler = SizeHandler()
        let configuration = ServerFixture.configuration {
            $0.udpEngine = engine
            $0.maxUDPRequestSize = 512
        }
        let server = try await DNSServer.start(configuration: configuration, handler: handler)
        let udp = try #require(server.address(for: .udp))
        let client = try RawUDPClient(family: .inet)
        let junk: [[UInt8]] = [[], [0], Array(repeating: 0xFF, count: 11)]
        #expect(try await client.exchange(junk, with: udp, expecting: 0).isEmpty)
        #expect(handler.sizes.withLockedValue { $0 } == [])
        // 3000 octets: the handler gets the first 512.
        let long = try await client.exchange([Array(repeating: 0x11, count: 3000)], with: udp)
        #expect(long.map(\.count) == [12])
        #expect(handler.sizes.withLockedValue { $0 } == [512])
        // Still serving, in the same batch as junk.
        let mixed = junk + [Array(repeating: 0x22, count: 12)] + junk
        #expect(try await client.exchange(mixed, with: udp).count == 1)
        #expect(handler.sizes.withLockedValue { $0 } == [512, 12])
        await server.shutdown()
    }

    @Test(arguments: Self.engines)
    func replyLengthsUpToTheUDPLimitAreSentAndBeyondItDropped(
        engine: DNSServerConfiguration.UDPEngine
    ) async throws {
        let server = try await Self.start(engine)
        let udp = try #require(server.address(for: .udp))
        let client = try RawUDPClient(family: .inet)
        // big.: 60000 octets, longer than a reply slot of the batch loop.
        let big = try await client.exchange([ServerFixture.query("big.example.", id: 1)], with: udp)
        #expect(big.map(\.count) == [60000])
        let huge = try await client.exchange([ServerFixture.query("huge.example.", id: 2)], with: udp, expecting: 0)
        #expect(huge.isEmpty)
        let normal = try await client.exchange([ServerFixture.query(id: 3)], with: udp)
        #expect(normal.count == 1)
        await server.shutdown()
    }

    /// The request is a slice of the loop's receive buffer: a handler that
    /// keeps it must still see its own bytes after later batches.
    @Test(arguments: Self.engines)
    func aRequestKeptByTheHandlerIsNotOverwritten(engine: DNSServerConfiguration.UDPEngine) async throws {
        let handler = KeepingHandler()
        let configuration = ServerFixture.configuration {
            $0.udpEngine = engine
            $0.udpVectorReadCount = 4
        }
        let server = try await DNSServer.start(configuration: configuration, handler: handler)
        let udp = try #require(server.address(for: .udp))
        let client = try RawUDPClient(family: .inet)
        let datagrams = (0..<20).map { [UInt8](repeating: UInt8($0), count: 12 + $0) }
        for datagram in datagrams {
            #expect(try await client.exchange([datagram], with: udp).count == 1)
        }
        let kept = handler.kept.withLockedValue { $0 }.map { Array($0.readableBytesView) }
        #expect(kept == datagrams)
        await server.shutdown()
    }

    @Test func shutdownStopsTheLoopThreadsPromptlyAndReleasesThePort() async throws {
        let server = try await Self.start(.recvmmsg, threads: 2) { $0.tcp = false }
        let udp = try #require(server.address(for: .udp))
        let start = ContinuousClock.now
        await server.shutdown()
        // The threads are woken by shutdown(2), not by the 0.5 s receive timeout.
        #expect(ContinuousClock.now - start < .milliseconds(400))
        // The sockets are closed: the exact port can be bound again, without
        // SO_REUSEPORT.
        let again = try await Self.start(.recvmmsg, [udp]) { $0.tcp = false }
        #expect(again.address(for: .udp) == udp)
        await again.shutdown()
    }

    @Test func aBusyLoopStopsToo() async throws {
        let server = try await Self.start(.recvmmsg) { $0.tcp = false }
        let udp = try #require(server.address(for: .udp))
        let flood = Task.detached {
            let client = try RawUDPClient(family: .inet)
            let burst = Array(repeating: ServerFixture.query(id: 1), count: 50)
            while !Task.isCancelled {
                _ = try await client.exchange(burst, with: udp, expecting: 0, quiet: .milliseconds(1))
            }
        }
        try await Task.sleep(for: .milliseconds(100))
        let start = ContinuousClock.now
        await server.shutdown()
        #expect(ContinuousClock.now - start < .seconds(2))
        flood.cancel()
        _ = try? await flood.value
    }

    @Test(arguments: [
        ("192.0.2.1", 53), ("127.0.0.1", 65535), ("2001:db8::1", 5300), ("::ffff:192.0.2.1", 1), ("::", 0),
    ])
    func aPeerAddressFromTheKernelIsTheSameSocketAddress(ip: String, port: Int) throws {
        let address = try SocketAddress(ipAddress: ip, port: port)
        let peer = try #require(address.withSockAddr { pointer, length in DNSPeerAddress(pointer, length: length) })
        #expect(peer.socketAddress == address)
        #expect(peer.ip == DNSClientIP(address))
        #expect(peer.port == UInt16(port))
        let context = DNSRequestContext(peer: peer, local: address, transport: .udp)
        #expect(context.client == address)
        #expect(context.clientIP == DNSClientIP(address))
    }

    @Test func aTruncatedOrForeignSockaddrIsNoPeer() throws {
        let v4 = try SocketAddress(ipAddress: "192.0.2.1", port: 53)
        #expect(v4.withSockAddr { pointer, length in DNSPeerAddress(pointer, length: length - 1) } == nil)
        #expect(v4.withSockAddr { pointer, _ in DNSPeerAddress(pointer, length: 0) } == nil)
        var unix = sockaddr_un()
        unix.sun_family = sa_family_t(AF_UNIX)
        let peer = withUnsafeBytes(of: &unix) { bytes in
            bytes.baseAddress.flatMap { DNSPeerAddress($0, length: bytes.count) }
        }
        #expect(peer == nil)
    }
}

/// Records the size of each request and answers with its first 12 octets.
struct SizeHandler: DNSRequestHandler {
    let sizes = NIOLockedValueBox<[Int]>([])

    func handle(_ request: ByteBuffer, context: DNSRequestContext) -> ByteBuffer? {
        self.sizes.withLockedValue { $0.append(request.readableBytes) }
        return request.getSlice(at: request.readerIndex, length: 12)
    }
}

/// Keeps every request and answers with its first 12 octets.
struct KeepingHandler: DNSRequestHandler {
    let kept = NIOLockedValueBox<[ByteBuffer]>([])

    func handle(_ request: ByteBuffer, context: DNSRequestContext) -> ByteBuffer? {
        self.kept.withLockedValue { $0.append(request) }
        return request.getSlice(at: request.readerIndex, length: 12)
    }
}

/// A blocking UDP socket that sends datagrams and collects replies.
final class RawUDPClient: Sendable {
    let fd: CInt
    let localAddress: SocketAddress

    enum Failure: Error { case socket(CInt) }

    init(family: NIOBSDSocket.ProtocolFamily) throws {
        let fd = socket(family.rawValue, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw Failure.socket(errno) }
        let loopback = try SocketAddress(ipAddress: family == .inet ? "127.0.0.1" : "::1", port: 0)
        let bound = loopback.withSockAddr { pointer, length in bind(fd, pointer, socklen_t(length)) }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let named = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard bound == 0, named == 0 else {
            close(fd)
            throw Failure.socket(errno)
        }
        self.fd = fd
        self.localAddress =
            family == .inet
            ? SocketAddress(withUnsafeBytes(of: storage) { $0.load(as: sockaddr_in.self) })
            : SocketAddress(withUnsafeBytes(of: storage) { $0.load(as: sockaddr_in6.self) })
    }

    deinit { close(self.fd) }

    /// Sends every datagram, then collects replies until `expecting` have
    /// come (default: one per datagram) or nothing comes for `quiet`.
    func exchange(
        _ datagrams: [[UInt8]], with server: SocketAddress, expecting: Int? = nil,
        quiet: Duration = .milliseconds(300)
    ) async throws -> [[UInt8]] {
        let fd = self.fd
        let wanted = expecting ?? datagrams.count
        return try await NIOThreadPool.singleton.runIfActive {
            for datagram in datagrams {
                _ = server.withSockAddr { pointer, length in
                    datagram.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, 0, pointer, socklen_t(length)) }
                }
            }
            var tv = timeval(
                tv_sec: Int(quiet.components.seconds), tv_usec: Int(quiet.components.attoseconds / 1_000_000_000_000))
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
            var replies: [[UInt8]] = []
            var buffer = [UInt8](repeating: 0, count: 65536)
            while replies.count < wanted || expecting == 0 {
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                guard n >= 0 else { break }
                replies.append(Array(buffer[0..<n]))
            }
            return replies
        }
    }
}
