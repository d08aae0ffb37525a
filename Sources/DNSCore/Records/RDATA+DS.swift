// SPDX-License-Identifier: Apache-2.0

extension RDATA {
    /// DS: delegation signer (RFC 4034 §5); also the RDATA of CDS (RFC 7344 §3.1).
    ///
    ///                          1 1 1 1 1 1 1 1 1 1 2 2 2 2 2 2 2 2 2 2 3 3
    ///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |           Key Tag             |  Algorithm    |  Digest Type  |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     /                                                               /
    ///     /                            Digest                             /
    ///     /                                                               /
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///
    /// Presentation (RFC 4034 §5.3): key tag, algorithm (number or mnemonic),
    /// digest type, then the digest in hex, "whitespace is allowed within".
    /// Printed with the digest in upper case, in 56-character chunks as BIND does.
    ///
    /// The digest must not be empty (RFC 8078's CDS "delete" is `0 0 0 00`),
    /// and for the digest types with a known length (SHA-1, SHA-256, GOST,
    /// SHA-384) it must have exactly that length, as BIND requires.
    public struct DS: RDATAContent {
        public var keyTag: UInt16
        public var algorithm: DNSSECAlgorithm
        public var digestType: DSDigestType
        public var digest: [UInt8]

        public init(keyTag: UInt16, algorithm: DNSSECAlgorithm, digestType: DSDigestType, digest: [UInt8]) {
            self.keyTag = keyTag
            self.algorithm = algorithm
            self.digestType = digestType
            self.digest = digest
        }

        /// Why a digest does not fit its type, or nil when it does.
        static func digestProblem(_ digest: [UInt8], _ type: DSDigestType) -> String? {
            if digest.isEmpty { return "empty DS digest" }
            if let expected = type.digestLength, expected != digest.count {
                return "DS digest type \(type.rawValue) needs \(expected) octets, not \(digest.count)"
            }
            return nil
        }

        public init(wire reader: inout WireReader) throws(DNSWireError) {
            self.keyTag = try reader.readUInt16()
            self.algorithm = DNSSECAlgorithm(try reader.readUInt8())
            self.digestType = DSDigestType(try reader.readUInt8())
            let start = reader.offset
            self.digest = try reader.readRemainingBytes()
            if let problem = DS.digestProblem(self.digest, self.digestType) {
                throw DNSWireError.badValue.at(start, problem)
            }
        }

        public func write(to writer: inout WireWriter) {
            writer.writeUInt16(self.keyTag)
            writer.writeUInt8(self.algorithm.rawValue)
            writer.writeUInt8(self.digestType.rawValue)
            writer.writeBytes(self.digest)
        }

        public init(presentation s: inout RDATAScanner) throws(PresentationError) {
            self.keyTag = try s.uint16("DS key tag")
            self.algorithm = try s.dnssecAlgorithm("DS algorithm")
            let typeToken = try s.next("DS digest type")
            guard let digestType = DSDigestType(presentation: s.text(typeToken)) else {
                throw s.error("bad DS digest type '\(s.string(typeToken))'", at: typeToken)
            }
            self.digestType = digestType
            let first = s.peek()
            self.digest = try s.nonEmptyHexRemaining("DS digest")
            if let problem = DS.digestProblem(self.digest, self.digestType) {
                throw s.error(problem, at: first)
            }
        }

        public func writePresentation(to out: inout String) {
            out += "\(self.keyTag) \(self.algorithm.rawValue) \(self.digestType.rawValue) "
            out += Hex.encodeChunked(self.digest)
        }
    }
}
