// SPDX-License-Identifier: Apache-2.0

import DNSCore
import NIOCore

/// The parts of a query the answer depends on: header, the one question and
/// the OPT record (RFC 6891). Other records are skipped, not decoded.
public struct DNSRequest: Sendable, Hashable {
    /// The request header as received.
    public var header: Header
    /// The one question, its name in the case it was sent (echoed in the response).
    public var question: Question
    /// The OPT record, nil without EDNS.
    public var edns: EDNS?

    /// A request from its parts (tests, other front ends).
    public init(header: Header, question: Question, edns: EDNS? = nil) {
        self.header = header
        self.question = question
        self.edns = edns
    }
}

/// The outcome of reading a request.
public enum ParsedRequest: Sendable, Hashable {
    /// Not answerable: shorter than a header, or a response (QR set). Dropped.
    case drop
    /// Answer with only a header (and the question when it could be read) and
    /// this RCODE: FORMERR for a malformed message or QDCOUNT ≠ 1 (RFC 1035
    /// §4.1.1), NOTIMP for an opcode other than QUERY. `edns` is the request's
    /// OPT record when it could be read (the response then carries ours).
    case error(Header, Question?, RCode, edns: EDNS?)
    /// A query to answer.
    case query(DNSRequest)
}

extension ParsedRequest {
    /// Reads a request, decoding only what answering needs: the header, the
    /// question and the OPT record. Never throws and never traps on bad input.
    public static func parse(_ buffer: ByteBuffer) -> ParsedRequest {
        if let request = Self.parseCommon(buffer) { return .query(request) }
        return Self.parseGeneral(buffer)
    }

    /// ``parse(_:)`` for every shape of message, through `WireReader`.
    static func parseGeneral(_ buffer: ByteBuffer) -> ParsedRequest {
        guard let header = DNSMessage.header(of: buffer) else { return .drop }
        // A response is never answered (loops between servers).
        guard !header.isResponse else { return .drop }
        var reader = WireReader(message: buffer)
        // The four section counts in one buffer read (a header is known to be there).
        guard let counts = reader.message.getInteger(at: 4, as: UInt64.self) else { return .drop }
        let qd = UInt16(truncatingIfNeeded: counts >> 48)
        let an = UInt16(truncatingIfNeeded: counts >> 32)
        let ns = UInt16(truncatingIfNeeded: counts >> 16)
        let ar = UInt16(truncatingIfNeeded: counts)
        reader.offset = 12
        var question: Question? = nil
        if qd == 1 {
            question = try? Question(wire: &reader)
        }
        // NOTIMP with the header alone, as NSD answers it.
        guard header.opcode == .query else { return .error(header, nil, .notImp, edns: nil) }
        guard qd <= 1 else { return .error(header, nil, .formErr, edns: nil) }
        guard qd == 0 || question != nil else { return .error(header, nil, .formErr, edns: nil) }
        do {
            for _ in 0..<(Int(an) + Int(ns)) {
                try Self.skipRecord(&reader)
            }
            var edns: EDNS? = nil
            for _ in 0..<Int(ar) {
                let start = reader.offset
                // The usual owner, the root (one 0 octet), is checked without building a name.
                let ownerIsRoot: Bool
                if reader.offset < reader.end, reader.message.getInteger(at: reader.offset, as: UInt8.self) == 0 {
                    reader.offset += 1
                    ownerIsRoot = true
                } else {
                    ownerIsRoot = try reader.readName().isRoot
                }
                let type = RecordType(try reader.readUInt16())
                guard type == .opt else {
                    reader.offset = start
                    try Self.skipRecord(&reader)
                    continue
                }
                // RFC 6891 §6.1.1: one OPT, owned by the root.
                guard edns == nil, ownerIsRoot else { return .error(header, question, .formErr, edns: nil) }
                let optClass = try reader.readUInt16()
                let ttl = try reader.readUInt32()
                let length = Int(try reader.readUInt16())
                edns = try reader.withLimit(length) { (r: inout WireReader) throws(DNSWireError) -> EDNS in
                    var options: [EDNSOption] = []
                    while !r.isAtEnd {
                        let code = EDNSOptionCode(try r.readUInt16())
                        let optionLength = Int(try r.readUInt16())
                        options.append(EDNSOption(code: code, data: try r.readBytes(optionLength)))
                    }
                    var value = EDNS(udpPayloadSize: optClass, version: UInt8((ttl >> 16) & 0xFF), options: options)
                    value.extendedRCodeHigh = UInt8(ttl >> 24)
                    value.flags = UInt16(ttl & 0xFFFF)
                    return value
                }
            }
            guard reader.isAtEnd else { return .error(header, question, .formErr, edns: edns) }
            // QDCOUNT 0: FORMERR (RFC 1035 §4.1.2), with the OPT record read so
            // a cookie layer can answer RFC 7873 §5.4 "query for a server cookie" instead.
            guard let question else { return .error(header, nil, .formErr, edns: edns) }
            return .query(DNSRequest(header: header, question: question, edns: edns))
        } catch {
            return .error(header, question, .formErr, edns: nil)
        }
    }

