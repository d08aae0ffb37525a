// SPDX-License-Identifier: Apache-2.0

import DNSCore
import NIOCore
import Synchronization

/// A whole answer to one question, as the resolver serves it from cache:
/// the RCODE, answer and authority sections (RRSIGs and denials included),
/// the security status the validator gave it, and the answer pre-encoded
/// twice (with and without DNSSEC records, RFC 4035 §3.2.1) with the offset
/// of every TTL, so a hit is a copy plus a patch of the ID, flags and TTLs
/// (decremented by the time spent in cache, RFC 1035 §3.2.1).
public final class CachedAnswer: CacheCosting {
    public let rcode: RCode
    public let answers: [ResourceRecord]
    public let authorities: [ResourceRecord]
    /// Nil while not validated (fetched for the validator, or as a name server's address).
    public let status: SecurityStatus?
    /// When stored, and for how long it may be served.
    public let storedAt: ContinuousClock.Instant
    public let lifetime: UInt32
    /// Seconds in cache from which a hit starts a background refresh: the
    /// last tenth of ``lifetime`` (Unbound's `prefetch: yes` rule).
    public let prefetchAt: UInt32
    /// Set by the first hit past ``prefetchAt``: one refresh per entry.
    let prefetchStarted = Atomic<Bool>(false)
    /// On a SERVFAIL entry stored while serve-stale is on: the expired
    /// answer it replaced, served stale (RFC 8767) while this entry lives.
    public let stale: CachedAnswer?
    /// The encodings (header counts and flags set, ID zero, no OPT) and TTL offsets.
    let withDNSSEC: Encoded
    let withoutDNSSEC: Encoded

    struct Encoded {
        var bytes: [UInt8]
        var ttlOffsets: [Int]
        var ttls: [UInt32]
    }

    public init(
        question: Question, rcode: RCode, answers: [ResourceRecord], authorities: [ResourceRecord],
        status: SecurityStatus?, lifetime: UInt32, storedAt: ContinuousClock.Instant = .now,
        stale: CachedAnswer? = nil
    ) {
        self.rcode = rcode
        self.answers = answers
        self.authorities = authorities
        self.status = status
        self.lifetime = lifetime
        self.prefetchAt = lifetime - lifetime / 10
        self.storedAt = storedAt
        self.stale = stale
        self.withDNSSEC = Self.encode(question, rcode, answers, authorities)
        let keep = { (r: ResourceRecord) -> Bool in
            !Self.dnssecTypes.contains(r.type) || r.type == question.type
        }
        self.withoutDNSSEC = Self.encode(question, rcode, answers.filter(keep), authorities.filter(keep))
    }

    static let dnssecTypes: Set<RecordType> = [.rrsig, .nsec, .nsec3]

    public var cost: Int {
        self.withDNSSEC.bytes.count + self.withoutDNSSEC.bytes.count + 128 + (self.stale?.cost ?? 0)
    }

    /// Seconds left at `now`; nil once expired.
    public func remaining(at now: ContinuousClock.Instant) -> UInt32? {
        let elapsed = (now - self.storedAt).components.seconds
        guard elapsed >= 0, elapsed < Int64(self.lifetime) else { return nil }
        return UInt32(elapsed)
    }

    /// The records with their TTLs decremented by `elapsed` seconds.
    public func message(for question: Question, elapsed: UInt32) -> DNSMessage {
        var header = Header()
        header.isResponse = true
        header.recursionAvailable = true
        var message = DNSMessage(header: header, questions: [question])
        message.answers = self.answers.map { Self.aged($0, elapsed) }
        message.authorities = self.authorities.map { Self.aged($0, elapsed) }
        message.rcode = self.rcode
        return message
    }

    private static func aged(_ record: ResourceRecord, _ elapsed: UInt32) -> ResourceRecord {
        var record = record
        record.ttl = record.ttl > elapsed ? record.ttl - elapsed : 0
        return record
    }

