// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSSEC
import DNSTransport
import NIOCore

/// Asks the parent zone's servers whether they publish the DS of a new KSK
/// or CSK, before the key lifecycle lets it replace the old one (RFC 7583
/// §3.3.2: the new DS must be at the parent before the old key goes;
/// RFC 6781 §4.1.2).
///
/// Every server must answer, authoritatively, with a DS RRset for the zone
/// that holds a DS matching the key (RFC 4034 §5.1.4 digest, checked with
/// ``DNSSEC/matches(_:key:owner:)``): one lagging secondary of the parent is
/// enough to wait. The check does not follow referrals; it is given the
/// parent's servers.
public struct ParentDSCheck: Sendable {
    /// The parent zone's authoritative servers.
    public var servers: [SocketAddress]
    public var client: DNSClient
    public var options: DNSQueryOptions

    public init(servers: [SocketAddress], client: DNSClient = DNSClient(), options: DNSQueryOptions = DNSQueryOptions())
    {
        self.servers = servers
        self.client = client
        self.options = options
    }

    /// What the parent's servers said.
    public struct Outcome: Sendable {
        /// Every server lists the key's DS.
        public var confirmed: Bool
        /// The smallest DS TTL the servers gave (for ``KeyLifecycle/confirmDS(zone:directory:keyTag:now:ttl:)``).
        public var ttl: UInt32?
        /// Per server, what was wrong (empty when confirmed).
        public var problems: [String]
    }

    /// Asks every server for `zone`'s DS RRset and checks it lists `key`.
    public func check(zone: DomainName, key: RDATA.DNSKEY) async -> Outcome {
        guard !self.servers.isEmpty else { return Outcome(confirmed: false, ttl: nil, problems: ["no parent servers"]) }
        var problems: [String] = []
        var ttl: UInt32? = nil
        for server in self.servers {
            let query = DNSMessage.query(id: 0, name: zone, type: .ds, recursionDesired: false)
            let response: DNSResponse
            do {
                response = try await self.client.query(query, server: server, options: self.options)
            } catch {
                problems.append("\(server): \(error)")
                continue
            }
            let message = response.message
            guard message.rcode == .noError else {
                problems.append("\(server): \(message.rcode)")
                continue
            }
            let records = message.answers.filter { $0.name == zone && $0.type == .ds }
            let found = records.first { record in
                guard case .ds(let ds) = record.rdata else { return false }
                return DNSSEC.matches(ds, key: key, owner: zone)
            }
            guard let found else {
                problems.append("\(server): no DS for key \(key.keyTag) (\(records.count) DS records)")
                continue
            }
            ttl = min(ttl ?? found.ttl, found.ttl)
        }
        return Outcome(confirmed: problems.isEmpty, ttl: problems.isEmpty ? ttl : nil, problems: problems)
    }

    /// The server's step after ``KeyLifecycle/keys(zone:directory:policy:now:)``
    /// when the policy has `parent-ds-check`: asks about every key of
    /// `result.awaitingDS` and records each confirmed one
    /// (``KeyLifecycle/confirmDS(zone:directory:keyTag:now:ttl:)``). Returns
    /// one line per key for the log; when any is confirmed, call `keys` again
    /// (its `nextChange` then says when the new key signs).
    public func confirmAwaiting(
        _ result: KeyLifecycle.Result, directory: String, now: UInt32
    ) async -> (confirmed: [UInt16], log: [String]) {
        var confirmed: [UInt16] = []
        var log: [String] = []
        let zone = result.keySet.zone
        for key in result.awaitingDS {
            let outcome = await self.check(zone: zone, key: key.dnskey)
            guard outcome.confirmed else {
                log.append(
                    "DS of \(zone) key \(key.keyTag) not yet at the parent: " + outcome.problems.joined(separator: "; ")
                )
                continue
            }
            do {
                try KeyLifecycle.confirmDS(
                    zone: zone, directory: directory, keyTag: key.keyTag, now: now, ttl: outcome.ttl)
                confirmed.append(key.keyTag)
                log.append("DS of \(zone) key \(key.keyTag) seen at every parent server")
            } catch {
                log.append("DS of \(zone) key \(key.keyTag) seen, but not recorded: \(error.detail)")
            }
        }
        return (confirmed, log)
    }
}