    /// The common query, read from one view of its octets: QR clear, opcode
    /// QUERY, one question whose name has no compression pointer, no answer
    /// or authority records, and at most an OPT record (owned by the root,
    /// options well formed) as the whole additional section. Nil for
    /// anything else, which ``parse(_:)`` then reads the general way (and
    /// answers FORMERR or NOTIMP when it must); both give the same request.
    /// The server's hot path calls this first, without the enum.
    public static func parseCommon(_ buffer: ByteBuffer) -> DNSRequest? {
        Self.parseCommon(buffer, names: nil)
    }

    /// ``parseCommon(_:)``, taking the question name from `names` when one
    /// of its zones has that owner name, case included (no allocation).
    static func parseCommon(_ buffer: ByteBuffer, names: ZoneTable?) -> DNSRequest? {
        buffer.withUnsafeReadableBytes { raw -> DNSRequest? in
            let n = raw.count
            guard n >= 17 else { return nil }
            @inline(__always) func u16(_ at: Int) -> UInt16 { UInt16(raw[at]) << 8 | UInt16(raw[at + 1]) }
            let flags = u16(2)
            // QR clear and opcode QUERY; QD 1, AN 0, NS 0, AR 0 or 1.
            guard flags & 0xF800 == 0, u16(4) == 1, u16(6) == 0, u16(8) == 0 else { return nil }
            let ar = u16(10)
            guard ar <= 1 else { return nil }
            var i = 12
            while true {
                guard i < n, i - 12 < WireLimits.maxNameWireLength else { return nil }
                let length = Int(raw[i])
                if length == 0 { break }
                guard length <= WireLimits.maxLabelLength else { return nil }
                i += length + 1
            }
            i += 1
            guard i - 12 <= WireLimits.maxNameWireLength, i + 4 <= n else { return nil }
            let wire = UnsafeRawBufferPointer(rebasing: raw[12..<i])
            guard let name = names?.storedName(wire: wire) ?? (try? DomainName(wire: wire)) else { return nil }
            let question = Question(name: name, type: RecordType(u16(i)), dnsClass: DNSClass(u16(i + 2)))
            i += 4
            let header = Header(id: u16(0), flags: flags)
            guard ar == 1 else { return i == n ? DNSRequest(header: header, question: question) : nil }
            // RFC 6891 §6.1.2: root owner, TYPE OPT, CLASS payload size, TTL, RDLENGTH, options.
            guard i + 11 <= n, raw[i] == 0, u16(i + 1) == RecordType.opt.rawValue else { return nil }
            let payload = u16(i + 3)
            let ttlHigh = u16(i + 5)
            let ttlLow = u16(i + 7)
            let length = Int(u16(i + 9))
            i += 11
            guard i + length == n else { return nil }
            var options: [EDNSOption] = []
            while i < n {
                guard i + 4 <= n else { return nil }
                let code = EDNSOptionCode(u16(i))
                let optionLength = Int(u16(i + 2))
                i += 4
                guard i + optionLength <= n else { return nil }
                options.append(EDNSOption(code: code, data: Array(raw[i..<(i + optionLength)])))
                i += optionLength
            }
            var edns = EDNS(udpPayloadSize: payload, version: UInt8(truncatingIfNeeded: ttlHigh), options: options)
            edns.extendedRCodeHigh = UInt8(truncatingIfNeeded: ttlHigh >> 8)
            edns.flags = ttlLow
            return DNSRequest(header: header, question: question, edns: edns)
        }
    }

    /// Skips one resource record without decoding its data.
    private static func skipRecord(_ reader: inout WireReader) throws(DNSWireError) {
        _ = try reader.readName()
        _ = try reader.readUInt32()  // type, class
        _ = try reader.readUInt32()  // TTL
        let length = Int(try reader.readUInt16())
        guard length <= reader.remaining else { throw DNSWireError.truncated.at(reader.offset) }
        reader.offset += length
    }
}
