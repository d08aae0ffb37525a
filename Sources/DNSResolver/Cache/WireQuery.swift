// SPDX-License-Identifier: Apache-2.0

import DNSCore
import NIOCore

/// What the cache-hit path needs of a query, read from its wire form
/// without decoding a ``DNSMessage``: the header, the one question and the
/// OPT record (RFC 1035 §4.1, RFC 6891 §6.1.2). Anything unusual (more
/// questions, records besides one OPT, a response) makes it nil, and the
/// query takes the full path.
struct WireQuery {
    var id: UInt16
    var flags: UInt16
    /// Offset of the question name from the reader index, and its length
    /// including the type and class (to be copied into the answer).
    var questionLength: Int
    var name: DomainName
    var type: RecordType
    var dnsClass: DNSClass
    var hasEDNS: Bool
    var ednsVersion: UInt8
    var udpPayloadSize: Int
    var dnssecOK: Bool

    var recursionDesired: Bool { self.flags & 0x0100 != 0 }
    var checkingDisabled: Bool { self.flags & 0x0010 != 0 }
    var authenticData: Bool { self.flags & 0x0020 != 0 }
    var opcode: UInt8 { UInt8((self.flags >> 11) & 0x0F) }

    init?(_ buffer: ByteBuffer) {
        let base = buffer.readerIndex
        let length = buffer.readableBytes
        guard length >= 17,
            let id = buffer.getInteger(at: base, as: UInt16.self),
            let flags = buffer.getInteger(at: base + 2, as: UInt16.self),
            buffer.getInteger(at: base + 4, as: UInt16.self) == 1,
            buffer.getInteger(at: base + 6, as: UInt16.self) == 0,
            buffer.getInteger(at: base + 8, as: UInt16.self) == 0,
            let arcount = buffer.getInteger(at: base + 10, as: UInt16.self), arcount <= 1,
            flags & 0x8000 == 0
        else { return nil }
        // The name: uncompressed labels only (a query has nothing to point to).
        var offset = 12
        while true {
            guard offset < length, let labelLength = buffer.getInteger(at: base + offset, as: UInt8.self),
                labelLength < 64
            else { return nil }
            offset += 1 + Int(labelLength)
            if labelLength == 0 { break }
        }
        guard offset <= 12 + 255, offset + 4 <= length,
            let nameBytes = buffer.getBytes(at: base + 12, length: offset - 12),
            let name = try? DomainName(wire: nameBytes),
            let type = buffer.getInteger(at: base + offset, as: UInt16.self),
            let dnsClass = buffer.getInteger(at: base + offset + 2, as: UInt16.self)
        else { return nil }
        self.id = id
        self.flags = flags
        self.name = name
        self.type = RecordType(type)
        self.dnsClass = DNSClass(dnsClass)
        self.questionLength = offset + 4 - 12
        offset += 4
        self.hasEDNS = false
        self.ednsVersion = 0
        self.udpPayloadSize = 512
        self.dnssecOK = false
        if arcount == 1 {
            // OPT: root owner, type 41, class = payload size, TTL = ext-rcode/version/flags.
            guard offset + 11 <= length,
                buffer.getInteger(at: base + offset, as: UInt8.self) == 0,
                buffer.getInteger(at: base + offset + 1, as: UInt16.self) == 41,
                let size = buffer.getInteger(at: base + offset + 3, as: UInt16.self),
                let version = buffer.getInteger(at: base + offset + 6, as: UInt8.self),
                let ednsFlags = buffer.getInteger(at: base + offset + 7, as: UInt16.self),
                let rdlength = buffer.getInteger(at: base + offset + 9, as: UInt16.self),
                offset + 11 + Int(rdlength) == length
            else { return nil }
            self.hasEDNS = true
            self.ednsVersion = version
            self.udpPayloadSize = max(512, Int(size))
            self.dnssecOK = ednsFlags & 0x8000 != 0
        } else if offset != length {
            return nil
        }
    }
}
