// SPDX-License-Identifier: Apache-2.0

import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A client's address as the kernel gave it (`sockaddr_in` or
/// `sockaddr_in6`), kept in a few words so the UDP loop builds no
/// `SocketAddress` (a heap box plus the address formatted as text) per
/// datagram; ``socketAddress`` makes one on demand.
struct DNSPeerAddress: Sendable, Hashable {
    /// The address (IPv4 in mapped form, as ``DNSClientIP`` keeps it).
    var ip: DNSClientIP
    /// The port in host order.
    var port: UInt16
    /// True for an `AF_INET6` address (an IPv4-mapped IPv6 address stays IPv6).
    var isIPv6: Bool
    /// `sin6_scope_id` and `sin6_flowinfo` (IPv6 only).
    var scopeID: UInt32 = 0
    var flowInfo: UInt32 = 0

    /// Reads a `sockaddr` of `length` octets; nil unless it is a whole
    /// IPv4 or IPv6 address.
    init?(_ address: UnsafeRawPointer, length: Int) {
        guard length >= MemoryLayout<sockaddr>.size else { return nil }
        let family = CInt(address.load(as: sockaddr.self).sa_family)
        switch family {
        case AF_INET where length >= MemoryLayout<sockaddr_in>.size:
            let v4 = address.loadUnaligned(as: sockaddr_in.self)
            self.ip = DNSClientIP(ipv4: UInt32(bigEndian: v4.sin_addr.s_addr))
            self.port = UInt16(bigEndian: v4.sin_port)
            self.isIPv6 = false
        case AF_INET6 where length >= MemoryLayout<sockaddr_in6>.size:
            let v6 = address.loadUnaligned(as: sockaddr_in6.self)
            var raw = v6.sin6_addr
            let words = withUnsafeBytes(of: &raw) {
                (
                    UInt64(bigEndian: $0.loadUnaligned(as: UInt64.self)),
                    UInt64(bigEndian: $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
                )
            }
            self.ip = DNSClientIP(high: words.0, low: words.1)
            self.port = UInt16(bigEndian: v6.sin6_port)
            self.isIPv6 = true
            self.scopeID = v6.sin6_scope_id
            self.flowInfo = v6.sin6_flowinfo
        default:
            return nil
        }
    }

    /// The same address as NIO's `SocketAddress`.
    var socketAddress: SocketAddress {
        if !self.isIPv6 {
            var v4 = sockaddr_in()
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = self.port.bigEndian
            v4.sin_addr.s_addr = UInt32(truncatingIfNeeded: self.ip.low).bigEndian
            return SocketAddress(v4)
        }
        var v6 = sockaddr_in6()
        v6.sin6_family = sa_family_t(AF_INET6)
        v6.sin6_port = self.port.bigEndian
        v6.sin6_scope_id = self.scopeID
        v6.sin6_flowinfo = self.flowInfo
        withUnsafeMutableBytes(of: &v6.sin6_addr) {
            $0.storeBytes(of: self.ip.high.bigEndian, as: UInt64.self)
            $0.storeBytes(of: self.ip.low.bigEndian, toByteOffset: 8, as: UInt64.self)
        }
        return SocketAddress(v6)
    }
}
