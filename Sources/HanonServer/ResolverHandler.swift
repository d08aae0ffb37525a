// SPDX-License-Identifier: Apache-2.0

import DNSAuthority
import DNSCore
import DNSResolver
import DNSTransport
import NIOCore
import Synchronization

/// The resolver's ``DNSRequestHandler``: called on the listener's thread,
/// it answers at once what it can — REFUSED to clients outside `allow`,
/// cache hits (pre-encoded, ``RecursiveResolver/answerFromCache(_:maxUDPSize:)``),
/// the zones hanon serves itself (from the authority data, RA set) — and
/// hands misses to a task that iterates and replies later (UDP through
/// ``DNSUDPResponder``, TCP through ``DNSDeferredResponse``).
///
/// A query without RD is answered from the cache only, REFUSED otherwise (as Unbound does).
final class ResolverHandler: DNSRequestHandler {
    let resolver: RecursiveResolver
    let allow: [AddressPrefix]
    /// The authoritative side, for names in the zones hanon serves.
    let authority: AuthorityHandler?
    /// The largest UDP answer (RFC 6891 §6.2.5; DNS Flag Day 2020).
    let maxUDPSize: Int
    /// Misses being resolved now; beyond ``maxInFlight`` a miss is answered
    /// SERVFAIL at once rather than start another task (a flood of unique names).
    let inFlight = Atomic<Int>(0)
    let maxInFlight: Int

    init(
        resolver: RecursiveResolver, allow: [AddressPrefix], authority: AuthorityHandler?, maxUDPSize: Int = 1232,
        maxInFlight: Int = 2048
    ) {
        self.resolver = resolver
        self.allow = allow
        self.authority = authority
        self.maxUDPSize = maxUDPSize
        self.maxInFlight = maxInFlight
    }

    /// Takes a slot for one resolution; false when all are taken.
    private func begin() -> Bool {
        if self.inFlight.wrappingAdd(1, ordering: .relaxed).newValue > self.maxInFlight {
            self.inFlight.wrappingSubtract(1, ordering: .relaxed)
            return false
        }
        return true
    }

    /// What to do with one request.
    enum Decision {
        case reply(ByteBuffer?)
        case resolve(DNSMessage)
    }

    func decide(_ request: ByteBuffer, context: DNSRequestContext) -> Decision {
        let client = AuthorityHandler.clientIP(context.clientIP)
        guard self.allow.contains(where: { $0.contains(client) }) else {
            return .reply(Self.refused(request))
        }
        let udpLimit = context.transport == .udp ? self.maxUDPSize : nil
        if let hit = self.resolver.answerFromCache(request, maxUDPSize: udpLimit) { return .reply(hit) }
        guard let query = try? DNSMessage(wire: request) else {
            return .reply(DNSMessage.formatErrorResponse(to: request).map { $0.serialize() })
        }
        guard !query.header.isResponse else { return .reply(nil) }
        if let authority = self.authority, let question = query.questions.first,
            authority.processor.zones.zone(for: question.name) != nil
        {
            guard var reply = authority.handle(request, context: context) else { return .reply(nil) }
            if let flags = reply.getInteger(at: reply.readerIndex + 2, as: UInt16.self) {
                reply.setInteger(flags | 0x0080, at: reply.readerIndex + 2)
            }
            return .reply(reply)
        }
        guard query.header.recursionDesired else { return .reply(Self.refused(request)) }
        return .resolve(query)
    }

    /// Misses are answered when their resolution ends.
    var answersLater: Bool { true }

    func handle(_ request: ByteBuffer, context: DNSRequestContext) -> ByteBuffer? {
        switch self.decide(request, context: context) {
        case .reply(let reply): return reply
        case .resolve(let query):
            // Over TCP, stream(_:context:) took it; over UDP the listener gives a responder.
            guard let responder = context.udpResponder, self.begin() else { return Self.servfail(query) }
            let limit = self.udpLimit(query)
            let resolver = self.resolver
            Task {
                let response = await resolver.resolve(query)
                responder.send(response.serialize(maxSize: limit))
                self.inFlight.wrappingSubtract(1, ordering: .relaxed)
            }
            return nil
        }
    }

    func stream(_ request: ByteBuffer, context: DNSRequestContext) -> (any DNSResponseStream)? {
        guard case .resolve(let query) = self.decide(request, context: context) else { return nil }
        let deferred = DNSDeferredResponse()
        guard self.begin() else {
            deferred.complete(Self.servfail(query))
            return deferred
        }
        let resolver = self.resolver
        Task {
            let response = await resolver.resolve(query)
            deferred.complete(response.serialize())
            self.inFlight.wrappingSubtract(1, ordering: .relaxed)
        }
        return deferred
    }

    private func udpLimit(_ query: DNSMessage) -> Int {
        guard let edns = query.edns else { return 512 }
        return min(max(512, Int(edns.udpPayloadSize)), self.maxUDPSize)
    }

    /// REFUSED, with the question echoed when it parses (RFC 1035 §4.1.1).
    static func refused(_ request: ByteBuffer) -> ByteBuffer? {
        guard let header = DNSMessage.header(of: request), !header.isResponse else { return nil }
        var reply = Header(id: header.id)
        reply.isResponse = true
        reply.opcode = header.opcode
        reply.recursionDesired = header.recursionDesired
        reply.recursionAvailable = true
        var message = DNSMessage(header: reply)
        if let query = try? DNSMessage(wire: request) {
            message.questions = query.questions
            if query.edns != nil { message.edns = EDNS() }
        }
        message.rcode = .refused
        return message.serialize(maxSize: 512)
    }

    static func servfail(_ query: DNSMessage) -> ByteBuffer {
        var header = Header(id: query.header.id)
        header.isResponse = true
        header.recursionDesired = query.header.recursionDesired
        header.recursionAvailable = true
        var message = DNSMessage(header: header, questions: query.questions)
        if query.edns != nil { message.edns = EDNS() }
        message.rcode = .servFail
        return message.serialize(maxSize: 512)
    }
}
