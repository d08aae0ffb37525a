// SPDX-License-Identifier: Apache-2.0

import DNSCore

/// The source address of a request, as server cookies (RFC 9018 §4.4) and response rate limiting
/// need it: IPv4 or IPv6, held in two words so that building one allocates nothing.
///
/// An IPv4-mapped IPv6 address (`::ffff:a.b.c.d`, RFC 4291 §2.5.5.2), as a dual-stack socket
/// reports an IPv4 client, is stored as that IPv4 address, so a client gets the same cookie and
/// the same rate-limit bucket whichever socket its query arrived on.
public struct ClientIP: Sendable, Hashable, CustomStringConvertible {
    /// True for IPv4.
    public let isIPv4: Bool
    /// IPv6 octets 0–7 big-endian; for IPv4 zero.
    public let high: UInt64
    /// IPv6 octets 8–15 big-endian; for IPv4 the address in the low 32 bits.
    public let low: UInt64

    /// An IPv4 address as a 32-bit value in host order (192.0.2.1 is 0xC000_0201).
    public init(ipv4 value: UInt32) {
        self.isIPv4 = true
        self.high = 0
        self.low = UInt64(value)
    }

    /// An IPv6 address from its two 64-bit halves; IPv4-mapped addresses become IPv4.
    public init(ipv6High high: UInt64, low: UInt64) {
        if high == 0 && (low >> 32) == 0xffff {
            self.init(ipv4: UInt32(truncatingIfNeeded: low))
        } else {
            self.init(rawIPv6High: high, low: low)
        }
    }

    /// An address from 4 (IPv4) or 16 (IPv6) octets in network order; nil for any other length.
    public init?(bytes: some Collection<UInt8>) {
        switch bytes.count {
        case 4:
            self.init(ipv4: bytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        case 16:
            var high: UInt64 = 0
            var low: UInt64 = 0
            for (i, byte) in bytes.enumerated() {
                if i < 8 { high = high << 8 | UInt64(byte) } else { low = low << 8 | UInt64(byte) }
            }
            self.init(ipv6High: high, low: low)
        default:
            return nil
        }
    }

    public init(_ address: IPv4Address) { self.init(ipv4: address.value) }

    public init(_ address: IPv6Address) {
        // IPv6Address always holds 16 octets.
        self = ClientIP(bytes: address.bytes) ?? ClientIP(ipv4: 0)
    }

    /// Parses dotted-quad IPv4 or RFC 4291 IPv6 text; nil when it is neither.
    public init?(_ text: String) {
        if let v4 = IPv4Address(text) {
            self.init(v4)
        } else if let v6 = IPv6Address(text) {
            self.init(v6)
        } else {
            return nil
        }
    }

    /// The address in network order: 4 octets for IPv4, 16 for IPv6. This is the "Client-IP"
    /// input of the RFC 9018 §4.4 hash.
    public var bytes: [UInt8] {
        if self.isIPv4 {
            return (0..<4).map { UInt8(truncatingIfNeeded: self.low >> (24 - 8 * UInt64($0))) }
        }
        return (0..<8).map { UInt8(truncatingIfNeeded: self.high >> (56 - 8 * UInt64($0))) }
            + (0..<8).map { UInt8(truncatingIfNeeded: self.low >> (56 - 8 * UInt64($0))) }
    }

    /// Feeds the address octets, as ``bytes`` lists them, to a hasher without allocating.
    func feed(into hasher: inout SipHash24) {
        if self.isIPv4 {
            hasher.combine(bigEndian: UInt32(truncatingIfNeeded: self.low))
        } else {
            hasher.combine(bigEndian: UInt32(truncatingIfNeeded: self.high >> 32))
            hasher.combine(bigEndian: UInt32(truncatingIfNeeded: self.high))
            hasher.combine(bigEndian: UInt32(truncatingIfNeeded: self.low >> 32))
            hasher.combine(bigEndian: UInt32(truncatingIfNeeded: self.low))
        }
    }

    /// The network that contains this address: the first `prefixLength` bits kept, the rest zero
    /// (the length is clamped to 0...32 for IPv4 and 0...128 for IPv6).
    public func masked(prefixLength: Int) -> ClientIP {
        if self.isIPv4 {
            let bits = min(max(prefixLength, 0), 32)
            let mask: UInt32 = bits == 0 ? 0 : UInt32.max << UInt32(32 - bits)
            return ClientIP(ipv4: UInt32(truncatingIfNeeded: self.low) & mask)
        }
        let bits = min(max(prefixLength, 0), 128)
        let highMask: UInt64 = bits >= 64 ? .max : (bits == 0 ? 0 : UInt64.max << UInt64(64 - bits))
        let lowMask: UInt64 = bits <= 64 ? 0 : (bits == 128 ? .max : UInt64.max << UInt64(128 - bits))
        return ClientIP(rawIPv6High: self.high & highMask, low: self.low & lowMask)
    }

    /// IPv6 without the IPv4-mapped conversion (a masked prefix must stay IPv6).
    private init(rawIPv6High high: UInt64, low: UInt64) {
        self.isIPv4 = false
        self.high = high
        self.low = low
    }

    public var description: String {
        if self.isIPv4 { return (try? IPv4Address(bytes: self.bytes))?.description ?? "?" }
        return (try? IPv6Address(bytes: self.bytes))?.description ?? "?"
    }
}
