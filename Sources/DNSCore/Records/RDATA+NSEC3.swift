// SPDX-License-Identifier: Apache-2.0

extension RDATA {
    /// NSEC3: hashed authenticated denial of existence (RFC 5155 §3).
    ///
    ///                          1 1 1 1 1 1 1 1 1 1 2 2 2 2 2 2 2 2 2 2 3 3
    ///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |   Hash Alg.   |     Flags     |          Iterations           |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |  Salt Length  |                     Salt                      /
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |  Hash Length  |             Next Hashed Owner Name            /
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     /                         Type Bit Maps                         /
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///
    /// The hash length is 1 to 255 (RFC 5155 §3.1.6). The type bit map may be
    /// empty (an empty non-terminal, RFC 5155 §3.2.1).
    ///
    /// Presentation (RFC 5155 §3.3): hash algorithm, flags, iterations, the
    /// salt in hex or `-` when empty, the next hashed owner name in base32hex
    /// without padding (printed upper case, as BIND does), then the types.
    public struct NSEC3: RDATAContent {
        public var hashAlgorithm: UInt8
        public var flags: UInt8
        public var iterations: UInt16
        /// 0 to 255 octets.
        public var salt: [UInt8]
        /// The raw hash (1 to 255 octets), not its base32hex text.
        public var nextHashedOwnerName: [UInt8]
        public var types: TypeBitmap

        /// RFC 5155 §3.1.2.1: the Opt-Out flag.
        public static let optOutFlag: UInt8 = 0x01

        public init(
            hashAlgorithm: UInt8 = NSEC3PARAM.sha1,
            flags: UInt8 = 0,
            iterations: UInt16,
            salt: [UInt8],
            nextHashedOwnerName: [UInt8],
            types: TypeBitmap
        ) {
            self.hashAlgorithm = hashAlgorithm
            self.flags = flags
            self.iterations = iterations
            self.salt = salt
            self.nextHashedOwnerName = nextHashedOwnerName
            self.types = types
        }

        /// Whether the Opt-Out flag is set (RFC 5155 §3.1.2.1).
        public var isOptOut: Bool { self.flags & Self.optOutFlag != 0 }

        public init(wire reader: inout WireReader) throws(DNSWireError) {
            self.hashAlgorithm = try reader.readUInt8()
            self.flags = try reader.readUInt8()
            self.iterations = try reader.readUInt16()
            self.salt = try reader.readCharacterString()
            let hashStart = reader.offset
            self.nextHashedOwnerName = try reader.readCharacterString()
            guard !self.nextHashedOwnerName.isEmpty else {
                throw DNSWireError.badValue.at(hashStart, "NSEC3 hash length 0")
            }
            self.types = try TypeBitmap(wire: &reader, allowEmpty: true)
        }

        public func write(to writer: inout WireWriter) {
            writer.writeUInt8(self.hashAlgorithm)
            writer.writeUInt8(self.flags)
            writer.writeUInt16(self.iterations)
            NSEC3PARAM.writeSalt(self.salt, to: &writer)
            writer.writeCharacterString(self.nextHashedOwnerName.prefix(255))
            self.types.write(to: &writer)
        }

        public init(presentation s: inout RDATAScanner) throws(PresentationError) {
            self.hashAlgorithm = try s.uint8("NSEC3 hash algorithm")
            self.flags = try s.uint8("NSEC3 flags")
            self.iterations = try s.uint16("NSEC3 iterations")
            self.salt = try NSEC3PARAM.salt(&s)
            let token = try s.next("NSEC3 next hashed owner name")
            guard let hash = Base32Hex.decode(s.text(token)), !hash.isEmpty else {
                throw s.error("bad NSEC3 next hashed owner name '\(s.string(token))' (base32hex)", at: token)
            }
            guard hash.count <= 255 else { throw s.error("NSEC3 next hashed owner name over 255 octets", at: token) }
            self.nextHashedOwnerName = hash
            self.types = try TypeBitmap(presentation: &s, allowEmpty: true)
        }

        public func writePresentation(to out: inout String) {
            out += "\(self.hashAlgorithm) \(self.flags) \(self.iterations) "
            NSEC3PARAM.writeSalt(self.salt, to: &out)
            out += " "
            out += Base32Hex.encode(self.nextHashedOwnerName.prefix(255))
            self.types.writePresentation(to: &out)
        }
    }
}
