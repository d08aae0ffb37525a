// SPDX-License-Identifier: Apache-2.0

import Logging
import NIOCore
import Testing

@testable import HanonDDNS

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The endpoint on a real socket (plain HTTP on loopback): good requests,
/// malformed ones (400, never a crash), and the limits.
@Suite(.serialized) struct ServerMalformedTests {
    static func withServer(
        limits: DynDNS2Limits = DynDNS2Limits(), writer: RecordingWriter = RecordingWriter(),
        _ body: (Int) async throws -> Void
    ) async throws {
        let handler = DynDNS2Handler(users: testUsers(), writer: writer, ttl: 60, logger: Logger(label: "test"))
        let server = try await DynDNS2Server.start(
            https: [], http: [try SocketAddress(ipAddress: "127.0.0.1", port: 0)], tls: nil, handler: handler,
            limits: limits, logger: Logger(label: "test"))
        let port = try #require(server.listeners.first?.address.port)
        do {
            try await body(port)
        } catch {
            await server.shutdown()
            throw error
        }
        await server.shutdown()
    }

    @Test func goodRequestOverHTTP() async throws {
        let writer = RecordingWriter()
        try await Self.withServer(writer: writer) { port in
            let reply = try exchange(
                port,
                "GET /nic/update?hostname=home.example.org&myip=192.0.2.1 HTTP/1.1\r\nHost: x\r\nAuthorization: \(basic("router", "s3cret"))\r\n\r\n"
            )
            #expect(reply.hasPrefix("HTTP/1.1 200 OK\r\n"), "\(reply)")
            #expect(reply.hasSuffix("\r\n\r\ngood 192.0.2.1\n"), "\(reply)")
            #expect(reply.lowercased().contains("content-type: text/plain"))
            // No myip: the connection's address.
            let own = try exchange(
                port,
                "GET /nic/update?hostname=x.dyn.example.org HTTP/1.0\r\nAuthorization: \(basic("router", "s3cret"))\r\n\r\n"
            )
            #expect(own.hasPrefix("HTTP/1.0 200"), "\(own)")
            #expect(own.hasSuffix("good 127.0.0.1\n"), "\(own)")
        }
        #expect(writer.calls.count == 2)
    }

