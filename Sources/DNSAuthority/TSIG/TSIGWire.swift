// SPDX-License-Identifier: Apache-2.0

import DNSCore
import NIOCore

/// A TSIG record found in a message's wire form.
public struct TSIGRecordLocation: Sendable, Hashable {
    /// Offset of the record's first octet from the message start: the
    /// message "without the TSIG" (RFC 8945 §4.3.1) is the octets before it.
    public var start: Int
    /// The record's owner, the key name.
    public var keyName: DomainName
    public var dnsClass: DNSClass
    public var ttl: UInt32
    public var rdata: RDATA.TSIG
}

/// What a scan of a message for its TSIG found.
public enum TSIGScan: Sendable, Hashable {
    /// No TSIG record.
    case absent
    /// A TSIG out of place (not last, two of them, outside the additional
    /// section — RFC 8945 §5.1), or a message that does not decode: FORMERR.
    case malformed(String)
    /// One TSIG, last in the additional section.
    case present(TSIGRecordLocation)
}

extension TSIG {
    /// True when the message might carry a TSIG: a record of type TSIG
    /// somewhere in it. Walks the names and record headers without
    /// allocating; a query with no records (AN, NS, AR all 0) costs one
    /// comparison. A message
    /// that does not decode before a TSIG is found says false (the normal
    /// path answers FORMERR).
    public static func mightBeSigned(_ message: ByteBuffer) -> Bool {
        message.withUnsafeReadableBytes { raw -> Bool in
            let n = raw.count
            guard n >= 12 else { return false }
            let records =
                (Int(raw[6]) << 8 | Int(raw[7])) + (Int(raw[8]) << 8 | Int(raw[9])) + (Int(raw[10]) << 8 | Int(raw[11]))
            guard records > 0 else { return false }
            let qd = Int(raw[4]) << 8 | Int(raw[5])
            var p = 12
            for _ in 0..<qd {
                guard Self.skipName(raw, &p), p + 4 <= n else { return false }
                p += 4
            }
            for _ in 0..<records {
                guard Self.skipName(raw, &p), p + 10 <= n else { return false }
                if raw[p] == 0x00 && raw[p + 1] == 0xFA { return true }
                p += 10 + (Int(raw[p + 8]) << 8 | Int(raw[p + 9]))
                guard p <= n else { return false }
            }
            return false
        }
    }

    /// Moves `p` past a name (a pointer ends it); false when it runs past the end.
    private static func skipName(_ raw: UnsafeRawBufferPointer, _ p: inout Int) -> Bool {
        while p < raw.count {
            let length = raw[p]
            switch length & 0xC0 {
            case 0x00:
                if length == 0 {
                    p += 1
                    return true
                }
                p += 1 + Int(length)
            case 0xC0:
                p += 2
                return p <= raw.count
            default:
                return false
            }
        }
        return false
    }

    /// Finds the TSIG record of a message and checks its place (RFC 8945
    /// §5.1): last in the additional section, only one, nowhere else; nothing
    /// after it. The TSIG RDATA is decoded; the rest is only walked.
    public static func scan(_ message: ByteBuffer) -> TSIGScan {
        var r = WireReader(message: message)
        do {
            guard r.remaining >= 12 else { return .malformed("shorter than a header") }
            r.offset = 4
            let qd = Int(try r.readUInt16())
            let an = Int(try r.readUInt16())
            let ns = Int(try r.readUInt16())
            let ar = Int(try r.readUInt16())
            for _ in 0..<qd {
                _ = try r.readName()
                _ = try r.readUInt32()
            }
            for _ in 0..<(an + ns) {
                _ = try r.readName()
                guard RecordType(try r.readUInt16()) != .tsig else {
                    return .malformed("TSIG outside the additional section")
                }
                try Self.skipRest(&r)
            }
            for index in 0..<ar {
                let start = r.offset
                let owner = try r.readName()
                guard RecordType(try r.readUInt16()) == .tsig else {
                    try Self.skipRest(&r)
                    continue
                }
                guard index == ar - 1 else { return .malformed("TSIG is not the last record") }
                let dnsClass = DNSClass(try r.readUInt16())
                let ttl = try r.readUInt32()
                let length = Int(try r.readUInt16())
                let rdata = try r.withLimit(length) { (inner: inout WireReader) throws(DNSWireError) in
                    try RDATA.TSIG(wire: &inner)
                }
                guard r.isAtEnd else { return .malformed("data after the TSIG record") }
                return .present(
                    TSIGRecordLocation(start: start, keyName: owner, dnsClass: dnsClass, ttl: ttl, rdata: rdata))
            }
            return .absent
        } catch {
            return .malformed("\(error)")
        }
    }

    /// Skips class, TTL and RDATA after a record's type.
    private static func skipRest(_ r: inout WireReader) throws(DNSWireError) {
        _ = try r.readUInt16()
        _ = try r.readUInt32()
        let length = Int(try r.readUInt16())
        guard length <= r.remaining else { throw DNSWireError.truncated.at(r.offset) }
        r.offset += length
    }

