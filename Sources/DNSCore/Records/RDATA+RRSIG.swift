// SPDX-License-Identifier: Apache-2.0

extension RDATA {
    /// RRSIG: a DNSSEC signature over one RRset (RFC 4034 §3).
    ///
    ///                          1 1 1 1 1 1 1 1 1 1 2 2 2 2 2 2 2 2 2 2 3 3
    ///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |        Type Covered           |  Algorithm    |     Labels    |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |                         Original TTL                          |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |                      Signature Expiration                     |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |                      Signature Inception                      |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |            Key Tag            |                               /
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+         Signer's Name         /
    ///     /                                                               /
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     /                                                               /
    ///     /                            Signature                          /
    ///     /                                                               /
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///
    /// The signer's name is never compressed (RFC 4034 §3.1.7; a pointer in it
    /// is an error, as in BIND) and is lower-cased in canonical form
    /// (RFC 4034 §6.2); the record type's descriptor tells the writer so.
    ///
    /// Presentation (RFC 4034 §3.2): type covered as a mnemonic, algorithm
    /// (number or mnemonic on input), labels, original TTL (plain seconds),
    /// expiration and inception as `YYYYMMDDHHmmSS` (plain seconds accepted on
    /// input), key tag, signer's name, and the signature in base64 — printed in
    /// 56-character chunks as BIND does. The signature must not be empty.
    public struct RRSIG: RDATAContent {
        public var typeCovered: RecordType
        public var algorithm: DNSSECAlgorithm
        public var labels: UInt8
        public var originalTTL: UInt32
        /// Seconds since 1970 modulo 2^32, compared with RFC 1982 serial arithmetic.
        public var expiration: UInt32
        /// Seconds since 1970 modulo 2^32, compared with RFC 1982 serial arithmetic.
        public var inception: UInt32
        public var keyTag: UInt16
        public var signerName: DomainName
        public var signature: [UInt8]

        public init(
            typeCovered: RecordType,
            algorithm: DNSSECAlgorithm,
            labels: UInt8,
            originalTTL: UInt32,
            expiration: UInt32,
            inception: UInt32,
            keyTag: UInt16,
            signerName: DomainName,
            signature: [UInt8]
        ) {
            self.typeCovered = typeCovered
            self.algorithm = algorithm
            self.labels = labels
            self.originalTTL = originalTTL
            self.expiration = expiration
            self.inception = inception
            self.keyTag = keyTag
            self.signerName = signerName
            self.signature = signature
        }

        public init(wire reader: inout WireReader) throws(DNSWireError) {
            self.typeCovered = RecordType(try reader.readUInt16())
            self.algorithm = DNSSECAlgorithm(try reader.readUInt8())
            self.labels = try reader.readUInt8()
            self.originalTTL = try reader.readUInt32()
            self.expiration = try reader.readUInt32()
            self.inception = try reader.readUInt32()
            self.keyTag = try reader.readUInt16()
            self.signerName = try reader.readUncompressedName()
            guard !reader.isAtEnd else { throw DNSWireError.badValue.at(reader.offset, "RRSIG without a signature") }
            self.signature = try reader.readRemainingBytes()
        }

        public func write(to writer: inout WireWriter) {
            writer.writeUInt16(self.typeCovered.rawValue)
            writer.writeUInt8(self.algorithm.rawValue)
            writer.writeUInt8(self.labels)
            writer.writeUInt32(self.originalTTL)
            writer.writeUInt32(self.expiration)
            writer.writeUInt32(self.inception)
            writer.writeUInt16(self.keyTag)
            writer.writeName(self.signerName)
            writer.writeBytes(self.signature)
        }

        public init(presentation s: inout RDATAScanner) throws(PresentationError) {
            let typeToken = try s.next("RRSIG type covered")
            guard let type = RecordType(mnemonic: s.text(typeToken)) else {
                throw s.error("unknown type covered '\(s.string(typeToken))'", at: typeToken)
            }
            self.typeCovered = type
            self.algorithm = try s.dnssecAlgorithm("RRSIG algorithm")
            self.labels = try s.uint8("RRSIG labels")
            self.originalTTL = try s.uint32("RRSIG original TTL")
            self.expiration = try RRSIG.time(&s, "RRSIG signature expiration")
            self.inception = try RRSIG.time(&s, "RRSIG signature inception")
            self.keyTag = try s.uint16("RRSIG key tag")
            self.signerName = try s.name("RRSIG signer's name")
            self.signature = try s.nonEmptyBase64Remaining("RRSIG signature")
        }

        static func time(_ s: inout RDATAScanner, _ what: String) throws(PresentationError) -> UInt32 {
            let token = try s.next(what)
            guard let value = DNSSECTime.parse(s.text(token)) else {
                throw s.error("bad \(what) '\(s.string(token))' (YYYYMMDDHHmmSS or seconds)", at: token)
            }
            return value
        }

        public func writePresentation(to out: inout String) {
            out += "\(self.typeCovered) \(self.algorithm.rawValue) \(self.labels) \(self.originalTTL) "
            DNSSECTime.write(self.expiration, to: &out)
            out += " "
            DNSSECTime.write(self.inception, to: &out)
            out += " \(self.keyTag) "
            self.signerName.writePresentation(to: &out)
            out += " "
            out += Base64.encodeChunked(self.signature)
        }
    }
}
