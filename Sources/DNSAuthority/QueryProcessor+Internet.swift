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
        var builder = AnswerBuilder(dnssec: request.edns?.dnssecOK ?? false, dnsClass: .in)
        let outcome = self.answerInternet(request, transport: transport, into: &builder)
        if let error = outcome.error {
            var refused = self.errorResponse(
                header: request.header, question: question, rcode: outcome.rcode, edns: request.edns,
                extendedError: error)
            refused.zone = outcome.zone
            return refused
        }
        var header = self.responseHeader(for: request.header)
        header.authoritative = outcome.authoritative
        var message = DNSMessage(
            header: header, questions: [question], answers: builder.answers, authorities: builder.authorities,
            additionals: builder.requiredAdditionals + builder.additionals, edns: self.responseEDNS(for: request.edns))
        message.rcode = outcome.rcode
        return AuthorityResponse(
            message: message, kind: outcome.kind, zone: outcome.zone,
            requiredAdditionalCount: builder.requiredAdditionals.count)
    }

    /// The answer to a class IN query, its RRsets given to `sink` section
    /// by section (answer, then authority, then additional) as they are
    /// found: ``AnswerBuilder`` collects them as records, ``WireResponse``
    /// encodes them straight into the response.
    func answerInternet<Sink: AnswerSink>(
        _ request: DNSRequest, transport: Transport, into sink: inout Sink
    ) -> AnswerOutcome {
        let question = request.question
        guard let first = self.zones.zone(forQuery: question.name, type: question.type) else {
            // RFC 8914 §4.21, as NSD: EDE 20 Not Authoritative.
            return AnswerOutcome(rcode: .refused, kind: .refused, error: .notAuthoritative)
        }
        // Zone transfers are not served on this path: REFUSED (RFC 5936 §4.2),
        // except AXFR over UDP, which is not defined: NOTIMP, as NSD answers.
        if question.type == .axfr || question.type == .ixfr {
            if transport == .udp && question.type == .axfr {
                return AnswerOutcome(rcode: .notImp, kind: .error, zone: first.origin, error: .some(nil))
            }
            return AnswerOutcome(rcode: .refused, kind: .refused, zone: first.origin, error: .prohibited)
        }
        var outcome = AnswerOutcome(rcode: .noError, kind: .answer, zone: first.origin, authoritative: true)
        var zone = first
        var name = question.name
        // Names of the chain after the question's (empty, so not allocated, without a chain).
        var visited: [DomainName] = []
        // With DO and a signed zone: the links of the chain (bit i: link i,
        // 0 the question's name, i the name `visited[i - 1]`) answered by a
        // wildcard CNAME, whose names' non-existence the authority section
        // proves (RFC 4035 §3.1.3.3) after the chain's own authority RRsets.
        var wildcardLinks: UInt64 = 0

        /// The denial RRsets (RFC 4035 §3.1.3) of the chain's wildcard
        /// answers, then `more`, in the authority section; with DO only.
        func proveDenial(_ more: [RRSet] = []) {
            guard wildcardLinks != 0 else {
                for set in more { sink.authority(set) }
                return
            }
            // Each RRset once, though two names of the chain share an NSEC.
            var proof = DenialProof.RRSets()
            var links = wildcardLinks
            while links != 0 {
                let i = links.trailingZeroBitCount
                links &= links - 1
                let linkName = i == 0 ? question.name : visited[i - 1]
                guard let linkZone = self.zones.zone(forQuery: linkName, type: question.type),
                    let encloser = linkZone.closestEncloser(of: linkName)
                else { continue }
                proof.add(DenialProof.wildcardAnswer(linkName, closestEncloser: encloser, in: linkZone))
            }
            proof.add(more)
            for set in proof.sets { sink.authority(set) }
        }

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
            switch zone.lookupRRSet(name, type: question.type) {
            case .answer(let set, let wildcard):
                // RFC 8482 §4.1: ANY is answered with one RRset, the first
                // of the name in zone-file order, as NSD does.
                sink.answer(set, owner: wildcard ? name : nil)
                if sink.dnssec {
                    proveDenial(
                        wildcard && DenialProof.isSigned(zone)
                            ? DenialProof.wildcardAnswer(
                                name, closestEncloser: set.name.parent ?? zone.origin, in: zone)
                            : [])
                }
                self.addTargetAddresses(of: set, in: zone, to: &sink)
                outcome.kind = .answer
                break chain
            case .cname(let set, let wildcard):
                sink.answer(set, owner: wildcard ? name : nil)
                if wildcard && sink.dnssec && DenialProof.isSigned(zone) && visited.count < 64 {
                    wildcardLinks |= 1 << UInt64(visited.count)
                }
                outcome.kind = .answer
                guard case .cname(let target) = set.rdata.first, follow(target) else {
                    if sink.dnssec { proveDenial() }
                    break chain
                }
            case .dname(let set, let target):
                // RFC 6672 §3.1: the DNAME, then a CNAME synthesised with the DNAME's TTL.
                sink.answer(set, owner: nil)
                guard let target else {
                    outcome.rcode = .yxDomain
                    outcome.kind = .error
                    if sink.dnssec { proveDenial() }
                    break chain
                }
                sink.answerCNAME(owner: name, ttl: set.ttl, target: target)
                outcome.kind = .answer
                guard follow(target) else {
                    if sink.dnssec { proveDenial() }
                    break chain
                }
            case .delegation(let ns, let ds):
                // RFC 1034 §4.3.2 step 3.b: a referral, not authoritative
                // unless the answer already holds authoritative data.
                if !sink.hasAnswers {
                    outcome.authoritative = false
                    outcome.kind = .referral
                }
                outcome.delegation = ns.name
                sink.authority(ns)
                if sink.dnssec {
                    // RFC 4035 §3.1.4: the DS RRset, or the proof that there is none (§3.1.4.1).
                    if let ds { sink.authority(ds) }
                    proveDenial(ds == nil ? DenialProof.noDS(at: ns.name, in: zone) : [])
                }
                self.addGlue(for: ns, in: zone, to: &sink)
                break chain
            case .noData(let wildcard):
                if !sink.hasAnswers { outcome.kind = .noData }
                sink.authority(zone.negativeSOARRSet)
                if sink.dnssec {
                    proveDenial(
                        wildcard ? DenialProof.wildcardNoData(name, in: zone) : DenialProof.noData(name, in: zone))
                }
                break chain
            case .nxDomain:
                // RFC 6604 §3: the RCODE is that of the last name of the chain.
                outcome.rcode = .nxDomain
                outcome.kind = .nxDomain
                sink.authority(zone.negativeSOARRSet)
                if sink.dnssec { proveDenial(DenialProof.nxDomain(name, in: zone)) }
                break chain
            }
        }
        return outcome
    }
}

/// What answering a class IN query decided, besides the records: the
/// header fields and how rate limiting and the query log classify it.
struct AnswerOutcome {
    var rcode: RCode
    var kind: ResponseKind
    /// The zone that answered (the first of a chain).
    var zone: DomainName? = nil
    var authoritative = false
    /// The owner of the NS RRset of a referral.
    var delegation: DomainName? = nil
    /// Set when the answer is an error without records (REFUSED, NOTIMP),
    /// with the Extended DNS Error to add (RFC 8914), if any.
    var error: EDNSOption.ExtendedError.InfoCode?? = nil
}
