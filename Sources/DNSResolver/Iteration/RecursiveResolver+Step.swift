// SPDX-License-Identifier: Apache-2.0

import DNSCore
import NIOCore

/// The answer for one name from its zone, or why there is none.
enum StepResult: Sendable {
    case success(ZoneAnswer)
    case failure(EDNSOption.ExtendedError.InfoCode, String)
}

/// How a reply from an authority is read (RFC 1034 §5.3.3 step 4).
enum ReplyKind: Equatable {
    /// An answer, NODATA or NXDOMAIN from the zone.
    case answer
    /// A referral to `child`, a zone below the one asked.
    case referral(DomainName)
    /// The server does not serve the zone (REFUSED, SERVFAIL, no AA and no
    /// referral, an upward referral): try another.
    case lame(ServerHealth.LameReason)
}

extension RecursiveResolver {
    /// Classifies `reply` from a server of `zone` to a query for `name`.
    static func classify(_ reply: DNSMessage, zone: DomainName, name: DomainName, forwarding: Bool) -> ReplyKind {
        switch reply.rcode {
        case .noError, .nxDomain: break
        case .refused: return .lame(.refused)
        case .servFail: return .lame(.servfail)
        default: return .lame(.notAuthoritative)
        }
        if forwarding { return .answer }
        if reply.header.authoritative { return .answer }
        if let ns = reply.authorities.first(where: { $0.type == .ns }), reply.answers.isEmpty {
            let child = ns.name
            if child.isSubdomain(of: zone), child != zone, name.isSubdomain(of: child) { return .referral(child) }
            return .lame(.notAuthoritative)
        }
        // Some servers answer without AA; accept data for the name asked.
        if reply.answers.contains(where: { $0.name == name }) { return .answer }
        return .lame(.notAuthoritative)
    }

    /// Finds the answer for `question` in its zone: walks down from the
    /// closest known delegation, following referrals, with QNAME
    /// minimisation (RFC 9156 §3: one more label per step, type A, the full
    /// question once at the zone that holds the name; on NXDOMAIN, an error
    /// or a CNAME for a shortened name, the full name is sent instead).
    func iterateOne(_ question: Question, budget: WorkBudget, depth: Int) async -> StepResult {
        var delegation = self.closestDelegation(for: question)
        let forwardZone = self.forwardZone(for: question.name)
        var minimise = self.options.qnameMinimisation && forwardZone == nil
        var extraLabels = 1
        var steps = 0
        var referrals = 0
        while true {
            let forwarding = forwardZone != nil && delegation.zone == forwardZone
            var sendName = question.name
            var sendType = question.type
            if minimise, !forwarding {
                let target = delegation.zone.labelCount + extraLabels
                if target < question.name.labelCount && steps < budget.limits.maxMinimisationSteps {
                    sendName = question.name.suffix(labels: target)
                    sendType = .a
                }
            }
            let minimised = sendName != question.name
            let sent = await self.queryServers(
                &delegation, name: sendName, type: sendType, forwarding: forwarding, budget: budget, depth: depth,
                minimised: sendName != question.name)
            guard let (reply, kind) = sent else {
                if minimised {
                    minimise = false
                    continue
                }
                if budget.queriesSent > budget.limits.maxUpstreamQueries {
                    return .failure(
                        .other, "too much work for one query (\(budget.limits.maxUpstreamQueries) upstream queries)")
                }
                return .failure(.noReachableAuthority, "no server of \(delegation.zone) answered for \(question.name)")
            }
            switch kind {
            case .referral(let child):
                referrals += 1
                guard referrals <= budget.limits.maxReferrals else {
                    return .failure(.other, "more than \(budget.limits.maxReferrals) referrals")
                }
                delegation = self.learnReferral(reply, from: delegation.zone, child: child)
                extraLabels = 1
                steps = 0
            case .answer:
                if !minimised { return .success(ZoneAnswer(message: reply, zone: delegation.zone)) }
                let alias = reply.answers.contains { $0.name == sendName && ($0.type == .cname || $0.type == .dname) }
                if reply.rcode == .nxDomain || alias {
                    // RFC 9156 §2.3: fall back to the full name.
                    minimise = false
                } else {
                    // No zone cut at sendName (an empty non-terminal or a name with data): one more label.
                    extraLabels += 1
                    steps += 1
                }
            case .lame:
                return .failure(.noReachableAuthority, "every server of \(delegation.zone) is lame")
            }
        }
    }

    /// Caches what a referral from `parent` says and returns the new delegation:
    /// the NS set, and glue only for names within `parent`, which the server
    /// answering is authoritative for (RFC 2181 §5.4.1, the bailiwick rule).
    func learnReferral(_ reply: DNSMessage, from parent: DomainName, child: DomainName) -> Delegation {
        let now = ContinuousClock.now
        let ns = reply.authorities.filter { $0.type == .ns && $0.name == child }
        self.cache.storeRRset(ns, trust: .referral, at: now)
        let ds = reply.authorities.filter { $0.type == .ds && $0.name == child }
        if !ds.isEmpty { self.cache.storeRRset(ds, trust: .referral, at: now) }
        var delegation = Delegation(zone: child, nsNames: [], addresses: [:])
        for record in ns {
            guard case .ns(let host) = record.rdata else { continue }
            delegation.nsNames.append(host)
        }
        for host in delegation.nsNames where host.isSubdomain(of: parent) {
            for type in [RecordType.a, .aaaa] {
                let glue = reply.additionals.filter { $0.name == host && $0.type == type }
                if !glue.isEmpty { self.cache.storeRRset(glue, trust: .glue, at: now) }
            }
        }
        for host in delegation.nsNames {
            delegation.addresses[host] = self.cachedAddresses(host, at: now)
        }
        return delegation
    }
}
