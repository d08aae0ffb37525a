// SPDX-License-Identifier: Apache-2.0

extension RDATA {
    /// DNSKEY: a DNSSEC public key (RFC 4034 §2); also the RDATA of CDNSKEY
    /// (RFC 7344 §3.2).
    ///
    ///                          1 1 1 1 1 1 1 1 1 1 2 2 2 2 2 2 2 2 2 2 3 3
    ///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |              Flags            |    Protocol   |   Algorithm   |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     /                                                               /
    ///     /                            Public Key                         /
    ///     /                                                               /
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///
    /// Presentation (RFC 4034 §2.2): flags, protocol, algorithm (number or
    /// mnemonic on input, number on output) and the key in base64, printed in
    /// 56-character chunks as BIND does. The key must not be empty (RFC 8078's
    /// CDNSKEY "delete" is `0 3 0 AA==`, one zero octet).
    ///
    /// The protocol is kept whatever its value: RFC 4034 §2.1.2 makes a key
    /// with a protocol other than 3 invalid for verification, not malformed.
    public struct DNSKEY: RDATAContent {
        public var flags: UInt16
        public var `protocol`: UInt8
        public var algorithm: DNSSECAlgorithm
        public var publicKey: [UInt8]

        /// RFC 4034 §2.1.1: bit 7, the key is a zone key.
        public static let zoneKeyFlag: UInt16 = 0x0100
        /// RFC 5011 §7: bit 8, the key is revoked.
        public static let revokeFlag: UInt16 = 0x0080
        /// RFC 4034 §2.1.1 (RFC 3757): bit 15, Secure Entry Point.
        public static let secureEntryPointFlag: UInt16 = 0x0001

        public init(flags: UInt16, protocol: UInt8 = 3, algorithm: DNSSECAlgorithm, publicKey: [UInt8]) {
            self.flags = flags
            self.protocol = `protocol`
            self.algorithm = algorithm
            self.publicKey = publicKey
        }

        public var isZoneKey: Bool { self.flags & Self.zoneKeyFlag != 0 }
        public var isRevoked: Bool { self.flags & Self.revokeFlag != 0 }
        public var isSecureEntryPoint: Bool { self.flags & Self.secureEntryPointFlag != 0 }

        /// The key tag (RFC 4034 Appendix B) that RRSIG and DS use to point at this key.
        ///
        /// The one's-complement-style sum over the RDATA of 16-bit big-endian
        /// words, with the carry folded in once; for algorithm 1 (RSA/MD5,
        /// Appendix B.1) the third- and second-to-last octets of the key instead.
        public var keyTag: UInt16 {
            if self.algorithm == .rsaMD5 {
                let n = self.publicKey.count
                guard n >= 3 else { return 0 }
                return UInt16(self.publicKey[n - 3]) << 8 | UInt16(self.publicKey[n - 2])
            }
            var accumulator: UInt32 = 0
            accumulator += UInt32(self.flags)
            accumulator += UInt32(self.protocol) << 8 | UInt32(self.algorithm.rawValue)
            for (i, octet) in self.publicKey.enumerated() {
                accumulator += i & 1 == 0 ? UInt32(octet) << 8 : UInt32(octet)
            }
            accumulator += (accumulator >> 16) & 0xFFFF
            return UInt16(truncatingIfNeeded: accumulator)
        }

        public init(wire reader: inout WireReader) throws(DNSWireError) {
            self.flags = try reader.readUInt16()
            self.protocol = try reader.readUInt8()
            self.algorithm = DNSSECAlgorithm(try reader.readUInt8())
            guard !reader.isAtEnd else { throw DNSWireError.badValue.at(reader.offset, "DNSKEY without a key") }
            self.publicKey = try reader.readRemainingBytes()
        }

        public func write(to writer: inout WireWriter) {
            writer.writeUInt16(self.flags)
            writer.writeUInt8(self.protocol)
            writer.writeUInt8(self.algorithm.rawValue)
            writer.writeBytes(self.publicKey)
        }

        public init(presentation s: inout RDATAScanner) throws(PresentationError) {
            self.flags = try s.uint16("DNSKEY flags")
            self.protocol = try s.uint8("DNSKEY protocol")
            self.algorithm = try s.dnssecAlgorithm("DNSKEY algorithm")
            self.publicKey = try s.nonEmptyBase64Remaining("DNSKEY public key")
        }

        public func writePresentation(to out: inout String) {
            out += "\(self.flags) \(self.protocol) \(self.algorithm.rawValue) "
            out += Base64.encodeChunked(self.publicKey)
        }
    }
}
