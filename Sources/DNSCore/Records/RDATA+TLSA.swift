// SPDX-License-Identifier: Apache-2.0

extension RDATA {
    /// TLSA: DANE certificate association (RFC 6698 §2.1); SMIMEA
    /// (RFC 8162 §2) has the same RDATA and uses this struct too.
    ///
    ///                          1 1 1 1 1 1 1 1 1 1 2 2 2 2 2 2 2 2 2 2 3 3
    ///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |  Cert. Usage  |   Selector    | Matching Type |               /
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+               /
    ///     /                                                               /
    ///     /                 Certificate Association Data                  /
    ///     /                                                               /
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///
    /// Presentation (RFC 6698 §2.2): `3 1 1 0C72AC70…`, the data in
    /// upper-case hex. The data must not be empty (as in BIND); its length is
    /// not checked against the matching type.
    public struct TLSA: RDATAContent {
        /// 0 PKIX-TA, 1 PKIX-EE, 2 DANE-TA, 3 DANE-EE (RFC 7218).
        public var certificateUsage: UInt8
        /// 0 full certificate, 1 SubjectPublicKeyInfo.
        public var selector: UInt8
        /// 0 exact match, 1 SHA-256, 2 SHA-512.
        public var matchingType: UInt8
        public var data: [UInt8]

        public init(certificateUsage: UInt8, selector: UInt8, matchingType: UInt8, data: [UInt8]) {
            self.certificateUsage = certificateUsage
            self.selector = selector
            self.matchingType = matchingType
            self.data = data
        }

        public init(wire reader: inout WireReader) throws(DNSWireError) {
            self.certificateUsage = try reader.readUInt8()
            self.selector = try reader.readUInt8()
            self.matchingType = try reader.readUInt8()
            guard !reader.isAtEnd else {
                throw DNSWireError.truncated.at(reader.offset, "TLSA certificate association data is empty")
            }
            self.data = try reader.readRemainingBytes()
        }

        public func write(to writer: inout WireWriter) {
            writer.writeUInt8(self.certificateUsage)
            writer.writeUInt8(self.selector)
            writer.writeUInt8(self.matchingType)
            writer.writeBytes(self.data)
        }

        public init(presentation s: inout RDATAScanner) throws(PresentationError) {
            self.certificateUsage = try s.uint8("TLSA certificate usage")
            self.selector = try s.uint8("TLSA selector")
            self.matchingType = try s.uint8("TLSA matching type")
            let first = s.peek()
            self.data = try s.hexRemaining("TLSA certificate association data")
            guard !self.data.isEmpty else { throw s.error("TLSA certificate association data is empty", at: first) }
        }

        public func writePresentation(to out: inout String) {
            out += "\(self.certificateUsage) \(self.selector) \(self.matchingType) "
            out += Hex.encode(self.data)
        }
    }
}
