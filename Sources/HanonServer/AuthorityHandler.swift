// SPDX-License-Identifier: Apache-2.0

import Atomics
import DNSAuthority
import DNSCore
import DNSTransport
import DNSZone
import Logging
import NIOCore
import Synchronization

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
    /// Held while a new snapshot is made from the current one.
    private let swapLock = Mutex(())
    let cookies: ServerCookies
    let rateLimiter: ResponseRateLimiter?
    let queryLogger: Logger?
    /// TSIG keys and replay state (AuthorityHandler+TSIG.swift).
    let tsig: TSIGService
    /// Where NOTIFY requests go (secondary zones); nil: NOTIFY is NOTIMP.
    let notifyReceiver: NotifyReceiver?
    /// Zone transfers, IXFR over UDP and NOTIFY received (TransferHandler.swift).
    let transfers = TransferHandler()
    /// Dynamic updates (RFC 2136); nil answers them NOTIMP.
    let updater: ZoneUpdater?

    init(
        processor: QueryProcessor, cookies: ServerCookies, rateLimiter: ResponseRateLimiter?, queryLogger: Logger?,
        tsig: TSIGService = TSIGService(), notifyReceiver: NotifyReceiver? = nil, updater: ZoneUpdater? = nil
    ) {
        self.snapshot = ManagedAtomic(ServingSnapshot(processor: processor))
        self.cookies = cookies
        self.rateLimiter = rateLimiter
        self.queryLogger = queryLogger
        self.notifyReceiver = notifyReceiver
        self.tsig = tsig
        self.updater = updater
    }

    /// The processor answering now.
    var processor: QueryProcessor { self.snapshot.load(ordering: .acquiring).processor }

    /// Serves `processor` from the next request on; requests in flight finish on the old one.
    func replace(with processor: QueryProcessor) {
        self.swapLock.withLock { _ in
            self.snapshot.store(ServingSnapshot(processor: processor), ordering: .releasing)
        }
    }

    /// Serves `zone` in place of the zone with the same origin (nil: stops
    /// serving `origin`), keeping every other zone as it is now. Writers
    /// (UPDATE, secondary transfers, reload) take turns, so none undoes
    /// another's change; readers never wait.
    func replaceZone(_ origin: DomainName, with zone: Zone?) {
        self.swapLock.withLock { _ in
            let processor = self.processor
            var zones = processor.zones.zones.filter { $0.origin != origin }
            if let zone { zones.append(zone) }
            let next = QueryProcessor(zones: ZoneTable(zones), options: processor.options)
            self.snapshot.store(ServingSnapshot(processor: next), ordering: .releasing)
        }
    }

    func handle(_ request: ByteBuffer, context: DNSRequestContext) -> ByteBuffer? {
        // RFC 8945: a signed request is verified and its answer signed (AuthorityHandler+TSIG.swift).
        if TSIG.mightBeSigned(request) { return self.handleSigned(request, context: context) }
        if let receiver = self.notifyReceiver, Self.opcode(of: request) == .notify,
            let reply = self.answerNotify(request, context: context, receiver: receiver)
        {
            return reply
        }
        // RFC 2136: UPDATE goes to the zone's writer (journalled before the answer).
        if let updater = self.updater, let header = DNSMessage.header(of: request), header.opcode == .update,
            !header.isResponse
        {
            return updater.handle(request, client: Self.clientIP(context.clientIP), handler: self)
        }
        let processor = self.processor
        let transport: Transport = context.transport == .tcp ? .tcp : .udp
        switch ParsedRequest.parse(request) {
        case .drop:
            return nil
        case .error(let header, let question, let rcode, let edns):
            if header.opcode == .notify {
                return self.transfers.answerNotify(request, zones: processor.zones, context: context)
            }
            let response = processor.errorResponse(header: header, question: question, rcode: rcode, edns: edns)
            self.log(question, response, context)
            return processor.encode(response, for: edns, transport: transport)
        case .query(let query):
            if query.question.type == .ixfr, context.transport == .udp,
                let reply = self.transfers.answerUDP(request, zones: processor.zones, context: context)
            {
                return reply
            }
            var outcome = CookieOutcome.none
            // Only a request with a COOKIE option needs the clock and the hash.
            if let cookie = query.edns?.option(.cookie) {
                outcome = self.cookies.evaluate(
                    requestCookie: cookie, clientIP: Self.clientIP(context.clientIP), now: ServerCookies.currentTime())
            }
            var response: AuthorityResponse
            if let rcode = outcome.rcode(requiringValidCookie: false) {
                // RFC 7873 §5.2.2: a malformed COOKIE option is FORMERR.
                response = processor.errorResponse(
                    header: query.header, question: query.question, rcode: rcode, edns: query.edns)
            } else {
                response = processor.answer(query, transport: transport)
            }
            if let cookie = outcome.responseCookie {
                response.message.edns?.setOption(cookie.option)
            }
            self.log(query.question, response, context)
            let encoded = processor.encode(response, for: query.edns, transport: transport)
            // RRL applies to UDP only, and not to clients that proved their
            // address with a valid server cookie.
            guard transport == .udp, let limiter = self.rateLimiter, !outcome.hasValidServerCookie else {
                return encoded
            }
            let client = Self.clientIP(context.clientIP)
            switch limiter.decide(Self.rateLimitClass(of: response, question: query.question), client: client) {
            case .send:
                return encoded
            case .drop:
                return nil
            case .slip:
                return Self.slipResponse(for: query, processor: processor)
            }
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

    static func rateLimitClass(of response: AuthorityResponse, question: Question) -> RateLimitedResponse {
        switch response.kind {
        case .answer, .noData:
            return .answer(qname: question.name, qtype: question.type)
        case .nxDomain:
            return .nxDomain(zone: response.zone ?? .root)
        case .referral:
            return .referral(delegation: response.message.authorities.first?.name ?? question.name)
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
        let q = question.map { "\($0.name) \($0.dnsClass) \($0.type)" } ?? "(no question)"
        var flags = ""
        if response.message.header.authoritative { flags += " aa" }
        if response.message.edns?.dnssecOK == true { flags += " do" }
        logger.info(
            "query \(DNSListener.format(context.client)) \(context.transport) \(q) -> \(response.message.rcode)\(flags)"
        )
    }
}
