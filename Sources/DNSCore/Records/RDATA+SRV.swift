// SPDX-License-Identifier: Apache-2.0

extension RDATA {
    /// SRV: location of a service (RFC 2782).
    ///
    ///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
    ///     |                   PRIORITY                    |
    ///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
    ///     |                    WEIGHT                     |
    ///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
    ///     |                     PORT                      |
    ///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
    ///     /                    TARGET                     /
    ///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
    ///
    /// RFC 2782: the target is not compressed; a target of `.` means the
    /// service is decidedly not available at this domain.
    public struct SRV: RDATAContent {
        /// Lower values are tried first.
        public var priority: UInt16
        /// Relative weight among targets of the same priority.
        public var weight: UInt16
        public var port: UInt16
        public var target: DomainName

        public init(priority: UInt16, weight: UInt16, port: UInt16, target: DomainName) {
            self.priority = priority
            self.weight = weight
            self.port = port
            self.target = target
        }

        public init(wire reader: inout WireReader) throws(DNSWireError) {
            self.priority = try reader.readUInt16()
            self.weight = try reader.readUInt16()
            self.port = try reader.readUInt16()
            self.target = try reader.readName()
        }

        public func write(to writer: inout WireWriter) {
            writer.writeUInt16(self.priority)
            writer.writeUInt16(self.weight)
            writer.writeUInt16(self.port)
            writer.writeName(self.target)
        }

        public init(presentation s: inout RDATAScanner) throws(PresentationError) {
            self.priority = try s.uint16("SRV priority")
            self.weight = try s.uint16("SRV weight")
            self.port = try s.uint16("SRV port")
            self.target = try s.name("SRV target")
        }

        public func writePresentation(to out: inout String) {
            out += "\(self.priority) \(self.weight) \(self.port) "
            self.target.writePresentation(to: &out)
        }
    }
}
