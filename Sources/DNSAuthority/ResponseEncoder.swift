// SPDX-License-Identifier: Apache-2.0

import DNSCore
import NIOCore

/// Writes a response message in wire form, faster than
/// `DNSMessage.serialize` on the answer path: name compression
/// (RFC 1035 §4.1.4) uses a short list of suffix hashes scanned linearly, with
/// label offsets kept on the stack, so a response costs no per-name allocation.
///
/// Names are compressed as owners and in the RDATA of the RFC 1035 types that
/// answers carry (NS, CNAME, PTR, MX, SOA); other RDATA is written as is,
/// uncompressed (RFC 3597 §4 forbids compressing newer types anyway).
///
/// Truncation as `serialize`: whole RRsets only; a missing answer or authority
/// RRset sets TC; the additional section stops at the first RRset that does not
/// fit; the OPT record is always kept. Returns how many additional records fit.
struct ResponseEncoder {
    private var writer: WireWriter
    /// (hash of a name suffix, message offset of its first label), in offset order.
    private var entries: SuffixEntries

    private init(capacity: Int, entries: UnsafeMutableBufferPointer<SuffixEntries.Entry>) {
        // One allocation of the final capacity (`ByteBuffer()` then reserving would make two).
        self.writer = WireWriter(buffer: ByteBufferAllocator().buffer(capacity: capacity), mode: .uncompressed)
        self.entries = SuffixEntries(stack: entries)
    }

    /// Encodes `message` within `maxSize` octets; returns the buffer and the
    /// number of additional records (OPT excluded) written.
    static func encode(_ message: DNSMessage, maxSize: Int) -> (ByteBuffer, additionalWritten: Int) {
        withUnsafeTemporaryAllocation(of: SuffixEntries.Entry.self, capacity: SuffixEntries.stackCapacity) { stack in
            var encoder = ResponseEncoder(capacity: min(maxSize, 1232), entries: stack)
            let written = encoder.write(message, maxSize: maxSize)
            return (encoder.writer.buffer, written)
        }
    }

    private mutating func write(_ message: DNSMessage, maxSize: Int) -> Int {
        let reserve = message.edns.map { $0.wireLength } ?? 0
        let limit = max(12, maxSize - reserve)
        var header = message.header
        let headerAt = self.writer.buffer.writerIndex
        // ID, flags and four zero counts (set at the end) in one buffer call.
        var headerFields: (UInt16, UInt16, UInt16, UInt16, UInt16, UInt16) = (
            header.id.bigEndian, header.flags.bigEndian, 0, 0, 0, 0
        )
        withUnsafeBytes(of: &headerFields) { self.writer.buffer.writeBytes($0) }
        var counts = (question: 0, answer: 0, authority: 0, additional: 0)
        var truncated = false
        for question in message.questions {
            self.writeName(question.name, compress: true)
            self.writer.writeUInt32(UInt32(question.type.rawValue) << 16 | UInt32(question.dnsClass.rawValue))
        }
        counts.question = message.questions.count
        if self.writer.count > limit {
            self.rollback(to: 12)
            counts.question = 0
            truncated = true
        }
        if !truncated {
            let answers = self.writeSection(message.answers, limit: limit)
            counts.answer = answers.count
            truncated = !answers.complete
        }
        if !truncated {
            let authorities = self.writeSection(message.authorities, limit: limit)
            counts.authority = authorities.count
            truncated = !authorities.complete
        }
        if !truncated {
            counts.additional = self.writeSection(message.additionals, limit: limit).count
        }
        let additionalWritten = counts.additional
        if let edns = message.edns {
            self.writeOPT(edns, rcode: message.rcode)
            counts.additional += 1
        }
        if truncated { header.truncated = true }
        self.writer.buffer.setInteger(header.flags, at: headerAt + 2)
        self.writer.buffer.setInteger(UInt16(truncatingIfNeeded: counts.question), at: headerAt + 4)
        self.writer.buffer.setInteger(UInt16(truncatingIfNeeded: counts.answer), at: headerAt + 6)
        self.writer.buffer.setInteger(UInt16(truncatingIfNeeded: counts.authority), at: headerAt + 8)
        self.writer.buffer.setInteger(UInt16(truncatingIfNeeded: counts.additional), at: headerAt + 10)
        return additionalWritten
    }

