// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSZone

/// Encodes a response straight from the zone's RRsets into raw memory: the
/// ``AnswerSink`` of the answer path. No `DNSMessage`, no `ResourceRecord`,
/// no per-field buffer call: the answer logic hands over RRsets and this
/// writes them as it gets them.
///
/// Output is the same, octet for octet, as ``ResponseEncoder`` on the
/// message ``AnswerBuilder`` collects:
/// - names are compressed (RFC 1035 §4.1.4) as owners and in the RDATA of
///   NS, CNAME, PTR, MX and SOA, pointing at the earliest copy of the longest
///   suffix already written (every suffix written in full is a candidate,
///   DNAME and SRV targets too, though they are not compressed themselves);
///   other RDATA is written uncompressed (RFC 3597 §4);
/// - truncation keeps whole runs (an RRset's records, then its RRSIGs): a
///   run of the answer or authority section that does not fit, or of
///   required glue (RFC 9471 §3), sets TC and ends the message; other
///   additional data stops silently (RFC 2181 §9); the OPT record always fits.
///
/// What this cannot write the same way (the compression table full, names
/// past offset 0x4000 in large TCP answers) sets ``needsFallback``, and the
/// caller encodes the response the general way instead. Running out of
/// memory before the size limit sets ``needsLargerBuffer``.
struct WireResponse: AnswerSink {
    /// A compression candidate: a suffix written in full at `offset`, of
    /// `length` octets uncompressed (root included).
    /// Eight octets, so that the table (512 octets) stays on the stack.
    struct Entry {
        private var packed: (UInt16, UInt16, UInt16, UInt16)
        var offset: Int { Int(self.packed.0) }
        var length: Int { Int(self.packed.1) }
        /// Octets written in full from `offset` (all of `length` unless
        /// the name went on with a pointer).
        var literal: Int { Int(self.packed.2) }
        /// When `literal < length`: the entry the pointer after the literal octets points at.
        var next: Int { Int(self.packed.3) }

        init(offset: Int, length: Int, literal: Int, next: Int) {
            self.packed = (
                UInt16(truncatingIfNeeded: offset), UInt16(truncatingIfNeeded: length),
                UInt16(truncatingIfNeeded: literal), UInt16(truncatingIfNeeded: next)
            )
        }
    }

    static let maxEntries = 64

    let dnssec: Bool
    private(set) var hasAnswers = false

    private let base: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    /// The largest message size without the OPT record.
    private let limit: Int
    /// True when `capacity` covers every octet the size limit allows.
    private let capacityCoversLimit: Bool
    private(set) var position = 0

    private let entries: UnsafeMutablePointer<Entry>
    private var entryCount = 0

    /// A write ran past `capacity` in the current run.
    private var overflowed = false
    /// The message was cut: TC set and no more records.
    private(set) var truncated = false
    /// No more records are written (truncated, or the additional section ended).
    private var stopped = false
    private(set) var needsFallback = false
    private(set) var needsLargerBuffer = false
    private(set) var counts = (question: 0, answer: 0, authority: 0, additional: 0)

    /// A writer into `capacity` octets at `base`, for a message of at most
    /// `limit` octets before an OPT record of `optLength` octets.
    init(
        base: UnsafeMutablePointer<UInt8>, capacity: Int, limit: Int, optLength: Int,
        entries: UnsafeMutablePointer<Entry>, dnssec: Bool
    ) {
        self.base = base
        self.capacity = capacity
        self.limit = limit
        self.capacityCoversLimit = capacity >= limit + optLength
        self.entries = entries
        self.dnssec = dnssec
    }

    /// True when nothing stopped the encoding half way (retry or fallback).
    var isComplete: Bool { !self.needsFallback && !self.needsLargerBuffer }

    // MARK: Primitives (each checks the capacity; the run checks the limit)

    @inline(__always)
    private mutating func reserve(_ n: Int) -> Bool {
        if self.overflowed || self.position + n > self.capacity {
            self.overflowed = true
            return false
        }
        return true
    }

    @inline(__always)
    private mutating func put16(_ v: UInt16) {
        guard self.reserve(2) else { return }
        self.base[self.position] = UInt8(truncatingIfNeeded: v >> 8)
        self.base[self.position + 1] = UInt8(truncatingIfNeeded: v)
        self.position += 2
    }

