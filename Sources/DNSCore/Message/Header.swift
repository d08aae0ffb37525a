// SPDX-License-Identifier: Apache-2.0

/// The fixed 12-octet message header (RFC 1035 §4.1.1), without the counts,
/// which come from the sections.
///
///     ID(16) | QR Opcode(4) AA TC RD RA Z AD CD RCODE(4) | QD AN NS AR counts
public struct Header: Sendable, Hashable {
    public var id: UInt16
    /// The 16 flag bits as on the wire (QR, opcode, AA, TC, RD, RA, Z, AD, CD, RCODE).
    public var flags: UInt16

    public init(id: UInt16 = 0, flags: UInt16 = 0) {
        self.id = id
        self.flags = flags
    }

    private func bit(_ mask: UInt16) -> Bool { self.flags & mask != 0 }
    private mutating func set(_ mask: UInt16, _ on: Bool) {
        if on { self.flags |= mask } else { self.flags &= ~mask }
    }

    public var isResponse: Bool {
        get { self.bit(0x8000) }
        set { self.set(0x8000, newValue) }
    }
    public var opcode: Opcode {
        get { Opcode(UInt8((self.flags >> 11) & 0x0F)) }
        set { self.flags = (self.flags & ~0x7800) | (UInt16(newValue.rawValue) << 11) }
    }
    public var authoritative: Bool {
        get { self.bit(0x0400) }
        set { self.set(0x0400, newValue) }
    }
    public var truncated: Bool {
        get { self.bit(0x0200) }
        set { self.set(0x0200, newValue) }
    }
    public var recursionDesired: Bool {
        get { self.bit(0x0100) }
        set { self.set(0x0100, newValue) }
    }
    public var recursionAvailable: Bool {
        get { self.bit(0x0080) }
        set { self.set(0x0080, newValue) }
    }
    /// The reserved Z bit (must be zero; kept to round-trip).
    public var zBit: Bool {
        get { self.bit(0x0040) }
        set { self.set(0x0040, newValue) }
    }
    /// RFC 4035 §3.2.3 / RFC 6840 §5.7.
    public var authenticData: Bool {
        get { self.bit(0x0020) }
        set { self.set(0x0020, newValue) }
    }
    /// RFC 4035 §3.2.2.
    public var checkingDisabled: Bool {
        get { self.bit(0x0010) }
        set { self.set(0x0010, newValue) }
    }
    /// The low four bits of the RCODE; EDNS adds eight high bits.
    public var rcodeLow: UInt8 {
        get { UInt8(self.flags & 0x000F) }
        set { self.flags = (self.flags & ~0x000F) | UInt16(newValue & 0x0F) }
    }
}

/// A question (RFC 1035 §4.1.2).
public struct Question: Sendable, Hashable {
    public var name: DomainName
    public var type: RecordType
    public var dnsClass: DNSClass

    public init(name: DomainName, type: RecordType, dnsClass: DNSClass = .in) {
        self.name = name
        self.type = type
        self.dnsClass = dnsClass
    }

    public init(wire reader: inout WireReader) throws(DNSWireError) {
        self.name = try reader.readName()
        self.type = RecordType(try reader.readUInt16())
        self.dnsClass = DNSClass(try reader.readUInt16())
    }

    public func write(to writer: inout WireWriter) {
        writer.writeName(self.name)
        writer.writeUInt16(self.type.rawValue)
        writer.writeUInt16(self.dnsClass.rawValue)
    }
}

extension Question: CustomStringConvertible {
    public var description: String { "\(self.name) \(self.dnsClass) \(self.type)" }
}
