// SPDX-License-Identifier: Apache-2.0

import NIOCore

/// A DNS message (RFC 1035 §4.1).
///
/// The OPT pseudo-record is not kept in ``additionals`` but decoded into
/// ``edns``; the RCODE is the full 12-bit value (RFC 6891 §6.1.3).
public struct DNSMessage: Sendable, Hashable {
    public var header: Header
    public var questions: [Question]
    public var answers: [ResourceRecord]
    public var authorities: [ResourceRecord]
    /// The additional section without the OPT record (a TSIG record, when
    /// present, stays last here).
    public var additionals: [ResourceRecord]
    public var edns: EDNS?

    public init(
        header: Header = Header(), questions: [Question] = [], answers: [ResourceRecord] = [],
        authorities: [ResourceRecord] = [], additionals: [ResourceRecord] = [], edns: EDNS? = nil
    ) {
        self.header = header
        self.questions = questions
        self.answers = answers
        self.authorities = authorities
        self.additionals = additionals
        self.edns = edns
    }

    /// A query for one question, with EDNS unless `edns` is nil.
    public static func query(
        id: UInt16, name: DomainName, type: RecordType, dnsClass: DNSClass = .in, recursionDesired: Bool = true,
        edns: EDNS? = EDNS()
    ) -> DNSMessage {
        var header = Header(id: id)
        header.recursionDesired = recursionDesired
        return DNSMessage(header: header, questions: [Question(name: name, type: type, dnsClass: dnsClass)], edns: edns)
    }

    /// The full response code: header bits plus the EDNS extension.
    public var rcode: RCode {
        get { RCode(UInt16(self.edns?.extendedRCodeHigh ?? 0) << 4 | UInt16(self.header.rcodeLow)) }
        set {
            self.header.rcodeLow = UInt8(newValue.rawValue & 0x0F)
            if self.edns != nil {
                self.edns?.extendedRCodeHigh = UInt8(truncatingIfNeeded: newValue.rawValue >> 4)
            }
        }
    }
}

extension DNSMessage {
    /// Decodes a whole message. Trailing octets after the last record are an error.
    public init(wire buffer: ByteBuffer, limits: WireLimits = .default) throws(DNSWireError) {
        var reader = WireReader(message: buffer, limits: limits)
        try self.init(reader: &reader)
        guard reader.isAtEnd else { throw DNSWireError.trailingData.at(reader.offset) }
    }

    public init(wire bytes: [UInt8], limits: WireLimits = .default) throws(DNSWireError) {
        try self.init(wire: ByteBuffer(bytes: bytes), limits: limits)
    }

    /// Decodes only the header (12 octets), for answering FORMERR when the rest is bad.
    /// Nil when fewer than 12 octets are readable.
    public static func header(of buffer: ByteBuffer) -> Header? {
        guard buffer.readableBytes >= 12,
            let id = buffer.getInteger(at: buffer.readerIndex, as: UInt16.self),
            let flags = buffer.getInteger(at: buffer.readerIndex + 2, as: UInt16.self)
        else { return nil }
        return Header(id: id, flags: flags)
    }

    /// The FORMERR reply to a query whose body does not parse: the same ID,
    /// opcode and RD bit, QR set, no sections and no OPT (RFC 6891 §7: a
    /// responder that cannot parse the OPT answers without one). Nil when
    /// there is no full header, or when the input is itself a response,
    /// which must never be answered.
    public static func formatErrorResponse(to buffer: ByteBuffer) -> DNSMessage? {
        guard let query = Self.header(of: buffer), !query.isResponse else { return nil }
        var header = Header(id: query.id)
        header.isResponse = true
        header.opcode = query.opcode
        header.recursionDesired = query.recursionDesired
        header.rcodeLow = UInt8(RCode.formErr.rawValue)
        return DNSMessage(header: header)
    }

    /// Decodes only the header of a message given as an array.
    public static func header(of bytes: [UInt8]) -> Header? {
        Self.header(of: ByteBuffer(bytes: bytes))
    }

    init(reader: inout WireReader) throws(DNSWireError) {
        let id = try reader.readUInt16()
        let flags = try reader.readUInt16()
        let qd = Int(try reader.readUInt16())
        let an = Int(try reader.readUInt16())
        let ns = Int(try reader.readUInt16())
        let ar = Int(try reader.readUInt16())
        guard an + ns + ar <= reader.limits.maxRecords else { throw DNSWireError.tooManyRecords.at(6) }
        // Every question takes at least 5 octets and every record 11: refuse
        // counts the message cannot hold before reserving anything.
        guard qd * 5 + (an + ns + ar) * 11 <= reader.remaining else {
            throw DNSWireError.truncated.at(4, "counts larger than the message")
        }
        self.header = Header(id: id, flags: flags)
        var questions: [Question] = []
        questions.reserveCapacity(qd)
        for _ in 0..<qd { questions.append(try Question(wire: &reader)) }
        self.questions = questions
        let update = self.header.opcode == .update
        self.answers = try Self.readSection(count: an, from: &reader, update: update)
        self.authorities = try Self.readSection(count: ns, from: &reader, update: update)
        self.edns = nil
        var additionals: [ResourceRecord] = []
        additionals.reserveCapacity(ar)
        for index in 0..<ar {
            let start = reader.offset
            let owner = try reader.readName()
            let type = RecordType(try reader.readUInt16())
            if type == .opt {
                // RFC 6891 §6.1.1: at most one OPT, owner the root.
                guard self.edns == nil else { throw DNSWireError.badValue.at(start, "more than one OPT record") }
                guard owner.isRoot else { throw DNSWireError.badValue.at(start, "OPT owner is not the root") }
                let optClass = try reader.readUInt16()
                let ttl = try reader.readUInt32()
                let length = Int(try reader.readUInt16())
                var edns = try reader.withLimit(length) { (r: inout WireReader) throws(DNSWireError) -> EDNS in
                    try EDNS(optClass: optClass, ttl: ttl, rdata: &r)
                }
                edns.ownerIsRoot = owner.isRoot
                self.edns = edns
                continue
            }
            reader.offset = start
            let record = try Self.readRecord(from: &reader, update: update)
            // RFC 8945 §5.1: TSIG must be the last record.
            if record.type == .tsig && index != ar - 1 {
                throw DNSWireError.badValue.at(start, "TSIG is not the last record")
            }
            additionals.append(record)
        }
        self.additionals = additionals
    }