    @inline(__always)
    private mutating func put32(_ v: UInt32) {
        guard self.reserve(4) else { return }
        UnsafeMutableRawPointer(self.base + self.position).storeBytes(of: v.bigEndian, as: UInt32.self)
        self.position += 4
    }

    @inline(__always)
    private mutating func put8(_ v: UInt8) {
        guard self.reserve(1) else { return }
        self.base[self.position] = v
        self.position += 1
    }

    @inline(__always)
    private mutating func put(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        guard self.reserve(bytes.count) else { return }
        (self.base + self.position).update(from: source, count: bytes.count)
        self.position += bytes.count
    }

    @inline(__always)
    private mutating func put(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { self.put($0) }
    }

    /// A <character-string> as `WireWriter.writeCharacterString` writes it.
    private mutating func putCharacterString(_ bytes: some Collection<UInt8>) {
        self.put8(UInt8(truncatingIfNeeded: bytes.count))
        for byte in bytes { self.put8(byte) }
    }

    private mutating func patch16(_ v: UInt16, at offset: Int) {
        guard !self.overflowed else { return }
        self.base[offset] = UInt8(truncatingIfNeeded: v >> 8)
        self.base[offset + 1] = UInt8(truncatingIfNeeded: v)
    }

    // MARK: Names

    /// Writes `name`, as a pointer to the longest suffix already in the
    /// message when `compress`; remembers the suffixes it writes in full.
    private mutating func writeName(_ name: DomainName, compress: Bool) {
        name.wire.withUnsafeBufferPointer { self.writeName($0, compress: compress) }
    }

    private mutating func writeName(_ w: UnsafeBufferPointer<UInt8>, compress: Bool) {
        let start = self.position
        if start + w.count > 0x4000 {
            self.needsFallback = true
            return
        }
        // The longest suffix already present (label offset in `w`), if any.
        var matchAt = -1
        var match = 0
        var at = 0
        while at < w.count && w[at] != 0 {
            if let entry = self.find(w, from: at) {
                matchAt = at
                match = entry
                break
            }
            at += Int(w[at]) + 1
        }
        let pointer = compress && matchAt >= 0
        if pointer {
            self.put(UnsafeBufferPointer(rebasing: w[0..<matchAt]))
            self.put16(0xC000 | UInt16(self.entries[match].offset))
        } else {
            self.put(w)
        }
        guard !self.overflowed else { return }
        // Remember the suffixes now written in full, before the match.
        let literalEnd = matchAt >= 0 ? matchAt : w.count
        at = 0
        while at < literalEnd && at < w.count && w[at] != 0 {
            guard self.entryCount < Self.maxEntries else {
                self.needsFallback = true
                return
            }
            let length = w.count - at
            self.entries[self.entryCount] = Entry(
                offset: start + at, length: length, literal: pointer ? matchAt - at : length, next: match)
            self.entryCount += 1
            at += Int(w[at]) + 1
        }
    }

    /// The entry of the suffix of `w` from label offset `from`, if written
    /// in full before (each distinct suffix has one entry, its first copy).
    private func find(_ w: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        guard let wBase = w.baseAddress else { return nil }
        let length = w.count - from
        for i in 0..<self.entryCount where self.entries[i].length == length {
            // Compare the literal octets, then follow the pointer's entry.
            var entry = i
            var k = from
            var hops = 0
            while true {
                let e = self.entries[entry]
                guard foldedEqual(UnsafePointer(self.base + e.offset), wBase + k, e.literal) else { break }
                if e.literal == e.length { return i }
                k += e.literal
                entry = e.next
                hops += 1
                guard hops < 128, self.entries[entry].length == w.count - k else { break }
            }
        }
        return nil
    }

    // MARK: Header, question, records

    /// The header with zero counts (set by ``finish(flags:rcode:opt:)``) and
    /// the question (RFC 1035 §4.1.1, §4.1.2).
    mutating func writeHeader(id: UInt16, question: Question) {
        self.put16(id)
        for _ in 0..<5 { self.put16(0) }
        self.writeName(question.name, compress: true)
        self.put16(question.type.rawValue)
        self.put16(question.dnsClass.rawValue)
        self.counts.question = 1
        if self.overflowed || self.position > self.limit {
            self.position = 12
            self.entryCount = 0
            self.overflowed = false
            self.counts.question = 0
            self.truncated = true
            self.stopped = true
        }
    }

