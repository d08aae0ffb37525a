// SPDX-License-Identifier: Apache-2.0

extension RDATA {
    /// NAPTR: naming authority pointer (RFC 3403 §4.1).
    ///
    ///                                     1  1  1  1  1  1
    ///       0  1  2  3  4  5  6  7  8  9  0  1  2  3  4  5
    ///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
    ///     |                     ORDER                     |
    ///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
    ///     |                   PREFERENCE                  |
    ///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
    ///     /                     FLAGS                     /
    ///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
    ///     /                   SERVICES                    /
    ///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
    ///     /                    REGEXP                     /
    ///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
    ///     /                  REPLACEMENT                  /
    ///     /                                               /
    ///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
    ///
    /// FLAGS, SERVICES and REGEXP are <character-string>s, always printed
    /// quoted (as BIND does); REPLACEMENT is an uncompressed name.
    public struct NAPTR: RDATAContent {
        public var order: UInt16
        public var preference: UInt16
        public var flags: [UInt8]
        public var services: [UInt8]
        public var regexp: [UInt8]
        public var replacement: DomainName

        public init(
            order: UInt16, preference: UInt16, flags: [UInt8], services: [UInt8], regexp: [UInt8],
            replacement: DomainName
        ) {
            self.order = order
            self.preference = preference
            self.flags = flags
            self.services = services
            self.regexp = regexp
            self.replacement = replacement
        }

        public init(wire reader: inout WireReader) throws(DNSWireError) {
            self.order = try reader.readUInt16()
            self.preference = try reader.readUInt16()
            self.flags = try reader.readCharacterString()
            self.services = try reader.readCharacterString()
            self.regexp = try reader.readCharacterString()
            self.replacement = try reader.readName()
        }

        public func write(to writer: inout WireWriter) {
            writer.writeUInt16(self.order)
            writer.writeUInt16(self.preference)
            writer.writeCharacterString(self.flags.prefix(255))
            writer.writeCharacterString(self.services.prefix(255))
            writer.writeCharacterString(self.regexp.prefix(255))
            writer.writeName(self.replacement)
        }

        public init(presentation s: inout RDATAScanner) throws(PresentationError) {
            self.order = try s.uint16("NAPTR order")
            self.preference = try s.uint16("NAPTR preference")
            self.flags = try s.characterString("NAPTR flags")
            self.services = try s.characterString("NAPTR services")
            self.regexp = try s.characterString("NAPTR regexp")
            self.replacement = try s.name("NAPTR replacement")
        }

        public func writePresentation(to out: inout String) {
            out += "\(self.order) \(self.preference) "
            appendQuoted(self.flags, to: &out)
            out += " "
            appendQuoted(self.services, to: &out)
            out += " "
            appendQuoted(self.regexp, to: &out)
            out += " "
            self.replacement.writePresentation(to: &out)
        }
    }
}