    /// The answer to `query` (its ID, question spelling, RD and CD, AD as
    /// RFC 6840 §5.8 says, an OPT when it had one), or nil when the
    /// cheap path does not apply (too long for the client, an entry to
    /// answer SERVFAIL).
    func respond(to request: ByteBuffer, query: WireQuery, elapsed: UInt32, maxSize: Int) -> ByteBuffer? {
        let encoded = query.dnssecOK ? self.withDNSSEC : self.withoutDNSSEC
        let optLength = query.hasEDNS ? 11 : 0
        guard encoded.bytes.count + optLength <= maxSize else { return nil }
        var flags: UInt16 = 0x8000 | 0x0080 | (query.flags & 0x0100) | (query.flags & 0x0010)
        if case .secure = self.status, query.dnssecOK || query.authenticData { flags |= 0x0020 }
        flags |= self.rcode.rawValue & 0x0F
        var out = ByteBuffer()
        out.reserveCapacity(encoded.bytes.count + optLength)
        out.writeBytes(encoded.bytes)
        out.setInteger(query.id, at: 0)
        out.setInteger(flags, at: 2)
        // The question as the client spelled it (same length; case may differ).
        if let name = request.getSlice(at: request.readerIndex + 12, length: query.questionLength) {
            out.setBuffer(name, at: 12)
        }
        for (offset, ttl) in zip(encoded.ttlOffsets, encoded.ttls) {
            out.setInteger(ttl > elapsed ? ttl - elapsed : 0, at: offset)
        }
        if query.hasEDNS {
            let additional = out.getInteger(at: 10, as: UInt16.self) ?? 0
            out.setInteger(additional + 1, at: 10)
            out.writeInteger(UInt8(0))
            out.writeInteger(UInt16(41))
            out.writeInteger(UInt16(1232))
            out.writeInteger(UInt32(query.dnssecOK ? 0x8000 : 0))
            out.writeInteger(UInt16(0))
        }
        return out
    }

    private static func encode(
        _ question: Question, _ rcode: RCode, _ answers: [ResourceRecord], _ authorities: [ResourceRecord]
    ) -> Encoded {
        var header = Header()
        header.isResponse = true
        header.recursionAvailable = true
        var message = DNSMessage(header: header, questions: [question], answers: answers, authorities: authorities)
        message.rcode = rcode
        let buffer = message.serialize()
        let bytes = buffer.getBytes(at: buffer.readerIndex, length: buffer.readableBytes) ?? []
        var offsets: [Int] = []
        var ttls: [UInt32] = []
        Self.scanTTLs(bytes, into: &offsets, &ttls)
        return Encoded(bytes: bytes, ttlOffsets: offsets, ttls: ttls)
    }

    /// Finds the TTL field of every record of an encoded message.
    static func scanTTLs(_ bytes: [UInt8], into offsets: inout [Int], _ ttls: inout [UInt32]) {
        guard bytes.count >= 12 else { return }
        func u16(_ i: Int) -> Int { Int(bytes[i]) << 8 | Int(bytes[i + 1]) }
        func skipName(_ i: inout Int) -> Bool {
            while i < bytes.count {
                let b = bytes[i]
                if b == 0 {
                    i += 1
                    return true
                }
                if b & 0xC0 == 0xC0 {
                    i += 2
                    return i <= bytes.count
                }
                i += 1 + Int(b)
            }
            return false
        }
        let qd = u16(4)
        let records = u16(6) + u16(8) + u16(10)
        var i = 12
        for _ in 0..<qd {
            guard skipName(&i) else { return }
            i += 4
        }
        for _ in 0..<records {
            guard skipName(&i), i + 10 <= bytes.count else { return }
            offsets.append(i + 4)
            ttls.append(
                UInt32(bytes[i + 4]) << 24 | UInt32(bytes[i + 5]) << 16 | UInt32(bytes[i + 6]) << 8
                    | UInt32(bytes[i + 7]))
            i += 10 + u16(i + 8)
        }
    }
}
