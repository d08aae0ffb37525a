// SPDX-License-Identifier: Apache-2.0

extension RDATA {
    /// OPENPGPKEY: an OpenPGP transferable public key (RFC 7929 §2.1).
    ///
    ///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
    ///     /         OpenPGP Transferable Public Key       /
    ///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
    ///
    /// Presentation (RFC 7929 §2.3): the key in base64, printed unbroken.
    /// The key must not be empty (as in BIND).
    public struct OPENPGPKEY: RDATAContent {
        public var key: [UInt8]

        public init(key: [UInt8]) { self.key = key }

        public init(wire reader: inout WireReader) throws(DNSWireError) {
            guard !reader.isAtEnd else { throw DNSWireError.truncated.at(reader.offset, "OPENPGPKEY is empty") }
            self.key = try reader.readRemainingBytes()
        }

        public func write(to writer: inout WireWriter) { writer.writeBytes(self.key) }

        public init(presentation s: inout RDATAScanner) throws(PresentationError) {
            let first = s.peek()
            self.key = try s.base64Remaining("OPENPGPKEY key")
            guard !self.key.isEmpty else { throw s.error("OPENPGPKEY key is empty", at: first) }
        }

        public func writePresentation(to out: inout String) { out += Base64.encode(self.key) }
    }
}
