// SPDX-License-Identifier: Apache-2.0

extension RDATA {
    /// MX: a mail exchanger (RFC 1035 §3.3.9).
    ///
    ///     PREFERENCE(16)  EXCHANGE
    public struct MX: RDATAContent {
        public var preference: UInt16
        public var exchange: DomainName

        public init(preference: UInt16, exchange: DomainName) {
            self.preference = preference
            self.exchange = exchange
        }

        public init(wire reader: inout WireReader) throws(DNSWireError) {
            self.preference = try reader.readUInt16()
            self.exchange = try reader.readName()
        }

        public func write(to writer: inout WireWriter) {
            writer.writeUInt16(self.preference)
            writer.writeName(self.exchange)
        }

        public init(presentation s: inout RDATAScanner) throws(PresentationError) {
            self.preference = try s.uint16("MX preference")
            self.exchange = try s.name("MX exchange")
        }

        public func writePresentation(to out: inout String) {
            out += "\(self.preference) "
            self.exchange.writePresentation(to: &out)
        }
    }
}