    /// One record: owner (compressed), TYPE, CLASS IN, TTL, RDLENGTH, RDATA.
    private mutating func writeRecord(owner: UnsafeBufferPointer<UInt8>, type: RecordType, ttl: UInt32, rdata: RDATA) {
        self.writeName(owner, compress: true)
        self.put16(type.rawValue)
        self.put16(DNSClass.in.rawValue)
        self.put32(ttl)
        self.put16(0)
        let start = self.position
        switch rdata {
        case .a(let a):
            guard self.reserve(4) else { return }
            let o = a.address.octets
            self.base[start] = o.0
            self.base[start + 1] = o.1
            self.base[start + 2] = o.2
            self.base[start + 3] = o.3
            self.position += 4
        case .aaaa(let aaaa):
            self.put(aaaa.address.bytes)
        case .ns(let name), .cname(let name), .ptr(let name):
            self.writeName(name, compress: true)
        case .mx(let mx):
            self.put16(mx.preference)
            self.writeName(mx.exchange, compress: true)
        case .soa(let soa):
            self.writeName(soa.mname, compress: true)
            self.writeName(soa.rname, compress: true)
            self.put32(soa.serial)
            self.put32(soa.refresh)
            self.put32(soa.retry)
            self.put32(soa.expire)
            self.put32(soa.minimum)
        case .dname(let name):
            // Not compressed (RFC 6672 §2.5), but later names may point into it.
            self.writeName(name, compress: false)
        case .srv(let srv):
            // Not compressed (RFC 2782), but later names may point into it.
            self.put16(srv.priority)
            self.put16(srv.weight)
            self.put16(srv.port)
            self.writeName(srv.target, compress: false)
        case .txt(let txt):
            for string in txt.strings { self.putCharacterString(string) }
        case .caa(let caa):
            self.put8(caa.flags)
            self.putCharacterString(caa.tag.prefix(255))
            self.put(caa.value)
        case .rrsig(let sig):
            self.put16(sig.typeCovered.rawValue)
            self.put8(sig.algorithm.rawValue)
            self.put8(sig.labels)
            self.put32(sig.originalTTL)
            self.put32(sig.expiration)
            self.put32(sig.inception)
            self.put16(sig.keyTag)
            sig.signerName.wire.withUnsafeBufferPointer { self.put($0) }
            self.put(sig.signature)
        default:
            self.put(rdata.wireBytes)
        }
        self.patch16(UInt16(truncatingIfNeeded: self.position - start), at: start - 2)
    }

    /// Writes the records of one run (same owner and type); false, with
    /// nothing written, when the run does not fit.
    private mutating func writeRun(owner: DomainName, type: RecordType, ttl: UInt32, rdata: [RDATA]) -> Bool {
        let mark = self.position
        let entryMark = self.entryCount
        owner.wire.withUnsafeBufferPointer { o in
            for r in rdata { self.writeRecord(owner: o, type: type, ttl: ttl, rdata: r) }
        }
        if self.overflowed || self.position > self.limit {
            if self.overflowed && !self.capacityCoversLimit { self.needsLargerBuffer = true }
            self.position = mark
            self.entryCount = entryMark
            self.overflowed = false
            return false
        }
        return true
    }

    /// Writes an RRset and, with DO, its RRSIGs (two runs); the number of
    /// records written, nil when a run did not fit.
    private mutating func writeSet(_ set: RRSet, owner: DomainName?) -> Int? {
        let name = owner ?? set.name
        let mark = self.position
        let entryMark = self.entryCount
        guard self.writeRun(owner: name, type: set.type, ttl: set.ttl, rdata: set.rdata) else { return nil }
        guard self.dnssec, !set.signatures.isEmpty else { return set.rdata.count }
        guard self.writeRun(owner: name, type: .rrsig, ttl: set.signatureTTL, rdata: set.signatures) else {
            // RFC 4035 §3.1.1: an RRset goes with its RRSIGs or not at all.
            self.position = mark
            self.entryCount = entryMark
            return nil
        }
        return set.rdata.count + set.signatures.count
    }

    private var canWrite: Bool { !self.stopped && !self.needsFallback && !self.needsLargerBuffer }

    mutating func answer(_ set: RRSet, owner: DomainName?) {
        self.hasAnswers = true
        guard self.canWrite else { return }
        if let n = self.writeSet(set, owner: owner) {
            self.counts.answer += n
        } else {
            self.truncated = true
            self.stopped = true
        }
    }