    /// Writes RRsets (runs of records with the same owner, type and class)
    /// while they fit; `complete` is false when one had to be left out.
    private mutating func writeSection(_ records: [ResourceRecord], limit: Int) -> (count: Int, complete: Bool) {
        var i = 0
        var count = 0
        // The run before, which the RRSIGs of this run may cover.
        var previous: (mark: Int, start: Int, count: Int) = (0, 0, 0)
        while i < records.count {
            let mark = self.writer.count
            var j = i
            repeat {
                self.writeRecord(records[j])
                j += 1
            } while j < records.count && records[j].type == records[i].type
                && records[j].dnsClass == records[i].dnsClass && records[j].name == records[i].name
            if self.writer.count > limit {
                // RFC 4035 §3.1.1: the RRSIGs that do not fit take the RRset they cover with them.
                if previous.count > 0, case .rrsig(let sig) = records[i].rdata,
                    records[previous.start].type == sig.typeCovered, records[previous.start].name == records[i].name
                {
                    self.rollback(to: previous.mark)
                    return (count - previous.count, false)
                }
                self.rollback(to: mark)
                return (count, false)
            }
            previous = (mark, i, j - i)
            count += j - i
            i = j
        }
        return (count, true)
    }

    private mutating func writeRecord(_ record: ResourceRecord) {
        self.writeName(record.name, compress: true)
        // TYPE, CLASS, TTL and a placeholder RDLENGTH in one buffer call.
        var fixed: (UInt16, UInt16, UInt32, UInt16) = (
            record.type.rawValue.bigEndian, record.dnsClass.rawValue.bigEndian, record.ttl.bigEndian, 0
        )
        withUnsafeBytes(of: &fixed) { self.writer.buffer.writeBytes(UnsafeRawBufferPointer(rebasing: $0[0..<10])) }
        let start = self.writer.buffer.writerIndex
        let lengthAt = start - 2
        switch record.rdata {
        case .ns(let name), .cname(let name), .ptr(let name):
            self.writeName(name, compress: true)
        case .mx(let mx):
            self.writer.writeUInt16(mx.preference)
            self.writeName(mx.exchange, compress: true)
        case .soa(let soa):
            self.writeName(soa.mname, compress: true)
            self.writeName(soa.rname, compress: true)
            var numbers: (UInt32, UInt32, UInt32, UInt32, UInt32) = (
                soa.serial.bigEndian, soa.refresh.bigEndian, soa.retry.bigEndian, soa.expire.bigEndian,
                soa.minimum.bigEndian
            )
            withUnsafeBytes(of: &numbers) { self.writer.buffer.writeBytes($0) }
        case .dname(let name):
            // Not compressed (RFC 6672 §2.5), but later names may point into it.
            self.writeName(name, compress: false)
        case .srv(let srv):
            // Not compressed (RFC 2782), but later names may point into it.
            self.writer.writeUInt16(srv.priority)
            self.writer.writeUInt16(srv.weight)
            self.writer.writeUInt16(srv.port)
            self.writeName(srv.target, compress: false)
        default:
            record.rdata.write(to: &self.writer)
        }
        self.writer.patchUInt16(UInt16(truncatingIfNeeded: self.writer.buffer.writerIndex - start), at: lengthAt)
    }

    /// The OPT pseudo-record (RFC 6891 §6.1.2), with the high bits of `rcode`.
    private mutating func writeOPT(_ edns: EDNS, rcode: RCode) {
        // Root owner, TYPE, CLASS (payload size), TTL (extended RCODE, version,
        // flags) and a placeholder RDLENGTH in one buffer call.
        let type = RecordType.opt.rawValue
        let size = edns.udpPayloadSize
        var fixed: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (
            0, UInt8(type >> 8), UInt8(type & 0xFF), UInt8(size >> 8), UInt8(size & 0xFF),
            UInt8(truncatingIfNeeded: rcode.rawValue >> 4), edns.version, UInt8(edns.flags >> 8),
            UInt8(edns.flags & 0xFF), 0, 0
        )
        withUnsafeBytes(of: &fixed) { self.writer.buffer.writeBytes($0) }
        let start = self.writer.buffer.writerIndex
        let lengthAt = start - 2
        for option in edns.options {
            self.writer.writeUInt16(option.code.rawValue)
            self.writer.writeUInt16(UInt16(truncatingIfNeeded: option.data.count))
            self.writer.writeBytes(option.data)
        }
        self.writer.patchUInt16(UInt16(truncatingIfNeeded: self.writer.buffer.writerIndex - start), at: lengthAt)
    }

    private mutating func rollback(to count: Int) {
        self.writer.rollback(to: count)
        self.entries.removeAll(from: count)
    }

