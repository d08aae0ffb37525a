// SPDX-License-Identifier: Apache-2.0

import DNSCore
import Logging
import NIOCore

/// How a ``RecursiveResolver`` resolves.
public struct ResolverOptions: Sendable {
    public var rootHints: RootHints = .builtIn
    /// Zones sent to given upstream resolvers (RD set) instead of iterated.
    public var forwardZones: [DomainName: [SocketAddress]] = [:]
    /// Lab only: let referrals and glue point at loopback addresses
    /// (127.0.0.0/8, ::1), which a real deployment never queries.
    public var allowLoopbackUpstreams = false
    /// QNAME minimisation (RFC 9156), on by default with its fallbacks.
    public var qnameMinimisation = true
    /// The EDNS buffer size asked of authorities (DNS Flag Day 2020: 1232).
    public var ednsBufferSize: UInt16 = 1232
    /// Per-query work limits.
    public var limits = IterationLimits()
    /// The first try's timeout for a server with no RTT known yet.
    public var initialTimeout: Duration = .milliseconds(800)
    /// The longest timeout of one try.
    public var maxTimeout: Duration = .seconds(3)
    /// Aggressive use of the DNSSEC-validated cache (RFC 8198): NXDOMAIN and
    /// NODATA answered from validated NSEC/NSEC3 records already held (on by
    /// default, as in Unbound since 1.15.0).
    public var aggressiveNSEC = true
    /// Refresh an answer in the background when a hit comes in the last
    /// tenth of its TTL (Unbound's `prefetch`, BIND's `prefetch`; on as in BIND).
    public var prefetch = true
    /// With serve-stale on: how long a client whose question has a stale
    /// answer waits for its resolution before getting the stale answer
    /// while the resolution goes on (RFC 8767 §5's client response timer,
    /// 1.8 s; BIND's `stale-answer-client-timeout`). Nil: wait for the end.
    public var staleAnswerClientTimeout: Duration? = .milliseconds(1800)
    /// The most client queries waiting on one resolution of one question.
    public var maxWaitersPerQuestion = 1000

    public init() {}
}

/// A caching, iterating resolver (RFC 1034 §5.3.3, RFC 1035 §7): answers
/// from ``ResolverCache`` when it can, and otherwise iterates from the root
/// (``RecursiveResolver/iterate``), hands the answer to the validator, caches it with its
/// status and answers.
///
/// ```swift
/// let resolver = RecursiveResolver(options: options, transport: NIOUpstreamTransport(), logger: logger)
/// let answer = await resolver.resolve(query)       // a DNSMessage query → its response
/// ```
///
/// Validation is plugged in through ``ResponseValidating``: responses got by
/// iteration are validated before they are cached; AD is set on secure
/// answers when the query had DO or AD (RFC 6840 §5.7–5.8); bogus answers are
/// SERVFAIL with the Extended DNS Error the validator named (RFC 8914),
/// unless the query had CD set (RFC 4035 §3.2.2), which gets the data.
public final class RecursiveResolver: Sendable {
    public let options: ResolverOptions
    public let cache: ResolverCache
    public let health: ServerHealth
    let transport: any UpstreamTransport
    let validator: (any ResponseValidating)?
    let logger: Logger
    /// Client-level resolutions and prefetches running now (``InFlightTable``).
    let inFlight: InFlightTable<LookupAnswer>

    public init(
        options: ResolverOptions, cache: ResolverCache = ResolverCache(), transport: any UpstreamTransport,
        validator: (any ResponseValidating)? = nil, logger: Logger
    ) {
        self.options = options
        self.cache = cache
        self.transport = transport
        self.validator = validator
        self.logger = logger
        self.health = ServerHealth(logger: logger)
        self.inFlight = InFlightTable(maxWaiters: options.maxWaitersPerQuestion)
    }

    /// The answer and its status for `question`: from cache, or by
    /// iteration then validation (unless `validate` is false: the
    /// validator's own lookups and name-server addresses, cached with no
    /// status and validated when a client asks for them). Live entries
    /// only: stale data is for clients (``clientLookup(_:)``).
    func lookup(
        _ question: Question, validate: Bool, budget: WorkBudget, depth: Int
    ) async -> (message: DNSMessage, status: SecurityStatus?) {
        if let (entry, elapsed) = self.cache.answer(question, at: .now) {
            return await self.fromCache(entry, elapsed: elapsed, question: question, validate: validate)
        }
        let answer = await self.resolveAndStore(
            question, validate: validate, budget: budget, depth: depth, mode: .subLookup)
        return (answer.message, answer.status)
    }

