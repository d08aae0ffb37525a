// SPDX-License-Identifier: Apache-2.0

import Foundation

/// Sends prepared wire messages and returns the raw replies, so that tests
/// can check octets (TSIG MACs) that decoding and encoding again would lose.
/// Blocking; call through ``offThePool(_:)``.
enum RawDNSExchange {
    /// One UDP datagram to 127.0.0.1:`port`, the first reply (nil on timeout).
    static func udp(_ query: [UInt8], port: Int, timeout: Int = 2) -> [UInt8]? {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var tv = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var address = Self.loopback(port)
        let sent = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(fd, query, query.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard sent == query.count else { return nil }
        var reply = [UInt8](repeating: 0, count: 65535)
        let n = recv(fd, &reply, reply.count, 0)
        return n > 0 ? Array(reply.prefix(n)) : nil
    }

    /// One query over TCP; reads length-prefixed replies until `done` says
    /// the stream is over, the server closes, or `timeout` seconds pass.
    static func tcp(_ query: [UInt8], port: Int, timeout: Int = 5, done: ([UInt8]) -> Bool) -> [[UInt8]] {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        var tv = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var address = Self.loopback(port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { return [] }
        let framed = [UInt8(query.count >> 8), UInt8(query.count & 0xFF)] + query
        guard send(fd, framed, framed.count, 0) == framed.count else { return [] }
        var replies: [[UInt8]] = []
        while let length = Self.read(fd, 2).map({ Int($0[0]) << 8 | Int($0[1]) }), let message = Self.read(fd, length) {
            replies.append(message)
            if done(message) { break }
        }
        return replies
    }

    private static func read(_ fd: Int32, _ count: Int) -> [UInt8]? {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: max(count, 1))
        while out.count < count {
            let n = recv(fd, &chunk, count - out.count, 0)
            guard n > 0 else { return nil }
            out += chunk.prefix(n)
        }
        return out
    }

    private static func loopback(_ port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return address
    }
}
