// SPDX-License-Identifier: Apache-2.0

extension RDATA {
    /// NSEC3PARAM: the NSEC3 parameters an authoritative server uses for the
    /// zone (RFC 5155 §4).
    ///
    ///                          1 1 1 1 1 1 1 1 1 1 2 2 2 2 2 2 2 2 2 2 3 3
    ///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |   Hash Alg.   |     Flags     |          Iterations           |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |  Salt Length  |                     Salt                      /
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///
    /// Presentation (RFC 5155 §4.3): hash algorithm, flags, iterations (all
    /// decimal) and the salt as one hex token, or `-` when empty.
    public struct NSEC3PARAM: RDATAContent {
        public var hashAlgorithm: UInt8
        public var flags: UInt8
        public var iterations: UInt16
        /// 0 to 255 octets.
        public var salt: [UInt8]

        /// RFC 5155 §3.1.1: SHA-1, the only hash algorithm defined.
        public static let sha1: UInt8 = 1

        public init(hashAlgorithm: UInt8 = NSEC3PARAM.sha1, flags: UInt8 = 0, iterations: UInt16, salt: [UInt8]) {
            self.hashAlgorithm = hashAlgorithm
            self.flags = flags
            self.iterations = iterations
            self.salt = salt
        }

        public init(wire reader: inout WireReader) throws(DNSWireError) {
            self.hashAlgorithm = try reader.readUInt8()
            self.flags = try reader.readUInt8()
            self.iterations = try reader.readUInt16()
            self.salt = try reader.readCharacterString()
        }

        public func write(to writer: inout WireWriter) {
            writer.writeUInt8(self.hashAlgorithm)
            writer.writeUInt8(self.flags)
            writer.writeUInt16(self.iterations)
            NSEC3PARAM.writeSalt(self.salt, to: &writer)
        }

        public init(presentation s: inout RDATAScanner) throws(PresentationError) {
            self.hashAlgorithm = try s.uint8("NSEC3PARAM hash algorithm")
            self.flags = try s.uint8("NSEC3PARAM flags")
            self.iterations = try s.uint16("NSEC3PARAM iterations")
            self.salt = try NSEC3PARAM.salt(&s)
        }

        public func writePresentation(to out: inout String) {
            out += "\(self.hashAlgorithm) \(self.flags) \(self.iterations) "
            NSEC3PARAM.writeSalt(self.salt, to: &out)
        }

        /// Length octet and salt; a salt over 255 octets (unrepresentable) is cut to 255.
        static func writeSalt(_ salt: [UInt8], to writer: inout WireWriter) {
            writer.writeCharacterString(salt.prefix(255))
        }

        /// The salt as one hex token, `-` meaning empty (RFC 5155 §3.3, §4.3).
        static func salt(_ s: inout RDATAScanner) throws(PresentationError) -> [UInt8] {
            let token = try s.next("NSEC3 salt")
            let text = s.text(token)
            if text.elementsEqual("-".utf8) { return [] }
            guard let salt = Hex.decode(text), !salt.isEmpty else {
                throw s.error("bad NSEC3 salt '\(s.string(token))' (hex, or '-' for none)", at: token)
            }
            guard salt.count <= 255 else { throw s.error("NSEC3 salt longer than 255 octets", at: token) }
            return salt
        }

        static func writeSalt(_ salt: [UInt8], to out: inout String) {
            out += salt.isEmpty ? "-" : Hex.encode(salt.prefix(255))
        }
    }
}
