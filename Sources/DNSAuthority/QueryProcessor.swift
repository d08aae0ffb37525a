// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSZone
import NIOCore

/// Answers queries for the zones of a ``ZoneTable``, as NSD does with
/// `minimal-responses: yes`. Pure code: no sockets, no clock, no locks.
///
/// Stages (each in its own file): read the request (``ParsedRequest``),
/// answer it (``answer(_:transport:)``: EDNS checks, CHAOS, zone lookup, CNAME
/// and DNAME chains, additional data), then encode it within the size the
/// transport and the client allow (``encode(_:for:transport:)``).
///
/// The server calls ``respond(to:transport:)``. To add DNS cookies or rate
/// limiting, call the stages one by one instead: ``ParsedRequest/parse(_:)``,
/// inspect the request (its EDNS options), ``answer(_:transport:)``, change
/// the ``AuthorityResponse`` (add an option to `message.edns`, or replace
/// the message), then ``encode(_:for:transport:)``.
public final class QueryProcessor: Sendable {
    /// The zones answered for (immutable; a reload makes a new processor).
    public let zones: ZoneTable
    /// Payload size, NSID, identity and the other settings.
    public let options: AuthorityOptions

    /// A processor for `zones`.
    public init(zones: ZoneTable, options: AuthorityOptions = AuthorityOptions()) {
        self.zones = zones
        self.options = options
    }

    /// The wire response to a wire request, or nil when the request must be
    /// dropped (shorter than a header, or a response). Queries are answered
    /// by ``respondWire(to:transport:cookie:)``.
    public func respond(to request: ByteBuffer, transport: Transport) -> ByteBuffer? {
        if let query = ParsedRequest.parseCommon(request, names: self.zones) {
            return self.respondWire(to: query, transport: transport).buffer
        }
        switch ParsedRequest.parseGeneral(request) {
        case .drop:
            return nil
        case .error(let header, let question, let rcode, let edns):
            let response = self.errorResponse(header: header, question: question, rcode: rcode, edns: edns)
            return self.encode(response, for: edns, transport: transport)
        case .query(let query):
            return self.respondWire(to: query, transport: transport).buffer
        }
    }

    /// The response as a message (tests and tools): `request` is encoded,
    /// answered through the wire path, and the response decoded again.
    public func respond(to request: DNSMessage, transport: Transport) -> DNSMessage? {
        guard let buffer = self.respond(to: request.serialize(), transport: transport) else { return nil }
        return try? DNSMessage(wire: buffer)
    }

    /// The largest response allowed: 65535 octets over TCP; over UDP the
    /// client's EDNS payload size, at least 512 and at most ours
    /// (RFC 6891 §6.2.5), or 512 without EDNS (RFC 1035 §4.2.1).
    public func sizeLimit(for edns: EDNS?, transport: Transport) -> Int {
        switch transport {
        case .tcp: return 65535
        case .udp:
            guard let edns else { return 512 }
            return max(512, min(Int(edns.udpPayloadSize), self.options.maxUDPPayload))
        }
    }

    /// Encodes a response within the size limit (``sizeLimit(for:transport:)``).
    /// Whole RRsets are left out from the end when it does not fit: a missing
    /// answer or authority RRset, or missing required glue (RFC 9471 §3),
    /// sets TC; other additional data is dropped silently (RFC 2181 §9).
    public func encode(_ response: AuthorityResponse, for requestEDNS: EDNS?, transport: Transport) -> ByteBuffer {
        let limit = self.sizeLimit(for: requestEDNS, transport: transport)
        var (buffer, written) = ResponseEncoder.encode(response.message, maxSize: limit)
        if written < response.requiredAdditionalCount,
            let flags = buffer.getInteger(at: buffer.readerIndex + 2, as: UInt16.self)
        {
            buffer.setInteger(flags | 0x0200, at: buffer.readerIndex + 2)
        }
        return buffer
    }

    /// The response header for a request: QR set, ID, opcode, RD and CD
    /// copied (RFC 1035 §4.1.1, RFC 4035 §3.1.6).
    func responseHeader(for request: Header) -> Header {
        var header = Header(id: request.id)
        header.isResponse = true
        header.opcode = request.opcode
        header.recursionDesired = request.recursionDesired
        header.checkingDisabled = request.checkingDisabled
        return header
    }

    /// Our OPT record for a query that had one (RFC 6891 §6.1.1), with NSID
    /// when asked for and configured (RFC 5001 §2.2).
    func responseEDNS(for request: EDNS?) -> EDNS? {
        guard let request else { return nil }
        var edns = EDNS(udpPayloadSize: UInt16(clamping: self.options.maxUDPPayload), dnssecOK: request.dnssecOK)
        if let nsid = self.options.nsid, request.option(.nsid) != nil {
            edns.options.append(EDNSOption(code: .nsid, data: nsid))
        }
        return edns
    }

    /// A response with no records: FORMERR, NOTIMP, REFUSED, BADVERS; with
    /// an Extended DNS Error (RFC 8914) when given and the query had EDNS.
    public func errorResponse(
        header: Header, question: Question?, rcode: RCode, edns: EDNS?,
        extendedError: EDNSOption.ExtendedError.InfoCode? = nil
    ) -> AuthorityResponse {
        var message = DNSMessage(header: self.responseHeader(for: header))
        if let question { message.questions = [question] }
        message.edns = self.responseEDNS(for: edns)
        if let extendedError, message.edns != nil {
            message.edns?.options.append(EDNSOption.ExtendedError(extendedError).option)
        }
        message.rcode = rcode
        return AuthorityResponse(message: message, kind: rcode == .refused ? .refused : .error)
    }

    /// ``ParsedRequest/parseCommon(_:)`` with the question name taken from
    /// the zones when they own it, case included (the server's hot path).
    public func parseCommonQuery(_ request: ByteBuffer) -> DNSRequest? {
        ParsedRequest.parseCommon(request, names: self.zones)
    }

    /// Answers a parsed query: EDNS version (RFC 6891 §6.1.3), class
    /// (IN from the zones, CH from the identity settings), then the zone.
    public func answer(_ request: DNSRequest, transport: Transport) -> AuthorityResponse {
        if let edns = request.edns, edns.version > 0 {
            // RFC 6891 §6.1.3: BADVERS, with our OPT (version 0).
            return self.errorResponse(header: request.header, question: request.question, rcode: .badVers, edns: edns)
        }
        let question = request.question
        switch question.dnsClass {
        case .in:
            return self.answerInternet(request, transport: transport)
        case .any:
            // QCLASS * (RFC 1035 §3.2.5): answered from the IN data, never
            // authoritative (RFC 1034 §6.2.6 note; NSD does the same).
            var response = self.answerInternet(request, transport: transport)
            response.message.header.authoritative = false
            return response
        case .ch:
            return self.answerChaos(request)
        default:
            return self.errorResponse(header: request.header, question: question, rcode: .refused, edns: request.edns)
        }
    }
}
