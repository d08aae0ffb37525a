// SPDX-License-Identifier: Apache-2.0

import DNSCore

/// The on-disk form of a zone journal: a file header, then one
/// self-delimiting record per ``ZoneDiff``.
///
/// ```
/// file    = "HANONJ1\n" record*
/// record  = length:u32 crc32:u32 payload[length]
/// payload = version:u8 (=1) oldSOA newSOA count:u32 RR*count count:u32 RR*count
/// RR      = uncompressed wire form (RFC 1035 §4.1.3)
/// ```
///
/// All integers are big-endian. The CRC-32 (IEEE 802.3, as zlib) covers the
/// payload, so a record torn by a crash mid-write, or overwritten, fails the
/// check: decoding stops at the first bad record and never yields half a
/// change.
public enum JournalCodec {
    /// The first bytes of every journal file.
    public static let fileMagic: [UInt8] = Array("HANONJ1\n".utf8)
    /// Bytes before a record's payload: length and checksum.
    static let recordHeaderSize = 8
    /// Largest payload accepted when reading (a diff of ~16 MiB); larger lengths mean garbage.
    static let maxPayloadSize = 1 << 24
    static let payloadVersion: UInt8 = 1

    /// One encoded record (header and payload) for `diff`.
    public static func encodeRecord(_ diff: ZoneDiff) -> [UInt8] {
        var writer = WireWriter(mode: .uncompressed)
        writer.writeUInt8(Self.payloadVersion)
        diff.oldSOA.write(to: &writer)
        diff.newSOA.write(to: &writer)
        writer.writeUInt32(UInt32(truncatingIfNeeded: diff.deleted.count))
        for record in diff.deleted { record.write(to: &writer) }
        writer.writeUInt32(UInt32(truncatingIfNeeded: diff.added.count))
        for record in diff.added { record.write(to: &writer) }
        let payload = writer.bytes
        var out: [UInt8] = []
        out.reserveCapacity(payload.count + Self.recordHeaderSize)
        appendUInt32(UInt32(truncatingIfNeeded: payload.count), to: &out)
        appendUInt32(CRC32.checksum(payload), to: &out)
        out += payload
        return out
    }

    /// What a journal's bytes hold.
    public struct Decoded: Sendable, Hashable {
        /// The diffs of the intact records, in file order.
        public var diffs: [ZoneDiff]
        /// The file offset just after the last intact record (the header size
        /// for a journal without records; 0 when the header itself is bad).
        public var validLength: Int
        /// False when the file does not start with ``fileMagic``.
        public var hasValidHeader: Bool
        /// True when bytes follow the last intact record (a torn or corrupt tail).
        public var hasTrailingGarbage: Bool
    }

    /// Decodes a whole journal file, stopping at the first record that is
    /// incomplete, fails its checksum, or does not decode. Never traps.
    public static func decode(_ bytes: [UInt8]) -> Decoded {
        guard bytes.count >= fileMagic.count, bytes[0..<fileMagic.count].elementsEqual(fileMagic) else {
            return Decoded(diffs: [], validLength: 0, hasValidHeader: false, hasTrailingGarbage: !bytes.isEmpty)
        }
        var diffs: [ZoneDiff] = []
        var offset = fileMagic.count
        while let (diff, next) = decodeRecord(bytes, at: offset) {
            diffs.append(diff)
            offset = next
        }
        return Decoded(
            diffs: diffs, validLength: offset, hasValidHeader: true, hasTrailingGarbage: offset < bytes.count)
    }

    /// The record at `offset` and the offset after it; nil when there is none intact.
    static func decodeRecord(_ bytes: [UInt8], at offset: Int) -> (ZoneDiff, Int)? {
        guard bytes.count - offset >= recordHeaderSize else { return nil }
        let length = Int(readUInt32(bytes, offset))
        let checksum = readUInt32(bytes, offset + 4)
        let start = offset + recordHeaderSize
        guard length <= maxPayloadSize, bytes.count - start >= length else { return nil }
        let payload = bytes[start..<(start + length)]
        guard CRC32.checksum(payload) == checksum else { return nil }
        guard let diff = decodePayload(payload) else { return nil }
        return (diff, start + length)
    }

    /// A diff from a payload whose checksum matched; nil when it does not decode.
    static func decodePayload(_ payload: ArraySlice<UInt8>) -> ZoneDiff? {
        var reader = WireReader(bytes: payload)
        do {
            guard try reader.readUInt8() == payloadVersion else { return nil }
            let oldSOA = try ResourceRecord(wire: &reader)
            let newSOA = try ResourceRecord(wire: &reader)
            guard oldSOA.type == .soa, newSOA.type == .soa else { return nil }
            var lists: [[ResourceRecord]] = []
            for _ in 0..<2 {
                let count = Int(try reader.readUInt32())
                // Every record takes at least 11 octets.
                guard count <= reader.remaining / 11 else { return nil }
                var records: [ResourceRecord] = []
                records.reserveCapacity(count)
                for _ in 0..<count { records.append(try ResourceRecord(wire: &reader)) }
                lists.append(records)
            }
            guard reader.isAtEnd else { return nil }
            return ZoneDiff(oldSOA: oldSOA, newSOA: newSOA, deleted: lists[0], added: lists[1])
        } catch {
            return nil
        }
    }

    static func appendUInt32(_ value: UInt32, to out: inout [UInt8]) {
        out.append(UInt8(truncatingIfNeeded: value >> 24))
        out.append(UInt8(truncatingIfNeeded: value >> 16))
        out.append(UInt8(truncatingIfNeeded: value >> 8))
        out.append(UInt8(truncatingIfNeeded: value))
    }

    static func readUInt32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8
            | UInt32(bytes[offset + 3])
    }
}

/// CRC-32 of IEEE 802.3 (reflected polynomial 0xEDB88320), as zlib and gzip compute it.
enum CRC32 {
    static let table: [UInt32] = (0..<256).map { (n: Int) -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        let table = Self.table
        for byte in bytes {
            crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        return crc ^ 0xFFFF_FFFF
    }
}
