// SPDX-License-Identifier: Apache-2.0

extension RDATA {
    /// CAA: certification authority authorization (RFC 8659 §4.1).
    ///
    ///     +0-1-2-3-4-5-6-7-|0-1-2-3-4-5-6-7-|
    ///     | Flags          | Tag Length = n |
    ///     +----------------|----------------+...+---------------+
    ///     | Tag char 0     | Tag char 1     |...| Tag char n-1  |
    ///     +----------------|----------------+...+---------------+
    ///     +----------------|----------------+.....+----------------+
    ///     | Value byte 0   | Value byte 1   |.....| Value byte m-1 |
    ///     +----------------|----------------+.....+----------------+
    ///
    /// In presentation the tag must be 1 to 15 ASCII letters and digits
    /// (RFC 8659 §4.1.1 ABNF `tag = (ALPHA / DIGIT) 0*14(ALPHA / DIGIT)`).
    /// On the wire a tag of any length from 1 is accepted as long as it is
    /// letters and digits, as BIND does, so a resolver does not refuse a whole
    /// answer over an over-long tag (RFC 8659 §4.1 only says it MUST be at
    /// least 1). The value fills the rest of the RDATA (it is
    /// not a <character-string>, so it may exceed 255 octets) and is always
    /// printed quoted: `0 issue "ca.example"`.
    public struct CAA: RDATAContent {
        /// Bit 0 (0x80) is Issuer Critical; the rest are reserved.
        public var flags: UInt8
        /// The property tag, e.g. `issue`, `issuewild`, `iodef` (case kept as given).
        public var tag: [UInt8]
        /// The property value.
        public var value: [UInt8]

        /// RFC 8659 §4.1: the Issuer Critical flag.
        public static let issuerCriticalFlag: UInt8 = 0x80

        public init(flags: UInt8, tag: [UInt8], value: [UInt8]) {
            self.flags = flags
            self.tag = tag
            self.value = value
        }

        public init(flags: UInt8, tag: String, value: String) {
            self.init(flags: flags, tag: Array(tag.utf8), value: Array(value.utf8))
        }

        /// RFC 8659 §4.1.1: 1 to 15 ASCII letters and digits.
        public static func isValidTag(_ tag: some Collection<UInt8>) -> Bool {
            (1...15).contains(tag.count) && tag.allSatisfy(isAlphanumeric)
        }

        /// RFC 8659 §4.1 on the wire, as BIND checks it: at least one octet,
        /// letters and digits only (no 15-octet limit).
        public static func isAcceptableWireTag(_ tag: some Collection<UInt8>) -> Bool {
            !tag.isEmpty && tag.allSatisfy { c in c < 0x80 && isAlphanumeric(c) }
        }

        static func isAlphanumeric(_ c: UInt8) -> Bool {
            (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
                || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9"))
        }

        public init(wire reader: inout WireReader) throws(DNSWireError) {
            self.flags = try reader.readUInt8()
            let tagStart = reader.offset
            self.tag = try reader.readCharacterString()
            guard CAA.isAcceptableWireTag(self.tag) else {
                throw DNSWireError.badValue.at(tagStart, "CAA tag must be letters and digits, at least one")
            }
            self.value = try reader.readRemainingBytes()
        }

        public func write(to writer: inout WireWriter) {
            writer.writeUInt8(self.flags)
            writer.writeCharacterString(self.tag.prefix(255))
            writer.writeBytes(self.value)
        }

        public init(presentation s: inout RDATAScanner) throws(PresentationError) {
            self.flags = try s.uint8("CAA flags")
            let tagToken = try s.next("CAA tag")
            let tag = try s.unescaped(tagToken)
            guard !tagToken.quoted, CAA.isValidTag(tag) else {
                throw s.error(
                    "bad CAA tag '\(s.string(tagToken))': 1 to 15 letters and digits (RFC 8659 §4.1.1)", at: tagToken)
            }
            self.tag = tag
            let valueToken = try s.next("CAA value")
            self.value = try s.unescaped(valueToken)
        }

        public func writePresentation(to out: inout String) {
            out += "\(self.flags) "
            out += String(decoding: self.tag, as: UTF8.self)
            out += " "
            appendQuoted(self.value, to: &out)
        }
    }
}