    /// Reads the answer or authority section: OPT (RFC 6891 §6.1.1) and TSIG
    /// (RFC 8945 §5.1) belong only in the additional section.
    private static func readSection(
        count: Int, from reader: inout WireReader, update: Bool
    ) throws(DNSWireError) -> [ResourceRecord] {
        var records: [ResourceRecord] = []
        records.reserveCapacity(count)
        for _ in 0..<count {
            let start = reader.offset
            let record = try Self.readRecord(from: &reader, update: update)
            guard record.type != .opt else {
                throw DNSWireError.badValue.at(start, "OPT outside the additional section")
            }
            guard record.type != .tsig else {
                throw DNSWireError.badValue.at(start, "TSIG outside the additional section")
            }
            records.append(record)
        }
        return records
    }

    /// Reads one record. In an UPDATE, class ANY or NONE with RDLENGTH 0 is
    /// valid for every type (RFC 2136 §2.4, §2.5: "RRset exists", "delete an
    /// RRset"); such data is kept as empty opaque RDATA.
    private static func readRecord(from reader: inout WireReader, update: Bool) throws(DNSWireError) -> ResourceRecord {
        guard update else { return try ResourceRecord(wire: &reader) }
        let start = reader.offset
        let name = try reader.readName()
        let type = RecordType(try reader.readUInt16())
        let dnsClass = DNSClass(try reader.readUInt16())
        let ttl = try reader.readUInt32()
        let length = try reader.readUInt16()
        guard length == 0, dnsClass == DNSClass.any || dnsClass == DNSClass.none else {
            reader.offset = start
            return try ResourceRecord(wire: &reader)
        }
        return ResourceRecord(name: name, dnsClass: dnsClass, ttl: ttl, rdata: .unknown(type, RDATA.Opaque(bytes: [])))
    }
}

extension DNSMessage {
    /// Encodes the message with name compression.
    ///
    /// When `maxSize` is given and the message does not fit, whole RRsets are
    /// left out from the end and TC is set if an answer or authority RRset
    /// had to go (RFC 2181 §9: additional data may be dropped silently). The
    /// OPT record and a trailing TSIG are always kept, the TSIG written last
    /// (RFC 8945 §5.1); a truncated message must be signed again.
    public func serialize(maxSize: Int = 65535, into buffer: ByteBuffer = ByteBuffer()) -> ByteBuffer {
        var writer = WireWriter(buffer: buffer, mode: .message)
        writer.buffer.reserveCapacity(min(maxSize, 512))
        // RFC 8945 §5.1: a TSIG stays last, after the OPT record; both are
        // always kept, so their room is reserved up front.
        var additionals = self.additionals[...]
        var tsig: ResourceRecord? = nil
        if let last = additionals.last, last.type == .tsig {
            tsig = last
            additionals = additionals.dropLast()
        }
        var reserve = self.edns?.wireLength ?? 0
        if let tsig { reserve += tsig.name.wireLength + 10 + tsig.rdata.wireBytes.count }
        let limit = max(12, maxSize - reserve)
        var header = self.header
        let headerAt = writer.buffer.writerIndex
        writer.writeUInt16(header.id)
        writer.writeUInt16(header.flags)
        for _ in 0..<4 { writer.writeUInt16(0) }
        var counts = [0, 0, 0, 0]
        var truncated = false
        for q in self.questions {
            q.write(to: &writer)
        }
        counts[0] = self.questions.count
        if writer.count > limit {
            // Not even the question fits: send the header alone with TC.
            writer.rollback(to: 12)
            counts[0] = 0
            truncated = true
        }
        let sections = [self.answers[...], self.authorities[...], additionals]
        sectionLoop: for (s, records) in sections.enumerated() where !truncated {
            var i = records.startIndex
            while i < records.endIndex {
                // One RRset: consecutive records with the same owner, type and class.
                let mark = writer.count
                var j = i
                repeat {
                    records[j].write(to: &writer)
                    j += 1
                } while j < records.endIndex && records[j].type == records[i].type
                    && records[j].dnsClass == records[i].dnsClass && records[j].name == records[i].name
                if writer.count > limit {
                    writer.rollback(to: mark)
                    truncated = s < 2
                    break sectionLoop
                }
                counts[s + 1] += j - i
                i = j
            }
        }
        if let edns = self.edns {
            edns.write(to: &writer, rcode: self.rcode)
            counts[3] += 1
        }
        if let tsig {
            tsig.write(to: &writer)
            counts[3] += 1
        }
        if truncated { header.truncated = true }
        writer.buffer.setInteger(header.flags, at: headerAt + 2)
        for (k, c) in counts.enumerated() {
            writer.buffer.setInteger(UInt16(truncatingIfNeeded: c), at: headerAt + 4 + 2 * k)
        }
        return writer.buffer
    }

    /// The encoded message as an array (tests, tools).
    public var wireBytes: [UInt8] {
        let buffer = self.serialize()
        return buffer.getBytes(at: buffer.readerIndex, length: buffer.readableBytes) ?? []
    }
}