    /// Writes `name`, pointing at the longest suffix already in the message.
    private mutating func writeName(_ name: DomainName, compress: Bool) {
        let start = self.writer.count
        name.wire.withUnsafeBufferPointer { wire in
            withUnsafeTemporaryAllocation(of: (offset: Int, hash: UInt64).self, capacity: 128) { suffixes in
                // Label offsets, and the hash of the suffix from each label (built right to left).
                var n = 0
                var i = 0
                while i < wire.count && wire[i] != 0 && n < 128 {
                    suffixes[n] = (i, 0)
                    n += 1
                    i += Int(wire[i]) + 1
                }
                var running: UInt64 = 0xcbf2_9ce4_8422_2325
                var k = n - 1
                while k >= 0 {
                    let at = suffixes[k].offset
                    let length = Int(wire[at])
                    running = (running ^ UInt64(length)) &* 0x100_0000_01b3
                    for p in (at + 1)..<(at + 1 + length) {
                        running = (running ^ UInt64(asciiLowered(wire[p]))) &* 0x100_0000_01b3
                    }
                    suffixes[k].hash = running
                    k -= 1
                }
                var matched = n  // label index where the pointer goes (n: none)
                var target = 0
                if compress {
                    search: for s in 0..<n {
                        if let offset = self.entries.offset(ofHash: suffixes[s].hash),
                            self.matches(wire, from: suffixes[s].offset, at: offset)
                        {
                            matched = s
                            target = offset
                            break search
                        }
                    }
                }
                if matched < n {
                    // A name compressed whole (an owner repeating the question) is the pointer alone.
                    if suffixes[matched].offset > 0 {
                        self.writer.writeBytes(UnsafeBufferPointer(rebasing: wire[0..<suffixes[matched].offset]))
                    }
                    self.writer.writeUInt16(0xC000 | UInt16(target))
                } else {
                    self.writer.writeBytes(wire)
                }
                // Remember the suffixes now present in full (those before the pointer).
                for s in 0..<matched {
                    let at = start + suffixes[s].offset
                    guard at < 0x4000 else { break }
                    let hash = suffixes[s].hash
                    if self.entries.offset(ofHash: hash) == nil {
                        self.entries.append((hash, at))
                    }
                }
            }
        }
    }

    /// True when the name at message offset `position` equals the suffix of
    /// `wire` from `labelOffset`, case-insensitively, following pointers.
    private func matches(_ wire: UnsafeBufferPointer<UInt8>, from labelOffset: Int, at position: Int) -> Bool {
        let base = self.writer.messageStart
        var i = labelOffset
        var position = position
        var hops = 0
        while true {
            guard let length = self.writer.buffer.getInteger(at: base + position, as: UInt8.self) else { return false }
            if length & 0xC0 == 0xC0 {
                guard let low = self.writer.buffer.getInteger(at: base + position + 1, as: UInt8.self) else {
                    return false
                }
                let next = Int(length & 0x3F) << 8 | Int(low)
                hops += 1
                guard next < position, hops < 128 else { return false }
                position = next
                continue
            }
            guard length & 0xC0 == 0, i < wire.count, length == wire[i] else { return false }
            if length == 0 { return true }
            for k in 1...Int(length) {
                guard let b = self.writer.buffer.getInteger(at: base + position + k, as: UInt8.self),
                    asciiLowered(b) == asciiLowered(wire[i + k])
                else { return false }
            }
            i += Int(length) + 1
            position += Int(length) + 1
        }
    }
}

@inline(__always)
private func asciiLowered(_ byte: UInt8) -> UInt8 {
    (byte &- 0x41) < 26 ? byte | 0x20 : byte
}

/// The compression table of ``ResponseEncoder``: suffix hashes (unique) and
/// their message offsets, in offset order. Kept in stack memory given by the
/// caller; a response with more suffixes than that (large TCP answers) goes on
/// in a heap array, so the output does not depend on the stack size.
struct SuffixEntries {
    typealias Entry = (hash: UInt64, offset: Int)
    /// Entries kept on the stack: more than any UDP response holds.
    static let stackCapacity = 128

    private let stack: UnsafeMutableBufferPointer<Entry>
    private var stackCount = 0
    private var overflow: [Entry] = []

    init(stack: UnsafeMutableBufferPointer<Entry>) {
        self.stack = stack
    }

    /// The offset of the suffix with `hash`, if one was recorded.
    @inline(__always)
    func offset(ofHash hash: UInt64) -> Int? {
        for i in 0..<self.stackCount where self.stack[i].hash == hash { return self.stack[i].offset }
        for entry in self.overflow where entry.hash == hash { return entry.offset }
        return nil
    }

    mutating func append(_ entry: Entry) {
        if self.stackCount < self.stack.count {
            self.stack[self.stackCount] = entry
            self.stackCount += 1
        } else {
            self.overflow.append(entry)
        }
    }

    /// Forgets the suffixes at or after message offset `offset` (rollback).
    mutating func removeAll(from offset: Int) {
        while let last = self.overflow.last, last.offset >= offset { self.overflow.removeLast() }
        guard self.overflow.isEmpty else { return }
        while self.stackCount > 0, self.stack[self.stackCount - 1].offset >= offset { self.stackCount -= 1 }
    }
}
