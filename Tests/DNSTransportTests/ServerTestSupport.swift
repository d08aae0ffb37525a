// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSTransport
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A request handler for listener tests. It answers every query with one TXT
/// record saying what the listener told it: `"<transport> <client IP> <local port>"`.
/// Names starting with `drop.` get no answer, `huge.` get a 70000-octet
/// reply (which no transport can carry), `big.` a 60000-octet one (not DNS).
struct EchoHandler: DNSRequestHandler {
    let seen = NIOLockedValueBox<[DNSRequestContext]>([])
    /// The threads that called `handle`.
    let threads = NIOLockedValueBox<Set<UInt>>([])

    var requests: Int { self.seen.withLockedValue { $0.count } }

    func handle(_ request: ByteBuffer, context: DNSRequestContext) -> ByteBuffer? {
        self.seen.withLockedValue { $0.append(context) }
        let thread = UInt(pthread_self())  // pthread_t is an integer on Linux
        self.threads.withLockedValue { _ = $0.insert(thread) }
        guard var message = try? DNSMessage(wire: request), let question = message.questions.first else { return nil }
        let name = question.name.description
        if name.hasPrefix("drop.") { return nil }
        if name.hasPrefix("huge.") { return ByteBuffer(repeating: 0, count: 70000) }
        if name.hasPrefix("big.") { return ByteBuffer(repeating: 0, count: 60000) }
        message.header.isResponse = true
        let text = "\(context.transport) \(context.clientIP) \(context.local.port ?? -1)"
        message.answers = (try? ResourceRecord(text: "\(name) 0 IN TXT \"\(text)\"")).map { [$0] } ?? []
        return message.serialize()
    }
}

enum ServerFixture {
    static let loopbackV4 = try! SocketAddress(ipAddress: "127.0.0.1", port: 0)
    static let loopbackV6 = try! SocketAddress(ipAddress: "::1", port: 0)

    /// True when this host can bind `::1` (some containers have no IPv6).
    static let hasIPv6Loopback: Bool = {
        let fd = socket(AF_INET6, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let result = loopbackV6.withSockAddr { pointer, length in bind(fd, pointer, socklen_t(length)) }
        return result == 0
    }()

    static func configuration(
        _ addresses: [SocketAddress] = [loopbackV4], threads: Int = 1,
        configure: (inout DNSServerConfiguration) -> Void = { _ in }
    ) -> DNSServerConfiguration {
        var configuration = DNSServerConfiguration(listenAddresses: addresses, threads: threads)
        configure(&configuration)
        return configuration
    }

    /// A query in wire form with the given ID.
    static func query(_ name: String = "www.example.", id: UInt16) -> [UInt8] {
        DNSMessage.query(id: id, name: (try? DomainName(name)) ?? .root, type: .txt).wireBytes
    }

    /// `message` with its two-octet length in front (RFC 7766 §8).
    static func framed(_ message: [UInt8]) -> [UInt8] {
        [UInt8(message.count >> 8), UInt8(message.count & 0xFF)] + message
    }

    /// The TXT string of the first answer.
    static func answerText(_ wire: [UInt8]) -> String? {
        guard let message = try? DNSMessage(wire: wire), let first = message.answers.first else { return nil }
        return first.description.split(separator: "\"").dropFirst().first.map(String.init)
    }
}

/// A blocking TCP socket for tests that need to control every byte (split
/// writes, half-close, waiting for the server's FIN). Its blocking calls run
/// on NIO's thread pool so they do not hold up Swift's cooperative threads.
final class RawTCPClient: Sendable {
    let fd: CInt

    enum Failure: Error { case socket, connect(CInt), send(CInt) }

    private init(fd: CInt) { self.fd = fd }

    static func connect(to address: SocketAddress) async throws -> RawTCPClient {
        try await NIOThreadPool.singleton.runIfActive {
            let family = address.protocol.rawValue
            let fd = socket(family, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw Failure.socket }
            let result = address.withSockAddr { pointer, length in Glibc.connect(fd, pointer, socklen_t(length)) }
            guard result == 0 else {
                let code = errno
                close(fd)
                throw Failure.connect(code)
            }
            return RawTCPClient(fd: fd)
        }
    }

    deinit { close(self.fd) }

    func send(_ bytes: [UInt8]) async throws {
        let fd = self.fd
        try await NIOThreadPool.singleton.runIfActive {
            var sent = 0
            while sent < bytes.count {
                let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                guard n > 0 else { throw Failure.send(errno) }
                sent += n
            }
        }
    }

    /// Sends FIN: the client will send nothing more (TCP half-close).
    func shutdownWrite() {
        _ = Glibc.shutdown(self.fd, Int32(SHUT_WR))
    }

    /// Reads up to `count` octets; fewer when the server closes or nothing
    /// comes within `timeout`.
    func receive(_ count: Int, timeout: Duration = .seconds(3)) async throws -> (bytes: [UInt8], closed: Bool) {
        let fd = self.fd
        return try await NIOThreadPool.singleton.runIfActive {
            var tv = timeval(
                tv_sec: Int(timeout.components.seconds),
                tv_usec: Int(timeout.components.attoseconds / 1_000_000_000_000))
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
            var out: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            while out.count < count {
                let want = min(chunk.count, count - out.count)
                let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, want, 0) }
                if n > 0 {
                    out += chunk[0..<n]
                } else if n == 0 || errno == ECONNRESET {
                    return (out, true)
                } else {
                    return (out, false)  // timed out
                }
            }
            return (out, false)
        }
    }

    /// Reads one length-prefixed message, or nil if the connection ends or
    /// times out first.
    func receiveFrame(timeout: Duration = .seconds(3)) async throws -> [UInt8]? {
        let prefix = try await self.receive(2, timeout: timeout)
        guard prefix.bytes.count == 2 else { return nil }
        let length = Int(prefix.bytes[0]) << 8 | Int(prefix.bytes[1])
        let body = try await self.receive(length, timeout: timeout)
        return body.bytes.count == length ? body.bytes : nil
    }

    /// True when the server closes the connection within `timeout` (any data
    /// still arriving is read and discarded).
    func waitForClose(timeout: Duration = .seconds(3)) async throws -> Bool {
        while true {
            let chunk = try await self.receive(1 << 20, timeout: timeout)
            if chunk.closed { return true }
            if chunk.bytes.count < 1 << 20 { return false }  // timed out
        }
    }
}

enum RawUDPSocket {
    /// Sends one datagram from a fresh socket; true if it was sent.
    static func send(_ bytes: [UInt8], to address: SocketAddress) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive {
            let fd = socket(address.protocol.rawValue, Int32(SOCK_DGRAM.rawValue), 0)
            guard fd >= 0 else { return false }
            defer { close(fd) }
            let n = address.withSockAddr { pointer, length in
                bytes.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, 0, pointer, socklen_t(length)) }
            }
            return n == bytes.count
        }
    }
}
