// SPDX-License-Identifier: Apache-2.0

import Atomics
import DNSAuthority
import DNSCore
import DNSTransport
import Logging
import NIOCore

/// The zones being served, swapped as a whole on reload.
///
/// Readers load the current snapshot with one atomic load and never lock
/// (issue 3 item 6); the old snapshot is freed when its last reader is done.
final class ServingSnapshot: AtomicReference, Sendable {
    let processor: QueryProcessor

    init(processor: QueryProcessor) {
        self.processor = processor
    }
}

/// Answers DNS requests from the listeners: query processing plus the
/// per-client extras — server cookies (RFC 7873, RFC 9018), response rate
/// limiting over UDP, and the optional query log.
final class AuthorityHandler: DNSRequestHandler {
    private let snapshot: ManagedAtomic<ServingSnapshot>
    let cookies: ServerCookies
    let rateLimiter: ResponseRateLimiter?
    let queryLogger: Logger?

    init(processor: QueryProcessor, cookies: ServerCookies, rateLimiter: ResponseRateLimiter?, queryLogger: Logger?) {
        self.snapshot = ManagedAtomic(ServingSnapshot(processor: processor))
        self.cookies = cookies
        self.rateLimiter = rateLimiter
        self.queryLogger = queryLogger
    }

    /// The processor answering now.
    var processor: QueryProcessor { self.snapshot.load(ordering: .acquiring).processor }

    /// Serves `processor` from the next request on; requests in flight finish on the old one.
    func replace(with processor: QueryProcessor) {
        self.snapshot.store(ServingSnapshot(processor: processor), ordering: .releasing)
    }

    func handle(_ request: ByteBuffer, context: DNSRequestContext) -> ByteBuffer? {
        let processor = self.processor
        let transport: Transport = context.transport == .tcp ? .tcp : .udp
        // The common query first, without the enum of every outcome.
        if let query = processor.parseCommonQuery(request) {
            return self.handle(query, processor: processor, transport: transport, context: context)
        }
        switch ParsedRequest.parse(request) {
        case .drop:
            return nil
        case .error(let header, let question, let rcode, let edns):
            let response = processor.errorResponse(header: header, question: question, rcode: rcode, edns: edns)
            self.log(question, response, context)
            return processor.encode(response, for: edns, transport: transport)
        case .query(let query):
            return self.handle(query, processor: processor, transport: transport, context: context)
        }
    }

    /// A query: cookies, the answer, the query log, rate limiting.
    private func handle(
        _ query: DNSRequest, processor: QueryProcessor, transport: Transport, context: DNSRequestContext
    ) -> ByteBuffer? {
        var outcome = CookieOutcome.none
        // Only a request with a COOKIE option needs the clock and the hash.
        if let cookie = query.edns?.option(.cookie) {
            outcome = self.cookies.evaluate(
                requestCookie: cookie, clientIP: Self.clientIP(context.clientIP), now: ServerCookies.currentTime())
        }
        let answer: WireAnswer
        if let rcode = outcome.rcode(requiringValidCookie: false) {
            // RFC 7873 §5.2.2: a malformed COOKIE option is FORMERR.
            var response = processor.errorResponse(
                header: query.header, question: query.question, rcode: rcode, edns: query.edns)
            if let cookie = outcome.responseCookie {
                response.message.edns?.setOption(cookie.option)
            }
            answer = processor.encodeAnswer(response, for: query.edns, transport: transport)
        } else {
            // The answer path: RRsets straight from the zone into the buffer.
            answer = processor.respondWire(
                to: query, transport: transport, cookie: outcome.responseCookie?.option)
        }
        if let logger = self.queryLogger {
            Self.log(
                logger, query.question, rcode: answer.rcode, authoritative: answer.authoritative,
                dnssecOK: query.edns?.dnssecOK == true, context)
        }
        // RRL applies to UDP only, and not to clients that proved their
        // address with a valid server cookie.
        guard transport == .udp, let limiter = self.rateLimiter, !outcome.hasValidServerCookie else {
            return answer.buffer
        }
        let client = Self.clientIP(context.clientIP)
        switch limiter.decide(Self.rateLimitClass(of: answer, question: query.question), client: client) {
        case .send:
            return answer.buffer
        case .drop:
            return nil
        case .slip:
            return Self.slipResponse(for: query, processor: processor)
        }
    }

    /// A truncated, empty reply: a legitimate client asks again over TCP,
    /// where it is not limited (BIND's and Knot's "slip").
    static func slipResponse(for query: DNSRequest, processor: QueryProcessor) -> ByteBuffer {
        var header = Header(id: query.header.id)
        header.isResponse = true
        header.opcode = query.header.opcode
        header.recursionDesired = query.header.recursionDesired
        header.truncated = true
        var message = DNSMessage(header: header, questions: [query.question])
        if query.edns != nil {
            message.edns = EDNS(udpPayloadSize: UInt16(clamping: processor.options.maxUDPPayload))
        }
        return message.serialize(maxSize: 512)
    }

    static func rateLimitClass(of answer: WireAnswer, question: Question) -> RateLimitedResponse {
        switch answer.kind {
        case .answer, .noData:
            return .answer(qname: question.name, qtype: question.type)
        case .nxDomain:
            return .nxDomain(zone: answer.zone ?? .root)
        case .referral:
            return .referral(delegation: answer.delegation ?? question.name)
        case .refused, .error:
            return .error
        }
    }

    static func clientIP(_ ip: DNSClientIP) -> ClientIP {
        if let v4 = ip.ipv4 { return ClientIP(ipv4: v4) }
        return ClientIP(ipv6High: ip.high, low: ip.low)
    }

    private func log(_ question: Question?, _ response: AuthorityResponse, _ context: DNSRequestContext) {
        guard let logger = self.queryLogger else { return }
        Self.log(
            logger, question, rcode: response.message.rcode, authoritative: response.message.header.authoritative,
            dnssecOK: response.message.edns?.dnssecOK == true, context)
    }

    private static func log(
        _ logger: Logger, _ question: Question?, rcode: RCode, authoritative: Bool, dnssecOK: Bool,
        _ context: DNSRequestContext
    ) {
        let q = question.map { "\($0.name) \($0.dnsClass) \($0.type)" } ?? "(no question)"
        var flags = ""
        if authoritative { flags += " aa" }
        if dnssecOK { flags += " do" }
        logger.info(
            "query \(DNSListener.format(context.client)) \(context.transport) \(q) -> \(rcode)\(flags)"
        )
    }
}
