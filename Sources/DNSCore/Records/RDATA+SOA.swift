// SPDX-License-Identifier: Apache-2.0

extension RDATA {
    /// SOA: start of a zone of authority (RFC 1035 §3.3.13).
    ///
    ///     MNAME  RNAME  SERIAL(32)  REFRESH(32)  RETRY(32)  EXPIRE(32)  MINIMUM(32)
    public struct SOA: RDATAContent {
        public var mname: DomainName
        public var rname: DomainName
        public var serial: UInt32
        public var refresh: UInt32
        public var retry: UInt32
        public var expire: UInt32
        /// RFC 2308 §4: the negative-caching TTL.
        public var minimum: UInt32

        public init(
            mname: DomainName, rname: DomainName, serial: UInt32, refresh: UInt32, retry: UInt32, expire: UInt32,
            minimum: UInt32
        ) {
            self.mname = mname
            self.rname = rname
            self.serial = serial
            self.refresh = refresh
            self.retry = retry
            self.expire = expire
            self.minimum = minimum
        }

        public init(wire reader: inout WireReader) throws(DNSWireError) {
            self.mname = try reader.readName()
            self.rname = try reader.readName()
            self.serial = try reader.readUInt32()
            self.refresh = try reader.readUInt32()
            self.retry = try reader.readUInt32()
            self.expire = try reader.readUInt32()
            self.minimum = try reader.readUInt32()
        }

        public func write(to writer: inout WireWriter) {
            writer.writeName(self.mname)
            writer.writeName(self.rname)
            writer.writeUInt32(self.serial)
            writer.writeUInt32(self.refresh)
            writer.writeUInt32(self.retry)
            writer.writeUInt32(self.expire)
            writer.writeUInt32(self.minimum)
        }

        public init(presentation s: inout RDATAScanner) throws(PresentationError) {
            self.mname = try s.name("SOA MNAME")
            self.rname = try s.name("SOA RNAME")
            self.serial = try s.uint32("SOA serial")
            // BIND and NSD accept TTL units in the four timers.
            self.refresh = try s.ttl("SOA refresh")
            self.retry = try s.ttl("SOA retry")
            self.expire = try s.ttl("SOA expire")
            self.minimum = try s.ttl("SOA minimum")
        }

        public func writePresentation(to out: inout String) {
            self.mname.writePresentation(to: &out)
            out += " "
            self.rname.writePresentation(to: &out)
            out += " \(self.serial) \(self.refresh) \(self.retry) \(self.expire) \(self.minimum)"
        }
    }
}
