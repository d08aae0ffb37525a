// SPDX-License-Identifier: Apache-2.0

extension RDATA {
    /// URI: a URI for a service (RFC 7553 §4.5).
    ///
    ///                          1 1 1 1 1 1 1 1 1 1 2 2 2 2 2 2 2 2 2 2 3 3
    ///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |          Priority             |          Weight               |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     /                                                               /
    ///     /                             Target                            /
    ///     /                                                               /
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///
    /// The target fills the rest of the RDATA: it is not a
    /// <character-string> (no length octet, may exceed 255 octets). In
    /// presentation (RFC 7553 §4.4) it is one double-quoted string:
    /// `10 1 "ftp://ftp1.example.com/public"`; like BIND, an unquoted target
    /// is refused.
    public struct URI: RDATAContent {
        public var priority: UInt16
        public var weight: UInt16
        public var target: [UInt8]

        public init(priority: UInt16, weight: UInt16, target: [UInt8]) {
            self.priority = priority
            self.weight = weight
            self.target = target
        }

        public init(priority: UInt16, weight: UInt16, target: String) {
            self.init(priority: priority, weight: weight, target: Array(target.utf8))
        }

        public init(wire reader: inout WireReader) throws(DNSWireError) {
            self.priority = try reader.readUInt16()
            self.weight = try reader.readUInt16()
            self.target = try reader.readRemainingBytes()
        }

        public func write(to writer: inout WireWriter) {
            writer.writeUInt16(self.priority)
            writer.writeUInt16(self.weight)
            writer.writeBytes(self.target)
        }

        public init(presentation s: inout RDATAScanner) throws(PresentationError) {
            self.priority = try s.uint16("URI priority")
            self.weight = try s.uint16("URI weight")
            let token = try s.next("URI target")
            guard token.quoted else {
                throw s.error("URI target must be a quoted string (RFC 7553 §4.4)", at: token)
            }
            self.target = try s.unescaped(token)
        }

        public func writePresentation(to out: inout String) {
            out += "\(self.priority) \(self.weight) "
            appendQuoted(self.target, to: &out)
        }
    }
}
