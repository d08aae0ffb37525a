// SPDX-License-Identifier: Apache-2.0

extension RDATA {
    /// ZONEMD: a message digest over the zone's contents (RFC 8976 §2).
    ///
    ///                          1 1 1 1 1 1 1 1 1 1 2 2 2 2 2 2 2 2 2 2 3 3
    ///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |                             Serial                            |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |    Scheme     |Hash Algorithm |                               |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               |
    ///     |                             Digest                            |
    ///     /                                                               /
    ///     /                                                               /
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///
    /// RFC 8976 §2.2.4: the digest is at least 12 octets; for the hash
    /// algorithms defined there it has the hash's length (SHA-384: 48,
    /// SHA-512: 64). BIND enforces both; so does this type.
    ///
    /// Presentation (RFC 8976 §2.3): serial, scheme and hash algorithm in
    /// decimal, then the digest in hex ("may include whitespace"), printed
    /// upper case in 56-character chunks as BIND does.
    public struct ZONEMD: RDATAContent {
        public var serial: UInt32
        public var scheme: UInt8
        public var hashAlgorithm: UInt8
        public var digest: [UInt8]

        /// RFC 8976 §5.2: the SIMPLE scheme.
        public static let simpleScheme: UInt8 = 1
        /// RFC 8976 §5.3.
        public static let sha384: UInt8 = 1
        public static let sha512: UInt8 = 2
        /// RFC 8976 §2.2.4: "the Digest field MUST NOT be shorter than 12 octets".
        public static let minimumDigestLength = 12

        public init(serial: UInt32, scheme: UInt8, hashAlgorithm: UInt8, digest: [UInt8]) {
            self.serial = serial
            self.scheme = scheme
            self.hashAlgorithm = hashAlgorithm
            self.digest = digest
        }

        /// Why a digest does not fit, or nil when it does.
        static func digestProblem(_ digest: [UInt8], _ algorithm: UInt8) -> String? {
            let expected: Int? =
                switch algorithm {
                case sha384: 48
                case sha512: 64
                default: nil
                }
            if let expected, digest.count != expected {
                return "ZONEMD hash algorithm \(algorithm) needs a \(expected)-octet digest, not \(digest.count)"
            }
            if digest.count < minimumDigestLength {
                return "ZONEMD digest of \(digest.count) octets (at least \(minimumDigestLength))"
            }
            return nil
        }

        public init(wire reader: inout WireReader) throws(DNSWireError) {
            self.serial = try reader.readUInt32()
            self.scheme = try reader.readUInt8()
            self.hashAlgorithm = try reader.readUInt8()
            let start = reader.offset
            self.digest = try reader.readRemainingBytes()
            if let problem = ZONEMD.digestProblem(self.digest, self.hashAlgorithm) {
                throw DNSWireError.badValue.at(start, problem)
            }
        }

        public func write(to writer: inout WireWriter) {
            writer.writeUInt32(self.serial)
            writer.writeUInt8(self.scheme)
            writer.writeUInt8(self.hashAlgorithm)
            writer.writeBytes(self.digest)
        }

        public init(presentation s: inout RDATAScanner) throws(PresentationError) {
            self.serial = try s.uint32("ZONEMD serial")
            self.scheme = try s.uint8("ZONEMD scheme")
            self.hashAlgorithm = try s.uint8("ZONEMD hash algorithm")
            let first = s.peek()
            self.digest = try s.nonEmptyHexRemaining("ZONEMD digest")
            if let problem = ZONEMD.digestProblem(self.digest, self.hashAlgorithm) {
                throw s.error(problem, at: first)
            }
        }

        public func writePresentation(to out: inout String) {
            out += "\(self.serial) \(self.scheme) \(self.hashAlgorithm) "
            out += Hex.encodeChunked(self.digest)
        }
    }
}
