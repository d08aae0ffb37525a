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
    /// Secondary zones hanon is authoritative for but cannot answer from:
    /// not transferred yet, or expired (RFC 1035 §4.3.5). Names in them get
    /// SERVFAIL, as BIND and NSD answer, not REFUSED. The count lets every
    /// other query skip the lock.
    private let unavailable = Mutex<Set<DomainName>>([])
    private let unavailableCount = ManagedAtomic<Int>(0)

    /// Marks the secondary zone `origin` as unanswerable (or answerable again).
    func setUnavailable(_ origin: DomainName, _ isUnavailable: Bool) {
        self.unavailable.withLock {
            if isUnavailable { $0.insert(origin) } else { $0.remove(origin) }
            self.unavailableCount.store($0.count, ordering: .releasing)
        }
    }

    /// SERVFAIL when the query's name is in an unavailable secondary zone
    /// and no deeper served zone answers it; nil otherwise.
    private func unavailableRCode(for query: DNSRequest, _ processor: QueryProcessor) -> RCode? {
        guard self.unavailableCount.load(ordering: .acquiring) > 0 else { return nil }
        let name = query.question.name
        let deepest = self.unavailable.withLock { zones in
            zones.filter { name.isSubdomain(of: $0) }.map(\.labelCount).max() ?? -1
        }
        guard deepest >= 0 else { return nil }
        if let served = processor.zones.zone(for: name), served.origin.labelCount > deepest { return nil }
        return .servFail
    }

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

    /// A batch's zone data into the cache before its queries are answered
    /// (``QueryProcessor/prefetch(count:datagram:)``).
    func prefetch(_ batch: DNSDatagramBatch) {
        self.processor.prefetch(count: batch.count) { batch[$0] }
    }

    func handle(_ request: ByteBuffer, context: DNSRequestContext) -> ByteBuffer? {
        let processor = self.processor
        let transport: Transport = context.transport == .tcp ? .tcp : .udp
        // The common query first, without the enum of every outcome. It is
        // opcode QUERY with at most an OPT record after the question, so it
        // is neither signed (TSIG), nor a NOTIFY, nor an UPDATE.
        if let query = processor.parseCommonQuery(request), query.question.type != .ixfr {
            return self.handle(query, processor: processor, transport: transport, context: context)
        }
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
        var answer: WireAnswer
        if let rcode = outcome.rcode(requiringValidCookie: false) ?? self.unavailableRCode(for: query, processor) {
            // RFC 7873 §5.2.2: a malformed COOKIE option is FORMERR; a
            // secondary zone not (or no longer) transferred is SERVFAIL.
            var response = processor.errorResponse(
                header: query.header, question: query.question, rcode: rcode, edns: query.edns)
            if let cookie = outcome.responseCookie {
                response.message.edns?.setOption(cookie.option)
            }
            answer = processor.encodeAnswer(response, for: query.edns, transport: transport)
        } else {
            // The answer path: RRsets straight from the zone into the buffer.
            answer = processor.respondWire(
                to: query, transport: transport, cookie: outcome.responseCookie?.option,
                buffer: context.replyBuffer?.take())
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