    /// A live cache entry as an answer; one cached without validation is
    /// validated now when `validate`.
    func fromCache(
        _ entry: CachedAnswer, elapsed: UInt32, question: Question, validate: Bool
    ) async -> (message: DNSMessage, status: SecurityStatus?) {
        let message = entry.message(for: question, elapsed: elapsed)
        if !validate || entry.status != nil || self.validator == nil || entry.rcode == .servFail {
            return (message, entry.status)
        }
        // Cached unvalidated (fetched for the validator or as an address): validate now.
        let status = await self.validateMessage(message, question: question)
        self.cache.storeAnswer(question, response: message, status: status)
        self.keepDenial(message, question: question, status: status)
        return (message, status)
    }

    /// Iterates for `question`, validates and caches the answer. On
    /// failure a client resolution serves the stale answer if there is one
    /// (RFC 8767 §4) and remembers the failure for the stale-refresh time;
    /// a prefetch leaves the live entry alone.
    func resolveAndStore(
        _ question: Question, validate: Bool, budget: WorkBudget, depth: Int, mode: ResolutionMode
    ) async -> LookupAnswer {
        // RFC 8198: a name or type already denied by validated NSEC/NSEC3 is answered without asking.
        if validate, self.validator != nil, self.options.aggressiveNSEC,
            let synthesized = self.cache.denials.synthesize(question, at: .now)
        {
            self.cache.storeAnswer(question, response: synthesized, status: .secure)
            return LookupAnswer(message: synthesized, status: .secure)
        }
        let outcome = await self.iterate(question, budget: budget, depth: depth)
        switch outcome {
        case .failure(let code, let reason):
            let failed = LookupAnswer(message: Self.failureMessage(question, code, reason), status: nil)
            if mode == .prefetch { return failed }
            if mode == .client, let stale = self.cache.staleAnswer(question) {
                self.cache.storeFailure(question, status: .indeterminate, lifetime: self.cache.policy.staleRefreshTime)
                return self.staleResult(stale, question: question)
            }
            self.cache.storeFailure(question, status: .indeterminate)
            return failed
        case .answer(let message):
            var status: SecurityStatus? = nil
            if self.validator == nil {
                status = .indeterminate
            } else if validate {
                status = await self.validateMessage(message, question: question)
            }
            var stored = message
            // Bogus data is kept briefly, so CD queries get it and others SERVFAIL without a new fetch.
            if case .bogus = status { stored = Self.capped(message, ttl: 60) }
            self.cache.storeAnswer(question, response: stored, status: status)
            if let status { self.keepDenial(message, question: question, status: status) }
            return LookupAnswer(message: message, status: status)
        }
    }

    /// Keeps the NSEC/NSEC3 proof of a secure negative answer for RFC 8198.
    private func keepDenial(_ message: DNSMessage, question: Question, status: SecurityStatus) {
        guard self.options.aggressiveNSEC, case .secure = status,
            message.rcode == .nxDomain
                || (message.rcode == .noError && !ResolverCache.answers(question, message.answers)),
            let denial = SecureDenial(message, question: question)
        else { return }
        self.cache.denials.store(denial)
    }

    static func failureMessage(
        _ question: Question, _ code: EDNSOption.ExtendedError.InfoCode, _ reason: String
    ) -> DNSMessage {
        var message = DNSMessage(header: Self.responseHeader(), questions: [question])
        message.rcode = .servFail
        message.edns = EDNS(options: [EDNSOption.ExtendedError(code, extraText: reason).option])
        return message
    }

    private static func capped(_ message: DNSMessage, ttl: UInt32) -> DNSMessage {
        var message = message
        for i in message.answers.indices { message.answers[i].ttl = min(message.answers[i].ttl, ttl) }
        for i in message.authorities.indices { message.authorities[i].ttl = min(message.authorities[i].ttl, ttl) }
        return message
    }

    private func validateMessage(_ message: DNSMessage, question: Question) async -> SecurityStatus {
        guard let validator = self.validator else { return .indeterminate }
        return await validator.validate(message, question: question, lookup: ValidatorLookup(resolver: self))
    }

