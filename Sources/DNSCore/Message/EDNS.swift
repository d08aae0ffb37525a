// SPDX-License-Identifier: Apache-2.0

/// An EDNS(0) option code (RFC 6891 §6.1.2). Open set.
public struct EDNSOptionCode: RawRepresentable, Hashable, Sendable {
    public var rawValue: UInt16
    @inlinable public init(rawValue: UInt16) { self.rawValue = rawValue }
    @inlinable public init(_ rawValue: UInt16) { self.rawValue = rawValue }

    /// RFC 5001.
    public static let nsid = EDNSOptionCode(3)
    /// RFC 7871.
    public static let clientSubnet = EDNSOptionCode(8)
    /// RFC 7314.
    public static let expire = EDNSOptionCode(9)
    /// RFC 7873.
    public static let cookie = EDNSOptionCode(10)
    /// RFC 7828.
    public static let tcpKeepalive = EDNSOptionCode(11)
    /// RFC 7830.
    public static let padding = EDNSOptionCode(12)
    /// RFC 8914.
    public static let extendedError = EDNSOptionCode(15)
}

/// One EDNS option, kept byte for byte; typed views live in `EDNSOption+*.swift`.
public struct EDNSOption: Sendable, Hashable {
    public var code: EDNSOptionCode
    public var data: [UInt8]

    public init(code: EDNSOptionCode, data: [UInt8]) {
        self.code = code
        self.data = data
    }
}

/// The EDNS(0) pseudo-record (RFC 6891 §6.1), taken out of the additional section.
public struct EDNS: Sendable, Hashable {
    /// Requestor's UDP payload size (the OPT CLASS field).
    public var udpPayloadSize: UInt16
    /// High eight bits of the extended RCODE (the OPT TTL's first octet).
    public var extendedRCodeHigh: UInt8
    public var version: UInt8
    /// The OPT TTL's low 16 bits: DO and the reserved Z bits.
    public var flags: UInt16
    public var options: [EDNSOption]
    /// Whether the OPT owner is the root (RFC 6891 §6.1.2). Always true for a
    /// parsed message: `DNSMessage(wire:)` rejects any other owner.
    public var ownerIsRoot: Bool = true

    public init(udpPayloadSize: UInt16 = 1232, version: UInt8 = 0, dnssecOK: Bool = false, options: [EDNSOption] = []) {
        self.udpPayloadSize = udpPayloadSize
        self.extendedRCodeHigh = 0
        self.version = version
        self.flags = dnssecOK ? 0x8000 : 0
        self.options = options
    }

    /// RFC 3225: the DO bit.
    public var dnssecOK: Bool {
        get { self.flags & 0x8000 != 0 }
        set { self.flags = newValue ? self.flags | 0x8000 : self.flags & ~0x8000 }
    }

    /// The first option with `code`.
    public func option(_ code: EDNSOptionCode) -> EDNSOption? { self.options.first { $0.code == code } }

    /// Decodes the OPT RR fields after its owner name and type.
    init(optClass: UInt16, ttl: UInt32, rdata reader: inout WireReader) throws(DNSWireError) {
        self.udpPayloadSize = optClass
        self.extendedRCodeHigh = UInt8(ttl >> 24)
        self.version = UInt8((ttl >> 16) & 0xFF)
        self.flags = UInt16(ttl & 0xFFFF)
        var options: [EDNSOption] = []
        while !reader.isAtEnd {
            let code = EDNSOptionCode(try reader.readUInt16())
            let length = Int(try reader.readUInt16())
            options.append(EDNSOption(code: code, data: try reader.readBytes(length)))
        }
        self.options = options
    }

    /// Writes the OPT record, with `rcode`'s high bits.
    func write(to writer: inout WireWriter, rcode: RCode) {
        writer.writeUInt8(0)
        writer.writeUInt16(RecordType.opt.rawValue)
        writer.writeUInt16(self.udpPayloadSize)
        let high = UInt8(truncatingIfNeeded: rcode.rawValue >> 4)
        writer.writeUInt8(high)
        writer.writeUInt8(self.version)
        writer.writeUInt16(self.flags)
        let lengthAt = writer.reserveUInt16()
        let start = writer.buffer.writerIndex
        for option in self.options {
            writer.writeUInt16(option.code.rawValue)
            writer.writeUInt16(UInt16(truncatingIfNeeded: option.data.count))
            writer.writeBytes(option.data)
        }
        writer.patchUInt16(UInt16(truncatingIfNeeded: writer.buffer.writerIndex - start), at: lengthAt)
    }

    /// Octets the OPT record takes on the wire.
    public var wireLength: Int { 11 + self.options.reduce(0) { $0 + 4 + $1.data.count } }
}
