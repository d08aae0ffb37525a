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
