// SPDX-License-Identifier: Apache-2.0

import DNSCore
import NIOCore

/// What iterating for one question came to.
enum IterationOutcome: Sendable {
    /// The (unvalidated) answer: RCODE, the CNAME/DNAME chain and data in
    /// the answer section, denials (SOA, NSEC, NSEC3 and their RRSIGs) in
    /// the authority section.
    case answer(DNSMessage)
    /// No usable answer: SERVFAIL with this Extended DNS Error.
    case failure(EDNSOption.ExtendedError.InfoCode, String)
}

/// One authoritative answer for one name, and the zone whose server gave it.
struct ZoneAnswer {
    var message: DNSMessage
    var zone: DomainName
}

extension RecursiveResolver {
    /// Resolves `question` by iteration (RFC 1034 §5.3.3), following CNAME
    /// and DNAME chains across zones (RFC 1034 §3.6.2, RFC 6672 §3.2) up to
    /// ``IterationLimits/maxChainLength`` links.
    func iterate(_ question: Question, budget: WorkBudget, depth: Int) async -> IterationOutcome {
        guard depth <= budget.limits.maxDepth else { return .failure(.other, "sub-lookups nested too deep") }
        var chain: [ResourceRecord] = []
        var name = question.name
        var seen: Set<DomainName> = []
        for _ in 0...budget.limits.maxChainLength {
            guard seen.insert(name).inserted else { return .failure(.other, "CNAME loop at \(name)") }
            let hop = Question(name: name, type: question.type, dnsClass: question.dnsClass)
            let step: ZoneAnswer
            if name != question.name, let (entry, elapsed) = self.cache.answer(hop), entry.rcode != .servFail {
                let cached = entry.message(for: hop, elapsed: elapsed)
                return .answer(Self.combine(question, chain, cached))
            }
            switch await self.iterateOne(hop, budget: budget, depth: depth) {
            case .failure(let code, let reason): return .failure(code, reason)
            case .success(let answer): step = answer
            }
            // Only records of the zone that answered count (RFC 2181 §5.4.1: no out-of-zone data).
            var message = step.message
            message.answers = message.answers.filter { $0.name.isSubdomain(of: step.zone) }
            let (records, next) = Self.follow(hop, in: message.answers)
            chain += records
            guard let next else {
                message.answers = []
                return .answer(Self.combine(question, chain, message))
            }
            if question.type == .cname || question.type == .dname {
                return .answer(Self.combine(question, chain, message))
            }
            name = next
        }
        return .failure(.other, "CNAME chain longer than \(budget.limits.maxChainLength)")
    }

    /// The records of `records` on the chain from `question.name` (CNAMEs,
    /// DNAMEs with the CNAMEs they synthesise, the data at its end with
    /// RRSIGs), and the name the chain leaves the response at (nil when it
    /// ends in data or nothing).
    static func follow(_ question: Question, in records: [ResourceRecord]) -> ([ResourceRecord], DomainName?) {
        var result: [ResourceRecord] = []
        var name = question.name
        for _ in 0..<32 {
            let here = records.filter { $0.name == name }
            let data = here.filter { r in
                if case .rrsig(let sig) = r.rdata { return sig.typeCovered == question.type }
                return r.type == question.type || question.type == .any
            }
            if !data.isEmpty && data.contains(where: { $0.type != .rrsig }) {
                result += data
                return (result, nil)
            }
            // DNAME at an ancestor (RFC 6672 §2.2): substitute and synthesise the CNAME.
            if let dname = records.first(where: {
                $0.type == .dname && name.isSubdomain(of: $0.name) && name != $0.name
            }), case .dname(let target) = dname.rdata {
                result += records.filter { r in
                    if case .rrsig(let sig) = r.rdata { return sig.typeCovered == .dname && r.name == dname.name }
                    return r.type == .dname && r.name == dname.name
                }
                guard let substituted = Self.substitute(name, from: dname.name, to: target) else {
                    return (result, nil)
                }
                result.append(ResourceRecord(name: name, ttl: dname.ttl, rdata: .cname(substituted)))
                name = substituted
                if !records.contains(where: { $0.name == substituted }) { return (result, substituted) }
                continue
            }
            if let cname = here.first(where: { $0.type == .cname }), case .cname(let target) = cname.rdata {
                result += here.filter { r in
                    if case .rrsig(let sig) = r.rdata { return sig.typeCovered == .cname }
                    return r.type == .cname
                }
                name = target
                if !records.contains(where: { $0.name == target }) { return (result, target) }
                continue
            }
            return (result, nil)
        }
        return (result, nil)
    }