    /// `(request, status line prefix)`: each is answered, none is written.
    @Test(arguments: [
        ("GET /nic/update?hostname=home.example.org HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 401"),
        (
            "GET /nic/update?hostname=home.example.org HTTP/1.1\r\nAuthorization: \(basic("router", "nope"))\r\n\r\n",
            "HTTP/1.1 401"
        ),
        ("GET /nic/update?hostname=home.example.org HTTP/1.1\r\nAuthorization: Basic %%%%\r\n\r\n", "HTTP/1.1 401"),
        (
            "POST /nic/update?hostname=home.example.org HTTP/1.1\r\nAuthorization: \(basic("router", "s3cret"))\r\nContent-Length: 3\r\n\r\nabc",
            "HTTP/1.1 405"
        ),
        (
            "GET /nic/update?hostname=home.example.org&myip=%zz HTTP/1.1\r\nAuthorization: \(basic("router", "s3cret"))\r\n\r\n",
            "HTTP/1.1 400"
        ),
        (
            "GET /nic/update?hostname=h\u{e4}.example.org HTTP/1.1\r\nAuthorization: \(basic("router", "s3cret"))\r\n\r\n",
            "HTTP/1.1 400"
        ),
        (
            "GET /nic/update?hostname=a.example.org HTTP/1.1\r\nAuthorization: a\r\nAuthorization: b\r\n\r\n",
            "HTTP/1.1 400"
        ),
        ("GARBAGE\r\n\r\n", "HTTP/1.1 400"),
        ("GET / HTTP/9.9\r\n\r\n", "HTTP/1.1 400"),
        ("GET /nic/update HTTP/1.1\r\nNo colon here\r\n\r\n", "HTTP/1.1 400"),
        ("GET /nic/update?hostname=a.example.org HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "HTTP/1.1 400"),
        ("GET /nic/update?hostname=a.example.org HTTP/1.1\r\nContent-Length: x\r\n\r\n", "HTTP/1.1 400"),
        ("GET /nic/update?hostname=a.example.org HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "HTTP/1.1 400"),
    ])
    func malformed(request: String, status: String) async throws {
        let writer = RecordingWriter()
        try await Self.withServer(writer: writer) { port in
            let reply = try exchange(port, request)
            #expect(reply.hasPrefix(status), "\(reply)")
        }
        #expect(writer.calls.isEmpty)
    }

    @Test func nonUTF8BytesInTheTarget() async throws {
        try await Self.withServer { port in
            var bytes = Array("GET /nic/update?hostname=".utf8) + [0xFF, 0xFE, 0x80]
            bytes += Array(".example.org HTTP/1.1\r\nAuthorization: \(basic("router", "s3cret"))\r\n\r\n".utf8)
            let reply = try exchange(port, bytes)
            #expect(reply.hasPrefix("HTTP/1.1 400"), "\(reply)")
        }
    }

    @Test func hugeHeadersAreRefused() async throws {
        try await Self.withServer { port in
            let big =
                "GET /nic/update?hostname=a.example.org HTTP/1.1\r\nX-Big: \(String(repeating: "x", count: 40_000))\r\n\r\n"
            let reply = try exchange(port, big)
            #expect(reply.hasPrefix("HTTP/1.1 431"), "\(reply.prefix(80))")
            var many = "GET /nic/update?hostname=a.example.org HTTP/1.1\r\n"
            for i in 0..<100 { many += "X-\(i): 1\r\n" }
            let reply2 = try exchange(port, many + "\r\n")
            #expect(reply2.hasPrefix("HTTP/1.1 431"), "\(reply2.prefix(80))")
        }
    }

    @Test func idleConnectionIsClosed() async throws {
        var limits = DynDNS2Limits()
        limits.idleTimeout = .milliseconds(300)
        try await Self.withServer(limits: limits) { port in
            let start = ContinuousClock.now
            let reply = try exchange(port, "GET /nic/update?hostname=a.exa", readTimeout: 5)
            #expect(reply.isEmpty)
            #expect(ContinuousClock.now - start < .seconds(4))
        }
    }

    @Test func connectionLimit() async throws {
        var limits = DynDNS2Limits()
        limits.maxConnections = 2
        try await Self.withServer(limits: limits) { port in
            let a = try connectTo(port)
            let b = try connectTo(port)
            defer {
                close(a)
                close(b)
            }
            try await Task.sleep(for: .milliseconds(200))
            // The third is closed at once: EOF without an answer.
            let reply = try exchange(port, "GET /nic/update?hostname=a.example.org HTTP/1.1\r\n\r\n", readTimeout: 3)
            #expect(reply.isEmpty)
            close(a)
            close(b)
            try await Task.sleep(for: .milliseconds(200))
            let after = try exchange(port, "GET /nic/update?hostname=a.example.org HTTP/1.1\r\n\r\n")
            #expect(after.hasPrefix("HTTP/1.1 401"), "\(after)")
        }
    }
}

struct SocketError: Error, CustomStringConvertible {
    var description: String
}

/// A TCP connection to 127.0.0.1:`port`.
func connectTo(_ port: Int) throws -> Int32 {
    #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
    #endif
    guard fd >= 0 else { throw SocketError(description: "socket") }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
    let result = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    }
    guard result == 0 else {
        close(fd)
        throw SocketError(description: "connect: \(String(cString: strerror(errno)))")
    }
    return fd
}

/// Sends `request`, reads until the server closes (or `readTimeout` seconds pass).
func exchange(_ port: Int, _ request: String, readTimeout: Int = 5) throws -> String {
    try exchange(port, Array(request.utf8), readTimeout: readTimeout)
}

func exchange(_ port: Int, _ request: [UInt8], readTimeout: Int = 5) throws -> String {
    let fd = try connectTo(port)
    defer { close(fd) }
    var timeout = timeval(tv_sec: readTimeout, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var sent = 0
    while sent < request.count {
        let n = request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        if n <= 0 { break }  // the server may close early (limits)
        sent += n
    }
    var reply: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n <= 0 { break }
        reply += buffer[0..<n]
    }
    return String(decoding: reply, as: UTF8.self)
}
