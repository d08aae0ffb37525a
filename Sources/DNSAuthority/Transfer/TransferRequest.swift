// SPDX-License-Identifier: Apache-2.0

import DNSCore
import NIOCore

/// A zone transfer request: AXFR (RFC 5936 §2.1) or IXFR (RFC 1995 §3).
public struct TransferRequest: Sendable, Hashable {
    /// The request header as received.
    public var header: Header
    /// The one question: the zone apex, AXFR or IXFR, a class.
    public var question: Question
    /// The request's OPT record, nil without EDNS.
    public var edns: EDNS?
    /// IXFR only: the SOA in the authority section, carrying the serial the
    /// client has (RFC 1995 §3).
    public var clientSOA: ResourceRecord?

    /// A request from its parts (tests).
    public init(header: Header, question: Question, edns: EDNS? = nil, clientSOA: ResourceRecord? = nil) {
        self.header = header
        self.question = question
        self.edns = edns
        self.clientSOA = clientSOA
    }

    /// True for IXFR.
    public var isIncremental: Bool { self.question.type == .ixfr }

    /// The serial the client has (IXFR), nil for AXFR.
    public var clientSerial: UInt32? {
        guard let soa = self.clientSOA, case .soa(let fields) = soa.rdata else { return nil }
        return fields.serial
    }

    /// The question type when `buffer` is a QUERY with one question of type
    /// AXFR or IXFR; nil otherwise. Reads the header and skips the question
    /// name without building it: cheap enough for every TCP request.
    public static func peekType(_ buffer: ByteBuffer) -> RecordType? {
        let base = buffer.readerIndex
        guard let flags = buffer.getInteger(at: base + 2, as: UInt16.self),
            let qdcount = buffer.getInteger(at: base + 4, as: UInt16.self)
        else { return nil }
        let header = Header(id: 0, flags: flags)
        guard !header.isResponse, header.opcode == .query, qdcount == 1 else { return nil }
        var offset = base + 12
        // An uncompressed name (a question name is the first in the message,
        // so it has nothing to point back to).
        while true {
            guard let length = buffer.getInteger(at: offset, as: UInt8.self), length & 0xC0 == 0 else { return nil }
            offset += 1 + Int(length)
            if length == 0 { break }
            guard offset - base <= 12 + 255 else { return nil }
        }
        guard let type = buffer.getInteger(at: offset, as: UInt16.self) else { return nil }
        let recordType = RecordType(type)
        return recordType == .axfr || recordType == .ixfr ? recordType : nil
    }

    /// Why a transfer request cannot be served, and the RCODE to say so.
    public struct Problem: Error, Sendable, Hashable {
        /// The RCODE of the error response.
        public var rcode: RCode
        /// For the log.
        public var reason: String
    }

    /// Decodes a request ``peekType(_:)`` accepted. Malformed messages,
    /// an IXFR without exactly one SOA for the zone in its authority section
    /// (RFC 1995 §3) and records in the answer section are FORMERR.
    public static func parse(_ buffer: ByteBuffer) -> Result<TransferRequest, Problem> {
        let message: DNSMessage
        do {
            message = try DNSMessage(wire: buffer)
        } catch {
            return .failure(Problem(rcode: .formErr, reason: "malformed: \(error)"))
        }
        guard message.questions.count == 1, let question = message.questions.first else {
            return .failure(Problem(rcode: .formErr, reason: "QDCOUNT is not 1"))
        }
        guard message.answers.isEmpty else {
            return .failure(Problem(rcode: .formErr, reason: "records in the answer section"))
        }
        var request = TransferRequest(header: message.header, question: question, edns: message.edns)
        if question.type == .ixfr {
            let soas = message.authorities.filter { $0.type == .soa }
            guard soas.count == 1, let soa = soas.first, soa.name == question.name else {
                return .failure(Problem(rcode: .formErr, reason: "IXFR without the client's SOA"))
            }
            request.clientSOA = soa
        }
        return .success(request)
    }
}
