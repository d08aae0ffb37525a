// SPDX-License-Identifier: Apache-2.0

extension WireReader {
    /// Reads a name that the protocol forbids compressing, and refuses a
    /// compression pointer in it, as BIND does: RRSIG's signer's name
    /// (RFC 4034 §3.1.7), NSEC's next domain name (RFC 4034 §4.1.1) and
    /// TSIG's algorithm name (RFC 8945 §4.2).
    public mutating func readUncompressedName() throws(DNSWireError) -> DomainName {
        var position = self.offset
        while position < self.end, let length = self.message.getInteger(at: position, as: UInt8.self) {
            if length == 0 || length & 0xC0 != 0 {
                if length & 0xC0 == 0xC0 {
                    throw DNSWireError.badPointer.at(
                        position,
                        "compression pointer in a name that must not be compressed"
                    )
                }
                break  // The end, or a label type readName reports.
            }
            position += 1 + Int(length)
        }
        return try self.readName()
    }
}