    static func responseHeader() -> Header {
        var header = Header()
        header.isResponse = true
        header.recursionAvailable = true
        return header
    }

    /// Resolves a client's query (already checked for RD and access) and
    /// returns the response, with the query's ID, RD and CD, AD per the
    /// status, EDE on failures, and an OPT when the query had one.
    public func resolve(_ query: DNSMessage) async -> DNSMessage {
        var header = Self.responseHeader()
        header.id = query.header.id
        header.recursionDesired = query.header.recursionDesired
        header.checkingDisabled = query.header.checkingDisabled
        header.opcode = query.header.opcode
        var response = DNSMessage(header: header, questions: query.questions)
        if let edns = query.edns {
            response.edns = EDNS(udpPayloadSize: 1232, dnssecOK: edns.dnssecOK)
            guard edns.version == 0 else {
                response.rcode = .badVers
                return response
            }
        }
        guard query.header.opcode == .query, query.questions.count == 1, let question = query.questions.first else {
            response.rcode = query.header.opcode == .query ? .formErr : .notImp
            return response
        }
        guard question.dnsClass == .in else {
            response.rcode = .refused
            return response
        }
        if question.type == .axfr || question.type == .ixfr {
            response.rcode = .notImp
            return response
        }
        let cd = query.header.checkingDisabled
        let answer = await self.clientLookup(question)
        let (message, status) = (answer.message, answer.status)
        let dnssecOK = query.edns?.dnssecOK ?? false
        if case .bogus(let code, let reason) = status, !cd {
            response.rcode = .servFail
            response.edns?.options.append(EDNSOption.ExtendedError(code, extraText: reason).option)
            return response
        }
        if message.rcode == .servFail {
            response.rcode = .servFail
            let ede =
                message.edns?.options ?? [
                    EDNSOption.ExtendedError(.noReachableAuthority, extraText: "no authority answered").option
                ]
            response.edns?.options.append(contentsOf: ede)
            return response
        }
        response.rcode = message.rcode
        let keep = { (r: ResourceRecord) -> Bool in
            dnssecOK || !CachedAnswer.dnssecTypes.contains(r.type) || r.type == question.type
        }
        response.answers = message.answers.filter(keep)
        response.authorities = message.authorities.filter(keep)
        if let code = answer.staleCode {
            response.edns?.options.append(EDNSOption.ExtendedError(code).option)
        }
        if case .secure = status, dnssecOK || query.header.authenticData, !cd || dnssecOK {
            response.header.authenticData = true
        }
        return response
    }
}

/// How the validator fetches DNSKEY and DS: through the cache and iteration,
/// without validation (as with CD).
struct ValidatorLookup: ValidationLookup {
    let resolver: RecursiveResolver

    func lookup(_ name: DomainName, _ type: RecordType) async -> DNSMessage? {
        let question = Question(name: name, type: type)
        let budget = WorkBudget(limits: self.resolver.options.limits)
        let (message, _) = await self.resolver.lookup(question, validate: false, budget: budget, depth: 1)
        return message.rcode == .servFail ? nil : message
    }
}

extension RecursiveResolver {
    /// The cache-hit path, run on the listener's thread: answers `request`
    /// from the cache's pre-encoded answer with no ``DNSMessage`` decoded or
    /// built and no task started; nil when the full path must answer (a
    /// miss, a query out of the ordinary, an answer too long for
    /// `maxSize`, an entry not yet validated or to be answered SERVFAIL).
    ///
    /// - Parameter maxUDPSize: the largest UDP answer the server sends
    ///   (the client's EDNS size is capped to it; 512 without EDNS), nil over TCP.
    public func answerFromCache(_ request: ByteBuffer, maxUDPSize: Int?) -> ByteBuffer? {
        guard let query = WireQuery(request), query.opcode == 0, query.ednsVersion == 0 else { return nil }
        let question = Question(name: query.name, type: query.type, dnsClass: query.dnsClass)
        guard let (entry, elapsed) = self.cache.answer(question), let status = entry.status,
            entry.rcode != .servFail
        else { return nil }
        if case .bogus = status, !query.checkingDisabled { return nil }
        self.prefetchIfDue(question, entry, elapsed: elapsed)
        let maxSize = maxUDPSize.map { min(query.hasEDNS ? query.udpPayloadSize : 512, $0) } ?? 65535
        return entry.respond(to: request, query: query, elapsed: elapsed, maxSize: maxSize)
    }
}
