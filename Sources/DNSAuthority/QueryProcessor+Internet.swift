// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSZone

extension QueryProcessor {
    /// Answers a class IN query from the zones (RFC 1034 §4.3.2 as refined):
    /// the zone by longest match (REFUSED when none), then a lookup per name
    /// of the CNAME/DNAME chain, followed within the zones hanon serves, at
    /// most ``AuthorityOptions/maxChainLength`` links, stopping at a loop.
    ///
    /// Minimal responses: no NS RRset in the authority section of positive
    /// answers; additional addresses only for referral glue, NS targets, and
    /// (unless ``AuthorityOptions/additionalForMailAndServices`` is off) MX and
    /// SRV targets in the zone.
    func answerInternet(_ request: DNSRequest, transport: Transport) -> AuthorityResponse {
        let question = request.question
        guard let first = self.zones.zone(forQuery: question.name, type: question.type) else {
            // RFC 8914 §4.21, as NSD: EDE 20 Not Authoritative.
            return self.errorResponse(
                header: request.header, question: question, rcode: .refused, edns: request.edns,
                extendedError: .notAuthoritative)
        }
        // Zone transfers are not served on this path: REFUSED (RFC 5936 §4.2),
        // except AXFR over UDP, which is not defined: NOTIMP, as NSD answers.
        if question.type == .axfr || question.type == .ixfr {
            let udpAXFR = transport == .udp && question.type == .axfr
            var refused = self.errorResponse(
                header: request.header, question: question, rcode: udpAXFR ? .notImp : .refused,
                edns: request.edns, extendedError: udpAXFR ? nil : .prohibited)
            refused.zone = first.origin
            return refused
        }
        var header = self.responseHeader(for: request.header)
        header.authoritative = true
        var builder = AnswerBuilder(dnssec: request.edns?.dnssecOK ?? false, dnsClass: .in)
        var zone = first
        var name = question.name
        var rcode = RCode.noError
        var kind = ResponseKind.answer
        // Names of the chain after the question's (empty, so not allocated, without a chain).
        var visited: [DomainName] = []

        /// Moves to the next name of a chain; false when the chain stops
        /// there (too long, a loop, or a name outside the zones served).
        func follow(_ target: DomainName) -> Bool {
            guard visited.count + 1 < self.options.maxChainLength, target != question.name,
                !visited.contains(target),
                let next = self.zones.zone(forQuery: target, type: question.type)
            else { return false }
            visited.append(target)
            zone = next
            name = target
            return true
        }

        chain: while true {
            switch zone.lookup(name, type: question.type) {
            case .answer(let sets, let wildcard):
                // RFC 8482 §4.1: ANY is answered with one RRset, the first
                // of the name in zone-file order, as NSD does.
                for set in question.type == .any ? Array(sets.prefix(1)) : sets {
                    builder.answer(set, owner: wildcard ? name : nil)
                    self.addTargetAddresses(of: set, in: zone, to: &builder)
                }
                kind = .answer
                break chain
            case .cname(let set, let wildcard):
                builder.answer(set, owner: wildcard ? name : nil)
                kind = .answer
                guard case .cname(let target) = set.rdata.first, follow(target) else { break chain }
            case .dname(let set, let target):
                // RFC 6672 §3.1: the DNAME, then a CNAME synthesised with the DNAME's TTL.
                builder.answer(set)
                guard let target else {
                    rcode = .yxDomain
                    kind = .error
                    break chain
                }
                builder.answer(ResourceRecord(name: name, dnsClass: .in, ttl: set.ttl, rdata: .cname(target)))
                kind = .answer
                guard follow(target) else { break chain }
            case .delegation(let ns, let ds):
                // RFC 1034 §4.3.2 step 3.b: a referral, not authoritative
                // unless the answer already holds authoritative data.
                if builder.answers.isEmpty {
                    header.authoritative = false
                    kind = .referral
                }
                builder.authority(ns)
                if builder.dnssec, let ds { builder.authority(ds) }
                self.addGlue(for: ns, in: zone, to: &builder)
                break chain
            case .noData:
                builder.authority(zone.negativeSOARRSet)
                if builder.answers.isEmpty { kind = .noData }
                break chain
            case .nxDomain:
                // RFC 6604 §3: the RCODE is that of the last name of the chain.
                rcode = .nxDomain
                kind = .nxDomain
                builder.authority(zone.negativeSOARRSet)
                break chain
            }
        }
        var message = DNSMessage(
            header: header, questions: [question], answers: builder.answers, authorities: builder.authorities,
            additionals: builder.requiredAdditionals + builder.additionals, edns: self.responseEDNS(for: request.edns))
        message.rcode = rcode
        return AuthorityResponse(
            message: message, kind: kind, zone: first.origin, requiredAdditionalCount: builder.requiredAdditionals.count
        )
    }
}
