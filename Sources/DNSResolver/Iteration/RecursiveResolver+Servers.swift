// SPDX-License-Identifier: Apache-2.0

import DNSCore
import NIOCore

extension RecursiveResolver {
    /// Sends `name`/`type` to the servers of `delegation` until one gives a
    /// usable reply (an answer or a referral): fastest smoothed RTT first,
    /// lame servers and unreachable families skipped, a refused or
    /// unreachable server left at once (no waiting for a timeout), TC
    /// retried over TCP (RFC 7766 §5), timed-out servers tried once more
    /// with a doubled timeout. When no known address answers, the NS names
    /// without glue are looked up, at most
    /// ``IterationLimits/maxNSNamesPerDelegation`` of them (NXNSAttack).
    func queryServers(
        _ delegation: inout Delegation, name: DomainName, type: RecordType, forwarding: Bool, budget: WorkBudget,
        depth: Int, minimised: Bool = false
    ) async -> (DNSMessage, ReplyKind)? {
        var tried = Set<SocketAddress>()
        var timedOut: [SocketAddress] = []
        var lookedUp = 0
        while true {
            let candidates = delegation.allAddresses.filter {
                !tried.contains($0) && self.health.usable($0, zone: delegation.zone)
            }.sorted { self.health.srtt($0) < self.health.srtt($1) }
            for server in candidates {
                tried.insert(server)
                switch await self.exchange(
                    server, name: name, type: type, zone: delegation.zone, forwarding: forwarding, budget: budget,
                    timeout: self.timeout(for: server), minimised: minimised)
                {
                case .usable(let reply, let kind): return (reply, kind)
                case .timedOut: timedOut.append(server)
                case .failed: break
                case .budgetSpent: return nil
                }
            }
            // Addresses of NS names without glue, one name at a time.
            guard !forwarding, lookedUp < budget.limits.maxNSNamesPerDelegation,
                let host = delegation.namesWithoutAddresses.first(where: { !$0.isSubdomain(of: delegation.zone) })
                    ?? delegation.namesWithoutAddresses.first
            else { break }
            delegation.resolvedNames.insert(host)
            lookedUp += 1
            // A name inside the zone it serves needs glue: looking it up would ask the zone itself.
            if host.isSubdomain(of: delegation.zone) { continue }
            delegation.addresses[host] = await self.addresses(of: host, budget: budget, depth: depth + 1)
        }
        // Second round for the servers that timed out, with a longer wait.
        for server in timedOut {
            let timeout = min(self.timeout(for: server) * 2, self.options.maxTimeout)
            if case .usable(let reply, let kind) = await self.exchange(
                server, name: name, type: type, zone: delegation.zone, forwarding: forwarding, budget: budget,
                timeout: timeout, minimised: minimised)
            {
                return (reply, kind)
            }
        }
        return nil
    }

    enum ExchangeResult {
        case usable(DNSMessage, ReplyKind)
        case timedOut
        case failed
        case budgetSpent
    }

    /// One query to one server (and its TCP retry on TC).
    func exchange(
        _ server: SocketAddress, name: DomainName, type: RecordType, zone: DomainName, forwarding: Bool,
        budget: WorkBudget, timeout: Duration, minimised: Bool = false
    ) async -> ExchangeResult {
        guard budget.takeQuery() else { return .budgetSpent }
        let ednsLess = self.health.isEDNSLess(server)
        var query = DNSMessage.query(
            id: 0, name: name, type: type, recursionDesired: forwarding,
            edns: ednsLess ? nil : EDNS(udpPayloadSize: self.options.ednsBufferSize, dnssecOK: true))
        self.health.sent()
        var result = await self.transport.send(query, to: server, overTCP: false, timeout: timeout)
        if case .reply(let reply, _) = result, !ednsLess, Self.rejectsEDNS(reply) {
            // RFC 6891 §7: a server that does not know EDNS is asked again without OPT.
            guard budget.takeQuery() else { return .budgetSpent }
            query.edns = nil
            self.health.sent()
            self.health.ednsFallback()
            let plain = await self.transport.send(query, to: server, overTCP: false, timeout: timeout)
            if case .reply(let again, _) = plain {
                if !Self.rejectsEDNS(again) { self.health.markEDNSLess(server) }
                result = plain
            }
        }
        if case .reply(let reply, _) = result, reply.header.truncated {
            guard budget.takeQuery() else { return .budgetSpent }
            self.health.sent()
            result = await self.transport.send(query, to: server, overTCP: true, timeout: max(timeout, .seconds(2)))
        }
        switch result {
        case .reply(let reply, let rtt):
            self.health.answered(server, rtt: rtt)
            let kind = Self.classify(reply, zone: zone, name: name, forwarding: forwarding)
            if case .lame(let reason) = kind {
                // A refusal of a shortened name may be a server that mishandles QNAME
                // minimisation (RFC 9156 §2.3): the full name is tried before the server is marked.
                if !minimised { self.health.markLame(server, zone: zone, reason: reason) }
                return .failed
            }
            return .usable(reply, kind)
        case .timedOut:
            self.health.timedOut(server, timeout: timeout)
            return .timedOut
        case .refused:
            self.health.markLame(server, zone: zone, reason: .unreachable)
            return .failed
        case .unreachable:
            self.health.unreachable(server)
            return .failed
        case .failed:
            return .failed
        }
    }

    /// FORMERR, NOTIMP or BADVERS to a query with OPT: what servers that do
    /// not implement EDNS answer (RFC 6891 §7, §6.2.2 fallback; BADVERS to
    /// version 0 is as broken), as Unbound and BIND read it.
    static func rejectsEDNS(_ reply: DNSMessage) -> Bool {
        reply.rcode == .formErr || reply.rcode == .notImp || reply.rcode == .badVers
    }

    /// A try's timeout: a few times the smoothed RTT, within bounds.
    func timeout(for server: SocketAddress) -> Duration {
        guard let srtt = self.health.knownSRTT(server) else { return self.options.initialTimeout }
        let ms = min(max(srtt * 4 + 50, 200), Double(self.options.maxTimeout.components.seconds * 1000))
        return .milliseconds(Int64(ms))
    }

    /// The addresses of a name server (A, and AAAA unless IPv6 is down),
    /// from cache or by a sub-lookup.
    func addresses(of host: DomainName, budget: WorkBudget, depth: Int) async -> [SocketAddress] {
        var result: [SocketAddress] = []
        var types: [RecordType] = [.a]
        if !self.health.isDown(.ipv6) { types.append(.aaaa) }
        for type in types {
            let question = Question(name: host, type: type)
            let (message, _) = await self.lookup(question, validate: false, budget: budget, depth: depth)
            guard message.rcode == .noError else { continue }
            let records = message.answers.filter { $0.type == type }
            for record in records {
                if let address = Self.socketAddress(record.rdata), self.mayQuery(address) { result.append(address) }
            }
            if !records.isEmpty {
                self.cache.storeRRset(records.filter { $0.name == records[0].name }, trust: .answer)
            }
        }
        return result
    }
}
