// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSZone
import NIOCore

/// A response encoded in one pass (``QueryProcessor/respondWire(to:transport:cookie:)``),
/// with what rate limiting and the query log need to know about it.
public struct WireAnswer: Sendable {
    /// The response in wire form.
    public var buffer: ByteBuffer
    /// What kind of response this is (rate limiting, logs).
    public var kind: ResponseKind
    /// The zone that answered, when one did.
    public var zone: DomainName?
    /// The owner of the NS RRset of a referral (RRL's delegation class).
    public var delegation: DomainName?
    /// The response code.
    public var rcode: RCode
    /// AA in the response.
    public var authoritative: Bool
}

extension QueryProcessor {
    /// Answers a parsed query and encodes the response in one pass: the
    /// RRsets go from the zone straight into the buffer (``WireResponse``),
    /// with no `DNSMessage` in between. The same octets as ``answer(_:transport:)``
    /// followed by ``encode(_:for:transport:)`` (with `cookie` set as an
    /// option of the response's OPT record, RFC 7873 §5.2), which this falls
    /// back to for what it does not cover: CHAOS and other classes, EDNS
    /// versions above 0, REFUSED and NOTIMP, and TCP answers too large or
    /// with too many names for its compression table.
    ///
    /// `buffer`, when given (empty, ideally unique), is written into instead
    /// of a newly allocated one.
    public func respondWire(
        to request: DNSRequest, transport: Transport, cookie: EDNSOption? = nil,
        buffer spare: consuming ByteBuffer? = nil
    ) -> WireAnswer {
        let question = request.question
        guard question.dnsClass == .in || question.dnsClass == .any, (request.edns?.version ?? 0) == 0 else {
            return self.respondGeneral(to: request, transport: transport, cookie: cookie)
        }
        let limit = self.sizeLimit(for: request.edns, transport: transport)
        var opt: (payloadSize: UInt16, dnssecOK: Bool, options: OptOptions)? = nil
        if let edns = request.edns {
            var options = OptOptions()
            if let nsid = self.options.nsid, edns.option(.nsid) != nil {
                options.first = EDNSOption(code: .nsid, data: nsid)
            }
            options.second = cookie
            opt = (UInt16(clamping: self.options.maxUDPPayload), edns.dnssecOK, options)
        }
        let optLength = opt.map { 11 + $0.options.wireLength } ?? 0
        let recordLimit = max(12, limit - optLength)
        // RFC 1035 §4.1.1: ID, opcode, RD copied; CD too (RFC 4035 §3.1.6); QR set.
        let flags: UInt16 = 0x8000 | (request.header.flags & 0x7910)
        var capacity = min(recordLimit + optLength, 4096)
        while true {
            var buffer: ByteBuffer
            if var reused = spare.take() {  // taken: the only reference, cleared in place
                reused.clear(minimumCapacity: capacity)
                buffer = reused
            } else {
                buffer = ByteBufferAllocator().buffer(capacity: capacity)
            }
            var outcome: AnswerOutcome? = nil
            var complete = false
            var larger = false
            let length = buffer.withUnsafeMutableWritableBytes { raw -> Int in
                guard let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self), raw.count >= 512 else {
                    return 0
                }
                return withUnsafeTemporaryAllocation(of: WireResponse.Entry.self, capacity: WireResponse.maxEntries) {
                    entries -> Int in
                    guard let entries = entries.baseAddress else { return 0 }
                    var w = WireResponse(
                        base: base, capacity: raw.count, limit: recordLimit, optLength: optLength, entries: entries,
                        dnssec: request.edns?.dnssecOK ?? false)
                    w.writeHeader(id: request.header.id, question: question)
                    let answered = self.answerInternet(request, transport: transport, into: &w)
                    outcome = answered
                    guard answered.error == nil else { return 0 }
                    var header = flags
                    if answered.authoritative && question.dnsClass == .in { header |= 0x0400 }
                    let length = w.finish(flags: header, rcode: answered.rcode, opt: opt)
                    complete = w.isComplete
                    larger = w.needsLargerBuffer
                    return length
                }
            }
            guard let outcome, outcome.error == nil else { break }
            if larger && capacity < recordLimit + optLength {
                capacity = recordLimit + optLength
                continue
            }
            guard complete else { break }
            buffer.moveWriterIndex(forwardBy: length)
            return WireAnswer(
                buffer: buffer, kind: outcome.kind, zone: outcome.zone, delegation: outcome.delegation,
                rcode: outcome.rcode, authoritative: outcome.authoritative && question.dnsClass == .in)
        }
        return self.respondGeneral(to: request, transport: transport, cookie: cookie)
    }

    /// The general path: the response as a message, then encoded.
    func respondGeneral(to request: DNSRequest, transport: Transport, cookie: EDNSOption?) -> WireAnswer {
        var response = self.answer(request, transport: transport)
        if let cookie { response.message.edns?.setOption(cookie) }
        return self.encodeAnswer(response, for: request.edns, transport: transport)
    }

    /// ``encode(_:for:transport:)``, with what ``WireAnswer`` tells about the response.
    public func encodeAnswer(_ response: AuthorityResponse, for requestEDNS: EDNS?, transport: Transport)
        -> WireAnswer
    {
        let buffer = self.encode(response, for: requestEDNS, transport: transport)
        return WireAnswer(
            buffer: buffer, kind: response.kind, zone: response.zone,
            delegation: response.kind == .referral ? response.message.authorities.first?.name : nil,
            rcode: response.message.rcode, authoritative: response.message.header.authoritative)
    }
}
