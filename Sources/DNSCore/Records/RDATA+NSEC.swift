// SPDX-License-Identifier: Apache-2.0

extension RDATA {
    /// NSEC: the next owner name in the zone and the types at this one
    /// (RFC 4034 §4).
    ///
    ///                          1 1 1 1 1 1 1 1 1 1 2 2 2 2 2 2 2 2 2 2 3 3
    ///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     /                      Next Domain Name                         /
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     /                       Type Bit Maps                           /
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///
    /// The next name is never compressed (RFC 4034 §4.1.1; a pointer in it is
    /// an error, as in BIND) and keeps its case
    /// in canonical form (RFC 6840 §5.1 removed NSEC from RFC 4034 §6.2).
    /// The type bit map (``TypeBitmap``) must not be empty: an NSEC always
    /// lists at least NSEC and RRSIG, and BIND refuses an empty one.
    ///
    /// Presentation (RFC 4034 §4.2): the next name, then type mnemonics.
    public struct NSEC: RDATAContent {
        public var nextDomainName: DomainName
        public var types: TypeBitmap

        public init(nextDomainName: DomainName, types: TypeBitmap) {
            self.nextDomainName = nextDomainName
            self.types = types
        }

        public init(wire reader: inout WireReader) throws(DNSWireError) {
            self.nextDomainName = try reader.readUncompressedName()
            self.types = try TypeBitmap(wire: &reader, allowEmpty: false)
        }

        public func write(to writer: inout WireWriter) {
            writer.writeName(self.nextDomainName)
            self.types.write(to: &writer)
        }

        public init(presentation s: inout RDATAScanner) throws(PresentationError) {
            self.nextDomainName = try s.name("NSEC next domain name")
            self.types = try TypeBitmap(presentation: &s, allowEmpty: false)
        }

        public func writePresentation(to out: inout String) {
            self.nextDomainName.writePresentation(to: &out)
            self.types.writePresentation(to: &out)
        }
    }
}