    /// The TSIG RR in wire form: owner (uncompressed), type, class ANY, TTL 0,
    /// RDATA (RFC 8945 §4.2).
    static func recordBytes(keyName: DomainName, rdata: RDATA.TSIG) -> [UInt8] {
        var writer = WireWriter(capacity: 64 + keyName.wireLength + rdata.mac.count, mode: .uncompressed)
        writer.writeBytes(keyName.wire)
        writer.writeUInt16(RecordType.tsig.rawValue)
        writer.writeUInt16(DNSClass.any.rawValue)
        writer.writeUInt32(0)
        let lengthAt = writer.reserveUInt16()
        let before = writer.count
        rdata.write(to: &writer)
        writer.patchUInt16(UInt16(truncatingIfNeeded: writer.count - before), at: lengthAt)
        return writer.bytes
    }

    /// Appends a TSIG RR to a message and adds one to its ARCOUNT.
    static func append(keyName: DomainName, rdata: RDATA.TSIG, to message: inout ByteBuffer) {
        let arAt = message.readerIndex + 10
        let ar = message.getInteger(at: arAt, as: UInt16.self) ?? 0
        message.writeBytes(Self.recordBytes(keyName: keyName, rdata: rdata))
        message.setInteger(ar &+ 1, at: arAt)
    }

    /// Feeds the message as it was before the TSIG was added (RFC 8945
    /// §4.3.1, §5.2): the octets before `tsigStart`, with the ID set to the
    /// original ID and ARCOUNT one less when `removeTSIG`.
    static func feedMessage(
        _ mac: inout TSIGMAC, _ message: ByteBuffer, upTo tsigStart: Int, originalID: UInt16?, removeTSIG: Bool
    ) {
        guard tsigStart >= 12, var header = message.getBytes(at: message.readerIndex, length: 12) else { return }
        if let originalID {
            header[0] = UInt8(originalID >> 8)
            header[1] = UInt8(originalID & 0xFF)
        }
        if removeTSIG {
            let ar = (UInt16(header[10]) << 8 | UInt16(header[11])) &- 1
            header[10] = UInt8(ar >> 8)
            header[11] = UInt8(ar & 0xFF)
        }
        mac.update(header)
        mac.update(message, offset: 12, length: tsigStart - 12)
    }

    /// Feeds a MAC as a prior MAC is digested: its length in two octets, then
    /// the MAC (RFC 8945 §4.3.2, §4.3.3 "Request MAC", §5.3.1 "Prior MAC").
    static func feedPriorMAC(_ mac: inout TSIGMAC, _ prior: [UInt8]) {
        mac.update([UInt8(truncatingIfNeeded: prior.count >> 8), UInt8(truncatingIfNeeded: prior.count)] + prior)
    }

    /// Feeds the TSIG variables (RFC 8945 §4.3.3): key name and algorithm in
    /// canonical form, class ANY, TTL 0, time signed, fudge, error, other data.
    static func feedVariables(_ mac: inout TSIGMAC, keyName: DomainName, rdata: RDATA.TSIG) {
        var bytes = keyName.lowercased().wire
        bytes.reserveCapacity(bytes.count + 32 + rdata.algorithm.wireLength + rdata.otherData.count)
        bytes += [0x00, 0xFF, 0, 0, 0, 0]
        bytes += rdata.algorithm.lowercased().wire
        bytes += Self.timers(rdata)
        bytes += [UInt8(rdata.error.rawValue >> 8), UInt8(rdata.error.rawValue & 0xFF)]
        let other = rdata.otherData.prefix(65535)
        bytes += [UInt8(other.count >> 8), UInt8(other.count & 0xFF)]
        bytes += other
        mac.update(bytes)
    }

    /// Time signed (48 bits) and fudge: what the later messages of a stream
    /// digest instead of all variables (RFC 8945 §5.3.1 "TSIG Timers").
    static func timers(_ rdata: RDATA.TSIG) -> [UInt8] {
        let t = rdata.timeSigned
        return [
            UInt8(truncatingIfNeeded: t >> 40), UInt8(truncatingIfNeeded: t >> 32), UInt8(truncatingIfNeeded: t >> 24),
            UInt8(truncatingIfNeeded: t >> 16), UInt8(truncatingIfNeeded: t >> 8), UInt8(truncatingIfNeeded: t),
            UInt8(rdata.fudge >> 8), UInt8(rdata.fudge & 0xFF),
        ]
    }

    /// A time as the 6 octets of BADTIME other data (RFC 8945 §5.2.3).
    static func uint48(_ t: UInt64) -> [UInt8] {
        (0..<6).map { UInt8(truncatingIfNeeded: t >> (40 - 8 * UInt64($0))) }
    }
}
