// SPDX-License-Identifier: Apache-2.0

extension EDNSOption {
    /// The Client Subnet option (RFC 7871 §6).
    ///
    ///     | FAMILY (16) | SOURCE PREFIX-LENGTH (8) | SCOPE PREFIX-LENGTH (8) | ADDRESS (variable) |
    ///
    /// ADDRESS holds only the octets the source prefix needs, and the bits
    /// past the prefix are zero; RFC 7871 §7.1.2 makes anything else FORMERR.
    public struct ClientSubnet: Sendable, Hashable, CustomStringConvertible {
        /// Address family (IANA Address Family Numbers): 1 IPv4, 2 IPv6.
        public let family: UInt16
        public let sourcePrefixLength: UInt8
        public let scopePrefixLength: UInt8
        /// The address truncated to `sourcePrefixLength` bits: exactly
        /// `ceil(sourcePrefixLength / 8)` octets.
        public let address: [UInt8]

        public static let familyIPv4: UInt16 = 1
        public static let familyIPv6: UInt16 = 2

        /// Validates the fields as RFC 7871 §6 and §7.1.2 require.
        public init(family: UInt16, sourcePrefixLength: UInt8, scopePrefixLength: UInt8 = 0, address: [UInt8])
            throws(DNSWireError)
        {
            let maxBits: Int
            switch family {
            case Self.familyIPv4: maxBits = 32
            case Self.familyIPv6: maxBits = 128
            default: throw DNSWireError.badValue.at(0, "client subnet family \(family) (RFC 7871 §6: 1 or 2)")
            }
            guard Int(sourcePrefixLength) <= maxBits, Int(scopePrefixLength) <= maxBits else {
                throw DNSWireError.badValue.at(2, "prefix length over \(maxBits) bits")
            }
            let needed = (Int(sourcePrefixLength) + 7) / 8
            guard address.count == needed else {
                throw DNSWireError.badValue.at(
                    4, "address of \(address.count) octets for a /\(sourcePrefixLength) (needs \(needed))")
            }
            if sourcePrefixLength % 8 != 0, let last = address.last {
                let mask = UInt8(0xFF) >> (sourcePrefixLength % 8)
                guard last & mask == 0 else {
                    throw DNSWireError.badValue.at(4 + needed - 1, "address bits set past the source prefix")
                }
            }
            self.family = family
            self.sourcePrefixLength = sourcePrefixLength
            self.scopePrefixLength = scopePrefixLength
            self.address = address
        }

        /// A subnet from a full address, truncated to `sourcePrefixLength` bits (at most 32).
        public init(_ address: IPv4Address, sourcePrefixLength: UInt8, scopePrefixLength: UInt8 = 0)
            throws(DNSWireError)
        {
            try self.init(
                family: Self.familyIPv4, sourcePrefixLength: sourcePrefixLength, scopePrefixLength: scopePrefixLength,
                address: Self.truncate(address.bytes, to: min(Int(sourcePrefixLength), 32)))
        }

        /// A subnet from a full address, truncated to `sourcePrefixLength` bits (at most 128).
        public init(_ address: IPv6Address, sourcePrefixLength: UInt8, scopePrefixLength: UInt8 = 0)
            throws(DNSWireError)
        {
            try self.init(
                family: Self.familyIPv6, sourcePrefixLength: sourcePrefixLength, scopePrefixLength: scopePrefixLength,
                address: Self.truncate(address.bytes, to: min(Int(sourcePrefixLength), 128)))
        }

        /// Decodes and validates a Client Subnet option.
        public init(_ option: EDNSOption) throws(DNSWireError) {
            guard option.code == .clientSubnet else { throw DNSWireError.badValue.at(0, "not a Client Subnet option") }
            let d = option.data
            guard d.count >= 4 else { throw DNSWireError.truncated.at(d.count, "Client Subnet of \(d.count) octets") }
            try self.init(
                family: UInt16(d[0]) << 8 | UInt16(d[1]), sourcePrefixLength: d[2], scopePrefixLength: d[3],
                address: Array(d[4...]))
        }

        public var option: EDNSOption {
            EDNSOption(
                code: .clientSubnet,
                data: [
                    UInt8(self.family >> 8), UInt8(self.family & 0xFF), self.sourcePrefixLength, self.scopePrefixLength,
                ]
                    + self.address)
        }

        /// The address padded back to its full length with zeros.
        public var fullAddress: [UInt8] {
            self.address
                + [UInt8](repeating: 0, count: max(0, (self.family == Self.familyIPv4 ? 4 : 16) - self.address.count))
        }

        /// `ADDRESS/SOURCE/SCOPE` as dig prints it: `192.0.2.0/24/0`, `2001:db8::/56/0`.
        public var description: String {
            let full = self.fullAddress
            let text: String
            if self.family == Self.familyIPv4, let a = try? IPv4Address(bytes: full) {
                text = a.description
            } else if let a = try? IPv6Address(bytes: full) {
                text = a.description
            } else {
                text = "?"
            }
            return "\(text)/\(self.sourcePrefixLength)/\(self.scopePrefixLength)"
        }

        /// The first `bits` bits of `bytes`, in the fewest octets, rest zeroed.
        static func truncate(_ bytes: [UInt8], to bits: Int) -> [UInt8] {
            var out = Array(bytes.prefix((bits + 7) / 8))
            if bits % 8 != 0, !out.isEmpty {
                out[out.count - 1] &= ~(UInt8(0xFF) >> (bits % 8))
            }
            return out
        }
    }
}

extension EDNS {
    /// The Client Subnet option, nil when absent; throws when malformed (RFC 7871 §7.1.2).
    public var clientSubnet: EDNSOption.ClientSubnet? {
        get throws(DNSWireError) {
            guard let option = self.option(.clientSubnet) else { return nil }
            return try EDNSOption.ClientSubnet(option)
        }
    }
}