    /// `name` with its suffix `old` replaced by `new`; nil when too long (RFC 6672 §2.2: YXDOMAIN).
    static func substitute(_ name: DomainName, from old: DomainName, to new: DomainName) -> DomainName? {
        let keep = name.labelCount - old.labelCount
        guard keep > 0 else { return new }
        var labels = Array(name.labels.prefix(keep))
        labels += new.labels
        return try? DomainName(labels: labels.filter { !$0.isEmpty })
    }

    /// The response for a client: the chain, then the last step's RCODE and denials.
    static func combine(_ question: Question, _ chain: [ResourceRecord], _ last: DNSMessage) -> DNSMessage {
        var message = DNSMessage(header: Self.responseHeader(), questions: [question])
        var answers = chain
        for record in last.answers where !answers.contains(record) { answers.append(record) }
        message.answers = answers
        message.authorities = last.authorities.filter { r in
            switch r.rdata {
            case .soa, .nsec, .nsec3: return true
            case .rrsig(let sig): return [.soa, .nsec, .nsec3].contains(sig.typeCovered)
            default: return false
            }
        }
        if !ResolverCache.answers(question, answers) || last.rcode == .nxDomain {
            message.rcode = last.rcode
        }
        return message
    }

    /// The closest enclosing delegation the cache knows for `name` (for DS:
    /// for its parent, since the parent serves the DS, RFC 4035 §3.1.4.1),
    /// or the root hints; or the forward zone covering it.
    func closestDelegation(for question: Question) -> Delegation {
        var candidate: DomainName? = question.name
        if question.type == .ds, let parent = question.name.parent { candidate = parent }
        let now = ContinuousClock.now
        while let name = candidate {
            if let servers = self.forwardServers(for: name) {
                return Delegation(zone: name, nsNames: [name], addresses: [name: servers])
            }
            if !name.isRoot, let ns = self.cache.rrset(name, .ns, at: now) {
                var delegation = Delegation(zone: name, nsNames: [], addresses: [:])
                for record in ns.records {
                    guard case .ns(let host) = record.rdata else { continue }
                    delegation.nsNames.append(host)
                    delegation.addresses[host] = self.cachedAddresses(host, at: now)
                }
                if !delegation.nsNames.isEmpty { return delegation }
            }
            candidate = name.parent
        }
        return self.options.rootHints.delegation
    }

    /// The forwarders for the longest forward zone holding `name`, only when `name` is that zone.
    func forwardServers(for name: DomainName) -> [SocketAddress]? {
        self.options.forwardZones[name]
    }

    /// The longest forward zone holding `name`.
    func forwardZone(for name: DomainName) -> DomainName? {
        var best: DomainName? = nil
        for zone in self.options.forwardZones.keys where name.isSubdomain(of: zone) {
            if best == nil || zone.labelCount > best!.labelCount { best = zone }
        }
        return best
    }

    func cachedAddresses(_ host: DomainName, at now: ContinuousClock.Instant) -> [SocketAddress] {
        var result: [SocketAddress] = []
        for type in [RecordType.a, .aaaa] {
            for record in self.cache.rrset(host, type, at: now)?.records ?? [] {
                if let address = Self.socketAddress(record.rdata), self.mayQuery(address) { result.append(address) }
            }
        }
        return result
    }

    static func socketAddress(_ rdata: RDATA) -> SocketAddress? {
        switch rdata {
        case .a(let a): return try? SocketAddress(ipAddress: a.address.description, port: 53)
        case .aaaa(let aaaa): return try? SocketAddress(ipAddress: aaaa.address.description, port: 53)
        default: return nil
        }
    }

    /// Loopback, unspecified and multicast addresses are never queried
    /// unless ``ResolverOptions/allowLoopbackUpstreams`` (the lab).
    func mayQuery(_ address: SocketAddress) -> Bool {
        if self.options.allowLoopbackUpstreams { return true }
        guard let text = address.ipAddress else { return false }
        if case .v4 = address {
            return
                !(text.hasPrefix("127.") || text.hasPrefix("0.") || text.hasPrefix("224.") || text == "255.255.255.255")
        }
        return !(text == "::1" || text == "::" || text.lowercased().hasPrefix("ff"))
    }
}
