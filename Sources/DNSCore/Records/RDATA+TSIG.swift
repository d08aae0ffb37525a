// SPDX-License-Identifier: Apache-2.0

extension RDATA {
    /// TSIG: a transaction signature, the last record of a signed message
    /// (RFC 8945 §4.2). It never appears in zone files; its presentation form
    /// is the one `dig` prints in the TSIG pseudosection.
    ///
    ///                          1 1 1 1 1 1 1 1 1 1 2 2 2 2 2 2 2 2 2 2 3 3
    ///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     /                         Algorithm Name                        /
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |                                                               |
    ///     |          Time Signed          +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |                               |            Fudge              |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |          MAC Size             |                               /
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+             MAC               /
    ///     /                                                               /
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |          Original ID          |            Error              |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |          Other Len            |                               /
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+           Other Data          /
    ///     /                                                               /
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///
    /// Time Signed is 48 bits of seconds since 1970. The algorithm name "MUST
    /// NOT be compressed" (RFC 8945 §4.2): never on write, and a pointer in it
    /// is an error on read, as in BIND.
    ///
    /// Presentation, as BIND's `dig` prints it:
    /// `hmac-sha256. 1795925397 300 32 iG9Z…uTk= 27586 NOERROR 0` — algorithm,
    /// time signed, fudge, MAC size, the MAC in base64 (absent when the size is
    /// 0; 56-character chunks), original ID, error as a mnemonic (BADSIG, BADKEY,
    /// BADTIME, … or the number), other length, and the other data in base64
    /// when its length is not 0. (dig adds a space at the end of the line; that
    /// space is not part of the RDATA.)
    public struct TSIG: RDATAContent {
        public var algorithm: DomainName
        /// Seconds since 1970, 48 bits.
        public var timeSigned: UInt64
        public var fudge: UInt16
        public var mac: [UInt8]
        public var originalID: UInt16
        /// The TSIG error (RFC 8945 §3: BADSIG 16, BADKEY 17, BADTIME 18, BADTRUNC 22, …).
        public var error: RCode
        public var otherData: [UInt8]

        /// The largest 48-bit value.
        public static let maxTimeSigned: UInt64 = 0xFFFF_FFFF_FFFF

        public init(
            algorithm: DomainName,
            timeSigned: UInt64,
            fudge: UInt16,
            mac: [UInt8],
            originalID: UInt16,
            error: RCode,
            otherData: [UInt8]
        ) {
            self.algorithm = algorithm
            self.timeSigned = timeSigned & Self.maxTimeSigned
            self.fudge = fudge
            self.mac = mac
            self.originalID = originalID
            self.error = error
            self.otherData = otherData
        }

        public init(wire reader: inout WireReader) throws(DNSWireError) {
            self.algorithm = try reader.readUncompressedName()
            self.timeSigned = try reader.readUInt48()
            self.fudge = try reader.readUInt16()
            let macSize = try reader.readUInt16()
            self.mac = try reader.readBytes(Int(macSize))
            self.originalID = try reader.readUInt16()
            self.error = RCode(try reader.readUInt16())
            let otherLength = try reader.readUInt16()
            self.otherData = try reader.readBytes(Int(otherLength))
        }

        public func write(to writer: inout WireWriter) {
            writer.writeName(self.algorithm)
            writer.writeUInt48(self.timeSigned & Self.maxTimeSigned)
            writer.writeUInt16(self.fudge)
            let mac = self.mac.prefix(65535)
            writer.writeUInt16(UInt16(mac.count))
            writer.writeBytes(mac)
            writer.writeUInt16(self.originalID)
            writer.writeUInt16(self.error.rawValue)
            let other = self.otherData.prefix(65535)
            writer.writeUInt16(UInt16(other.count))
            writer.writeBytes(other)
        }

        public init(presentation s: inout RDATAScanner) throws(PresentationError) {
            self.algorithm = try s.name("TSIG algorithm name")
            self.timeSigned = try s.integer("TSIG time signed", max: Self.maxTimeSigned)
            self.fudge = try s.uint16("TSIG fudge")
            let macSize = Int(try s.uint16("TSIG MAC size"))
            self.mac = try TSIG.base64(&s, count: macSize, "TSIG MAC")
            self.originalID = try s.uint16("TSIG original ID")
            let errorToken = try s.next("TSIG error")
            guard let error = TSIG.parseError(s.text(errorToken)) else {
                throw s.error("bad TSIG error '\(s.string(errorToken))'", at: errorToken)
            }
            self.error = error
            let otherLength = Int(try s.uint16("TSIG other length"))
            self.otherData = try TSIG.base64(&s, count: otherLength, "TSIG other data")
        }

        /// Reads base64 tokens until they encode `count` octets (none when 0).
        static func base64(_ s: inout RDATAScanner, count: Int, _ what: String) throws(PresentationError) -> [UInt8] {
            guard count > 0 else { return [] }
            let expectedCharacters = (count + 2) / 3 * 4
            let first = try s.next(what)
            var text = Array(s.text(first))
            while text.count < expectedCharacters, let token = s.peek() {
                _ = try s.next(what)
                text.append(contentsOf: s.text(token))
            }
            guard let bytes = Base64.decode(text) else { throw s.error("bad base64 in \(what)", at: first) }
            guard bytes.count == count else {
                throw s.error("\(what) of \(bytes.count) octets where its length says \(count)", at: first)
            }
            return bytes
        }

        static let errorNames: [(UInt16, String)] = [
            (0, "NOERROR"), (1, "FORMERR"), (2, "SERVFAIL"), (3, "NXDOMAIN"), (4, "NOTIMP"), (5, "REFUSED"),
            (6, "YXDOMAIN"), (7, "YXRRSET"), (8, "NXRRSET"), (9, "NOTAUTH"), (10, "NOTZONE"),
            (16, "BADSIG"), (17, "BADKEY"), (18, "BADTIME"), (19, "BADMODE"), (20, "BADNAME"), (21, "BADALG"),
            (22, "BADTRUNC"),
        ]

        /// The TSIG error as BIND prints it: a mnemonic (16 is BADSIG here,
        /// not BADVERS) or the number.
        public static func errorText(_ error: RCode) -> String {
            for (value, name) in errorNames where value == error.rawValue { return name }
            return String(error.rawValue)
        }

        /// A mnemonic (case-insensitive) or a number up to 65535.
        static func parseError(_ text: some Collection<UInt8>) -> RCode? {
            if let n = parseDecimal(text) { return n <= 65535 ? RCode(UInt16(n)) : nil }
            let upper = asciiUppercased(text)
            for (value, name) in errorNames where name == upper { return RCode(value) }
            return nil
        }

        public func writePresentation(to out: inout String) {
            self.algorithm.writePresentation(to: &out)
            out += " \(self.timeSigned & Self.maxTimeSigned) \(self.fudge) \(self.mac.count) "
            if !self.mac.isEmpty {
                out += Base64.encodeChunked(self.mac)
                out += " "
            }
            out += "\(self.originalID) \(TSIG.errorText(self.error)) \(self.otherData.count)"
            if !self.otherData.isEmpty {
                out += " "
                out += Base64.encodeChunked(self.otherData)
            }
        }
    }
}
