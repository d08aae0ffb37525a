// SPDX-License-Identifier: Apache-2.0

extension RDATA {
    /// RP: responsible person (RFC 1183 §2.2).
    ///
    ///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
    ///     /                   MBOX-DNAME                  /
    ///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
    ///     /                   TXT-DNAME                   /
    ///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
    ///
    /// Either name may be the root `.` to say "none". Names are not
    /// compressed (RFC 3597 §4) and are lower-cased in canonical form
    /// (RFC 4034 §6.2).
    public struct RP: RDATAContent {
        /// The mailbox of the responsible person, encoded as in SOA RNAME.
        public var mailbox: DomainName
        /// A name with TXT records about the person.
        public var textName: DomainName

        public init(mailbox: DomainName, textName: DomainName) {
            self.mailbox = mailbox
            self.textName = textName
        }

        public init(wire reader: inout WireReader) throws(DNSWireError) {
            self.mailbox = try reader.readName()
            self.textName = try reader.readName()
        }

        public func write(to writer: inout WireWriter) {
            writer.writeName(self.mailbox)
            writer.writeName(self.textName)
        }

        public init(presentation s: inout RDATAScanner) throws(PresentationError) {
            self.mailbox = try s.name("RP mailbox")
            self.textName = try s.name("RP TXT name")
        }

        public func writePresentation(to out: inout String) {
            self.mailbox.writePresentation(to: &out)
            out += " "
            self.textName.writePresentation(to: &out)
        }
    }
}
