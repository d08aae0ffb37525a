// SPDX-License-Identifier: Apache-2.0

extension IPAddress {
    /// The special-purpose range the address falls in, or nil for a global unicast address that
    /// may be published (RFC 6890 and the IANA special-purpose registries).
    public var specialPurpose: String? {
        for range in bytes.count == 4 ? Self.specialV4 : Self.specialV6 where range.contains(self) {
            return range.name
        }
        return nil
    }

    /// True when the address may go into a public record.
    public var isPublic: Bool { specialPurpose == nil }

    struct Range: Sendable {
        var prefix: [UInt8]
        var length: Int
        var name: String

        init(_ text: String, _ length: Int, _ name: String) {
            self.prefix = IPAddress(text)?.bytes ?? []
            self.length = length
            self.name = name
        }

        func contains(_ address: IPAddress) -> Bool {
            guard prefix.count == address.bytes.count else { return false }
            var bits = length
            var i = 0
            while bits > 0 {
                let mask: UInt8 = bits >= 8 ? 0xFF : ~(0xFF >> UInt8(bits))
                if address.bytes[i] & mask != prefix[i] & mask { return false }
                bits -= 8
                i += 1
            }
            return true
        }
    }

    /// RFC 6890 §2.2.2 and the IANA IPv4 Special-Purpose Address Registry.
    static let specialV4: [Range] = [
        Range("0.0.0.0", 8, "\"this network\" 0.0.0.0/8 (RFC 791)"),
        Range("10.0.0.0", 8, "private 10.0.0.0/8 (RFC 1918)"),
        Range("100.64.0.0", 10, "shared CGNAT 100.64.0.0/10 (RFC 6598)"),
        Range("127.0.0.0", 8, "loopback 127.0.0.0/8 (RFC 1122)"),
        Range("169.254.0.0", 16, "link-local 169.254.0.0/16 (RFC 3927)"),
        Range("172.16.0.0", 12, "private 172.16.0.0/12 (RFC 1918)"),
        Range("192.0.0.0", 24, "IETF protocol assignments 192.0.0.0/24 (RFC 6890)"),
        Range("192.0.2.0", 24, "documentation 192.0.2.0/24 (RFC 5737)"),
        Range("192.88.99.0", 24, "6to4 relay anycast 192.88.99.0/24 (RFC 7526)"),
        Range("192.168.0.0", 16, "private 192.168.0.0/16 (RFC 1918)"),
        Range("198.18.0.0", 15, "benchmarking 198.18.0.0/15 (RFC 2544)"),
        Range("198.51.100.0", 24, "documentation 198.51.100.0/24 (RFC 5737)"),
        Range("203.0.113.0", 24, "documentation 203.0.113.0/24 (RFC 5737)"),
        Range("224.0.0.0", 4, "multicast 224.0.0.0/4 (RFC 5771)"),
        Range("240.0.0.0", 4, "reserved 240.0.0.0/4 (RFC 1112)"),
    ]

    /// RFC 6890 §2.2.3 and the IANA IPv6 Special-Purpose Address Registry.
    static let specialV6: [Range] = [
        Range("::", 128, "unspecified :: (RFC 4291)"),
        Range("::1", 128, "loopback ::1 (RFC 4291)"),
        Range("::ffff:0:0", 96, "IPv4-mapped ::ffff:0:0/96 (RFC 4291)"),
        Range("64:ff9b::", 96, "NAT64 64:ff9b::/96 (RFC 6052)"),
        Range("64:ff9b:1::", 48, "local NAT64 64:ff9b:1::/48 (RFC 8215)"),
        Range("100::", 64, "discard-only 100::/64 (RFC 6666)"),
        Range("2001::", 23, "IETF protocol assignments 2001::/23 (RFC 2928)"),
        Range("2001:db8::", 32, "documentation 2001:db8::/32 (RFC 3849)"),
        Range("2002::", 16, "6to4 2002::/16 (RFC 3056)"),
        Range("3fff::", 20, "documentation 3fff::/20 (RFC 9637)"),
        Range("fc00::", 7, "unique local fc00::/7 (RFC 4193)"),
        Range("fe80::", 10, "link-local fe80::/10 (RFC 4291)"),
        Range("ff00::", 8, "multicast ff00::/8 (RFC 4291)"),
    ]
}
