// SPDX-License-Identifier: Apache-2.0

extension RDATA {
    /// A: an IPv4 address (RFC 1035 §3.4.1).
    ///
    ///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
    ///     |                    ADDRESS                    |
    ///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
    public struct A: RDATAContent {
        public var address: IPv4Address

        public init(_ address: IPv4Address) { self.address = address }

        public init(wire reader: inout WireReader) throws(DNSWireError) {
            guard reader.remaining == 4 else {
                throw DNSWireError.badFixedLength.at(reader.offset, "A RDATA of \(reader.remaining) octets")
            }
            self.address = try IPv4Address(bytes: try reader.readBytes(4))
        }

        public func write(to writer: inout WireWriter) { writer.writeBytes(self.address.bytes) }

        public init(presentation scanner: inout RDATAScanner) throws(PresentationError) {
            let token = try scanner.next("IPv4 address")
            guard let address = IPv4Address(parsing: scanner.text(token)) else {
                throw scanner.error("bad IPv4 address '\(scanner.string(token))'", at: token)
            }
            self.address = address
        }

        public func writePresentation(to out: inout String) { out += self.address.description }
    }

    /// AAAA: an IPv6 address (RFC 3596 §2.2).
    public struct AAAA: RDATAContent {
        public var address: IPv6Address

        public init(_ address: IPv6Address) { self.address = address }

        public init(wire reader: inout WireReader) throws(DNSWireError) {
            guard reader.remaining == 16 else {
                throw DNSWireError.badFixedLength.at(reader.offset, "AAAA RDATA of \(reader.remaining) octets")
            }
            self.address = try IPv6Address(bytes: try reader.readBytes(16))
        }

        public func write(to writer: inout WireWriter) { writer.writeBytes(self.address.bytes) }

        public init(presentation scanner: inout RDATAScanner) throws(PresentationError) {
            let token = try scanner.next("IPv6 address")
            guard let address = IPv6Address(parsing: scanner.text(token)) else {
                throw scanner.error("bad IPv6 address '\(scanner.string(token))'", at: token)
            }
            self.address = address
        }

        public func writePresentation(to out: inout String) { out += self.address.description }
    }
}
