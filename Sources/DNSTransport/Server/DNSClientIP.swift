// SPDX-License-Identifier: Apache-2.0

import NIOCore

/// A client's IP address as two 64-bit words, cheap to hash and compare.
///
/// IPv4 addresses are stored in IPv4-mapped form `::ffff:a.b.c.d`
/// (RFC 4291 §2.5.5.2), so one type keys both families. Non-IP socket
/// addresses (Unix domain) map to `::`.
public struct DNSClientIP: Hashable, Sendable, CustomStringConvertible {
    /// The first 64 bits of the IPv6 (or mapped IPv4) address, most
    /// significant octet first.
    public var high: UInt64
    /// The last 64 bits.
    public var low: UInt64

    static let mappedPrefix: UInt64 = 0x0000_FFFF_0000_0000

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The IPv4 address `a.b.c.d` given as a 32-bit number in host order.
    public init(ipv4: UInt32) {
        self.high = 0
        self.low = Self.mappedPrefix | UInt64(ipv4)
    }

    /// The address of `socketAddress`, without its port.
    public init(_ socketAddress: SocketAddress) {
        switch socketAddress {
        case .v4(let a):
            self.init(ipv4: UInt32(bigEndian: a.address.sin_addr.s_addr))
        case .v6(let a):
            var raw = a.address.sin6_addr
            let (high, low) = withUnsafeBytes(of: &raw) { bytes -> (UInt64, UInt64) in
                var h: UInt64 = 0
                var l: UInt64 = 0
                for i in 0..<8 { h = h << 8 | UInt64(bytes[i]) }
                for i in 8..<16 { l = l << 8 | UInt64(bytes[i]) }
                return (h, l)
            }
            self.init(high: high, low: low)
        case .unixDomainSocket:
            self.init(high: 0, low: 0)
        }
    }

    /// True for IPv4 (stored as IPv4-mapped).
    public var isIPv4: Bool { self.high == 0 && self.low & 0xFFFF_FFFF_0000_0000 == Self.mappedPrefix }

    /// The IPv4 address in host order, if this is one.
    public var ipv4: UInt32? { self.isIPv4 ? UInt32(truncatingIfNeeded: self.low) : nil }

    /// The address with all bits after the prefix cleared, as response rate
    /// limiting groups clients (BIND `ipv4-prefix-length` 24 and
    /// `ipv6-prefix-length` 56 by default). Prefix lengths count within the
    /// family: 24 for IPv4 keeps `a.b.c`.
    public func masked(ipv4PrefixLength: Int, ipv6PrefixLength: Int) -> DNSClientIP {
        if self.isIPv4 {
            let bits = min(max(ipv4PrefixLength, 0), 32)
            let mask: UInt64 = bits == 0 ? 0 : (UInt64(UInt32.max) << (32 - bits)) & UInt64(UInt32.max)
            return DNSClientIP(high: 0, low: Self.mappedPrefix | (self.low & mask))
        }
        let bits = min(max(ipv6PrefixLength, 0), 128)
        let highMask: UInt64 = bits >= 64 ? .max : (bits == 0 ? 0 : .max << (64 - bits))
        let lowMask: UInt64 = bits <= 64 ? 0 : (bits == 128 ? .max : .max << (128 - bits))
        return DNSClientIP(high: self.high & highMask, low: self.low & lowMask)
    }

    /// Appends the address octets in network order: 4 for IPv4, 16 for
    /// IPv6 (the input of an RFC 9018 §4.4 server cookie hash).
    public func write(to buffer: inout ByteBuffer) {
        if let v4 = self.ipv4 {
            buffer.writeInteger(v4)
        } else {
            buffer.writeInteger(self.high)
            buffer.writeInteger(self.low)
        }
    }

    /// Dotted quad for IPv4, full hexadecimal groups for IPv6 (for logs
    /// and tests; not the RFC 5952 compressed form).
    public var description: String {
        if let v4 = self.ipv4 {
            return "\(v4 >> 24).\(v4 >> 16 & 0xFF).\(v4 >> 8 & 0xFF).\(v4 & 0xFF)"
        }
        var groups: [String] = []
        for word in [self.high, self.low] {
            for shift in stride(from: 48, through: 0, by: -16) {
                groups.append(String(word >> UInt64(shift) & 0xFFFF, radix: 16))
            }
        }
        return groups.joined(separator: ":")
    }
}