    mutating func answerCNAME(owner: DomainName, ttl: UInt32, target: DomainName) {
        self.hasAnswers = true
        guard self.canWrite else { return }
        // A one-record run, written as `writeRun` writes one.
        let mark = self.position
        let entryMark = self.entryCount
        owner.wire.withUnsafeBufferPointer { o in
            self.writeRecord(owner: o, type: .cname, ttl: ttl, rdata: .cname(target))
        }
        if self.overflowed || self.position > self.limit {
            if self.overflowed && !self.capacityCoversLimit { self.needsLargerBuffer = true }
            self.position = mark
            self.entryCount = entryMark
            self.overflowed = false
            self.truncated = true
            self.stopped = true
            return
        }
        self.counts.answer += 1
    }

    mutating func authority(_ set: RRSet) {
        guard self.canWrite else { return }
        if let n = self.writeSet(set, owner: nil) {
            self.counts.authority += n
        } else {
            self.truncated = true
            self.stopped = true
        }
    }

    mutating func additional(_ set: RRSet, required: Bool) {
        guard self.canWrite else { return }
        if let n = self.writeSet(set, owner: nil) {
            self.counts.additional += n
        } else {
            // The section ends here; missing required glue sets TC.
            if required { self.truncated = true }
            self.stopped = true
        }
    }

    // MARK: The end

    /// Writes the OPT record when `opt` (RFC 6891 §6.1.2: our payload size,
    /// the DO bit echoed, `options`), then the flags and counts into the
    /// header; returns the message length.
    mutating func finish(
        flags: UInt16, rcode: RCode, opt: (payloadSize: UInt16, dnssecOK: Bool, options: OptOptions)?
    ) -> Int {
        var additional = self.counts.additional
        if let opt {
            self.put8(0)
            self.put16(RecordType.opt.rawValue)
            self.put16(opt.payloadSize)
            self.put8(UInt8(truncatingIfNeeded: rcode.rawValue >> 4))
            self.put8(0)
            self.put16(opt.dnssecOK ? 0x8000 : 0)
            self.put16(UInt16(truncatingIfNeeded: opt.options.wireLength))
            opt.options.forEach { option in
                self.put16(option.code.rawValue)
                self.put16(UInt16(truncatingIfNeeded: option.data.count))
                self.put(option.data)
            }
            additional += 1
            if self.overflowed { self.needsLargerBuffer = true }
        }
        var header = flags | UInt16(rcode.rawValue & 0x0F)
        if self.truncated { header |= 0x0200 }
        self.patch16(header, at: 2)
        self.patch16(UInt16(truncatingIfNeeded: self.counts.question), at: 4)
        self.patch16(UInt16(truncatingIfNeeded: self.counts.answer), at: 6)
        self.patch16(UInt16(truncatingIfNeeded: self.counts.authority), at: 8)
        self.patch16(UInt16(truncatingIfNeeded: additional), at: 10)
        return self.position
    }
}

/// The options of our OPT record: NSID (RFC 5001) and a cookie (RFC 7873),
/// each optional, in that order; no array.
struct OptOptions {
    var first: EDNSOption?
    var second: EDNSOption?

    /// Octets of the options on the wire.
    var wireLength: Int {
        (self.first.map { 4 + $0.data.count } ?? 0) + (self.second.map { 4 + $0.data.count } ?? 0)
    }

    func forEach(_ body: (EDNSOption) -> Void) {
        if let first { body(first) }
        if let second { body(second) }
    }
}

@inline(__always)
private func asciiLower(_ byte: UInt8) -> UInt8 {
    (byte &- 0x41) < 26 ? byte | 0x20 : byte
}

/// True when `count` octets at `a` and `b` are equal with ASCII letters
/// folded (RFC 4343); eight at a time while they are equal as they are.
/// Used on label sequences that start on a label boundary, where folding
/// never changes a length octet (at most 63).
@inline(__always)
func foldedEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    var k = 0
    while k + 8 <= count {
        if UnsafeRawPointer(a + k).loadUnaligned(as: UInt64.self)
            != UnsafeRawPointer(b + k).loadUnaligned(as: UInt64.self)
        {
            for j in k..<(k + 8) where asciiLower(a[j]) != asciiLower(b[j]) { return false }
        }
        k += 8
    }
    while k < count {
        if a[k] != b[k] && asciiLower(a[k]) != asciiLower(b[k]) { return false }
        k += 1
    }
    return true
}
