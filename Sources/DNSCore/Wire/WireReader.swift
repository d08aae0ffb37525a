// SPDX-License-Identifier: Apache-2.0

import NIOCore

/// A bounded cursor over a whole DNS message.
///
/// Reads use absolute offsets into ``message`` so that compression pointers
/// (RFC 1035 §4.1.4) can reach back anywhere before the current field.
/// ``end`` bounds the current field: the message end, or the end of one RDATA
/// while a record's data is being decoded.
public struct WireReader {
    /// The whole message; offset 0 is its first header octet.
    public let message: ByteBuffer
    /// Offset of the next octet to read.
    public var offset: Int
    /// Reads must not go past this offset.
    public var end: Int
    public let limits: WireLimits

    public init(message: ByteBuffer, limits: WireLimits = .default) {
        self.message = message.slice()
        self.offset = 0
        self.end = self.message.readableBytes
        self.limits = limits
    }

    public init(bytes: some Sequence<UInt8>, limits: WireLimits = .default) {
        self.init(message: ByteBuffer(bytes: Array(bytes)), limits: limits)
    }

    /// Octets left before ``end``.
    @inlinable public var remaining: Int { self.end - self.offset }

    @inlinable public var isAtEnd: Bool { self.offset >= self.end }

    public mutating func readUInt8() throws(DNSWireError) -> UInt8 {
        guard self.offset + 1 <= self.end, let v = self.message.getInteger(at: self.offset, as: UInt8.self) else {
            throw DNSWireError.truncated.at(self.offset)
        }
        self.offset += 1
        return v
    }

    public mutating func readUInt16() throws(DNSWireError) -> UInt16 {
        guard self.offset + 2 <= self.end, let v = self.message.getInteger(at: self.offset, as: UInt16.self) else {
            throw DNSWireError.truncated.at(self.offset)
        }
        self.offset += 2
        return v
    }

    public mutating func readUInt32() throws(DNSWireError) -> UInt32 {
        guard self.offset + 4 <= self.end, let v = self.message.getInteger(at: self.offset, as: UInt32.self) else {
            throw DNSWireError.truncated.at(self.offset)
        }
        self.offset += 4
        return v
    }

    /// Reads a 48-bit unsigned integer (RRSIG/TSIG time fields).
    public mutating func readUInt48() throws(DNSWireError) -> UInt64 {
        let high = try self.readUInt16()
        let low = try self.readUInt32()
        return UInt64(high) << 32 | UInt64(low)
    }

    /// Reads `count` octets.
    public mutating func readBytes(_ count: Int) throws(DNSWireError) -> [UInt8] {
        guard count >= 0, self.offset + count <= self.end,
            let bytes = self.message.getBytes(at: self.offset, length: count)
        else {
            throw DNSWireError.truncated.at(self.offset)
        }
        self.offset += count
        return bytes
    }

    /// Reads every octet up to ``end``.
    public mutating func readRemainingBytes() throws(DNSWireError) -> [UInt8] {
        try self.readBytes(self.remaining)
    }

    /// Reads a <character-string> (RFC 1035 §3.3): a length octet and that many octets.
    public mutating func readCharacterString() throws(DNSWireError) -> [UInt8] {
        let length = try self.readUInt8()
        return try self.readBytes(Int(length))
    }

    /// Reads a possibly compressed name.
    ///
    /// Pointers must point strictly backwards, at most
    /// ``WireLimits/maxCompressionPointers`` of them, and the result must fit
    /// 255 octets, so decoding always terminates.
    public mutating func readName() throws(DNSWireError) -> DomainName {
        var wire: [UInt8] = []
        wire.reserveCapacity(32)
        var position = self.offset
        var bound = self.end
        var pointers = 0
        var resumeAt: Int? = nil
        let messageEnd = self.message.writerIndex
        while true {
            guard position < bound, let length = self.message.getInteger(at: position, as: UInt8.self) else {
                throw DNSWireError.truncated.at(position)
            }
            switch length & 0xC0 {
            case 0x00:
                if length == 0 {
                    wire.append(0)
                    self.offset = resumeAt ?? (position + 1)
                    return DomainName(uncheckedWire: wire)
                }
                let count = Int(length)
                guard position + 1 + count <= bound else { throw DNSWireError.truncated.at(position) }
                guard wire.count + 1 + count + 1 <= WireLimits.maxNameWireLength else {
                    throw DNSWireError.nameTooLong.at(position)
                }
                wire.append(length)
                self.message.withUnsafeReadableBytes { raw in
                    wire.append(contentsOf: raw[(position + 1)..<(position + 1 + count)])
                }
                position += 1 + count
            case 0xC0:
                guard position + 2 <= bound, let pointer = self.message.getInteger(at: position, as: UInt16.self)
                else {
                    throw DNSWireError.truncated.at(position)
                }
                let target = Int(pointer & 0x3FFF)
                guard target < position else {
                    throw DNSWireError.badPointer.at(position, "pointer to \(target) does not point backwards")
                }
                pointers += 1
                guard pointers <= WireLimits.maxCompressionPointers else {
                    throw DNSWireError.pointerLoop.at(position)
                }
                if resumeAt == nil { resumeAt = position + 2 }
                position = target
                bound = messageEnd
            default:
                throw DNSWireError.badLabelType.at(position, "label type 0x\(String(length & 0xC0, radix: 16))")
            }
        }
    }

    /// Runs `body` with ``end`` limited to the next `length` octets, and checks
    /// that `body` consumed exactly those octets.
    public mutating func withLimit<T>(
        _ length: Int,
        _ body: (inout WireReader) throws(DNSWireError) -> T
    ) throws(DNSWireError) -> T {
        let start = self.offset
        guard length >= 0, start + length <= self.end else {
            throw DNSWireError.rdataLengthMismatch.at(start, "length \(length) runs past the end")
        }
        let savedEnd = self.end
        self.end = start + length
        let value = try body(&self)
        guard self.offset == self.end else {
            throw DNSWireError.rdataLengthMismatch.at(start, "\(self.offset - start) of \(length) octets used")
        }
        self.end = savedEnd
        return value
    }
}
