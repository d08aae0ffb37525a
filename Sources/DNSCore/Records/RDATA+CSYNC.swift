// SPDX-License-Identifier: Apache-2.0

extension RDATA {
    /// CSYNC: child-to-parent synchronization (RFC 7477 §2.1).
    ///
    ///                          1 1 1 1 1 1 1 1 1 1 2 2 2 2 2 2 2 2 2 2 3 3
    ///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |                          SOA Serial                           |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |       Flags                   |            Type Bit Map       /
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     /                     Type Bit Map (continued)                  /
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///
    /// The type bit map has the NSEC format (RFC 4034 §4.1.2) and may be empty.
    ///
    /// Presentation (RFC 7477 §2.1.2): serial and flags in decimal, then type
    /// mnemonics.
    public struct CSYNC: RDATAContent {
        public var serial: UInt32
        public var flags: UInt16
        public var types: TypeBitmap

        /// RFC 7477 §2.1.1.2.1: "immediate".
        public static let immediateFlag: UInt16 = 0x0001
        /// RFC 7477 §2.1.1.2.2: "soaminimum".
        public static let soaMinimumFlag: UInt16 = 0x0002

        public init(serial: UInt32, flags: UInt16, types: TypeBitmap) {
            self.serial = serial
            self.flags = flags
            self.types = types
        }

        public init(wire reader: inout WireReader) throws(DNSWireError) {
            self.serial = try reader.readUInt32()
            self.flags = try reader.readUInt16()
            self.types = try TypeBitmap(wire: &reader, allowEmpty: true)
        }

        public func write(to writer: inout WireWriter) {
            writer.writeUInt32(self.serial)
            writer.writeUInt16(self.flags)
            self.types.write(to: &writer)
        }

        public init(presentation s: inout RDATAScanner) throws(PresentationError) {
            self.serial = try s.uint32("CSYNC serial")
            self.flags = try s.uint16("CSYNC flags")
            self.types = try TypeBitmap(presentation: &s, allowEmpty: true)
        }

        public func writePresentation(to out: inout String) {
            out += "\(self.serial) \(self.flags)"
            self.types.writePresentation(to: &out)
        }
    }
}
