// SPDX-License-Identifier: Apache-2.0

import DNSAuthority
import DNSCore
import DNSZone
import HanonDDNS
import Logging
import NIOCore

/// ``DDNSZoneWriter`` for the zones this server serves from files: an
/// address change is made as an RFC 2136 UPDATE (delete the A or AAAA
/// RRset, add the new records) through ``ZoneUpdater``, the path of network
/// updates — journal and fsync before the answer, serial bump by the zone's
/// `serial-policy`, zone file write-back, IXFR history, NOTIFY to the
/// secondaries, and whatever else that path does (re-signing).
///
/// The update is made in hanon's own name: the zone's `allow-update` rules
/// do not apply, only a policy that allows A and AAAA at that one name.
/// Setting the addresses a name already has changes nothing (`.unchanged`,
/// no serial bump).
struct DDNSZoneAdapter: DDNSZoneWriter {
    let updater: ZoneUpdater
    let handler: AuthorityHandler
    /// TTL of new RRsets when the caller gives none.
    var defaultTTL: UInt32 = 300

    /// The identity hanon's own updates carry (in logs and the policy).
    static let identity = (try? DomainName("dyndns2.hanon.invalid.", origin: .root)) ?? .root

    func setAddresses(_ name: DomainName, v4: [IPv4Address], v6: [IPv6Address], ttl: UInt32?) async throws
        -> DDNSChange
    {
        guard !v4.isEmpty || !v6.isEmpty else { return .unchanged }
        guard let origin = self.handler.processor.zones.zone(for: name)?.origin else { return .notServed }
        let wanted: [(RecordType, [RDATA])] = [
            (.a, v4.map { RDATA.a(.init($0)) }), (.aaaa, v6.map { RDATA.aaaa(.init($0)) }),
        ].filter { !$0.1.isEmpty }
        let result: Result<DDNSChange, DDNSZoneError> = self.updater.serialized { writers in
            guard let zone = writers.zones[origin]?.current else { return .success(.notServed) }
            var updates: [ResourceRecord] = []
            var differs = false
            for (type, rdata) in wanted {
                let existing = zone.rrset(at: name, type: type)
                let same =
                    existing.map { set in
                        set.rdata.count == rdata.count
                            && rdata.allSatisfy { r in set.rdata.contains { $0.wireBytes == r.wireBytes } }
                    } ?? false
                if same { continue }
                differs = true
                let recordTTL = existing?.ttl ?? ttl ?? self.defaultTTL
                updates.append(
                    ResourceRecord(name: name, dnsClass: .any, ttl: 0, rdata: .unknown(type, RDATA.Opaque(bytes: []))))
                updates += rdata.map { ResourceRecord(name: name, dnsClass: zone.dnsClass, ttl: recordTTL, rdata: $0) }
            }
            guard differs else { return .success(.unchanged) }
            var header = Header(id: 0)
            header.opcode = .update
            let message = DNSMessage(
                header: header, questions: [Question(name: origin, type: .soa, dnsClass: zone.dnsClass)],
                authorities: updates)
            let policy = UpdatePolicy(rules: [
                UpdateRule(identity: .key(Self.identity), names: [.exact(name)], types: [.a, .aaaa])
            ])
            let before = zone.serial
            guard
                let reply = writers.handle(
                    message.serialize(), client: ClientIP(ipv4: 0x7F00_0001), keyName: Self.identity,
                    handler: self.handler, policy: policy)
            else { return .failure(DDNSZoneError("\(name): no answer from the update path")) }
            let rcode = (try? DNSMessage(wire: reply))?.rcode ?? .servFail
            guard rcode == .noError else {
                return .failure(DDNSZoneError("\(name): the update was answered \(rcode)"))
            }
            let after = writers.zones[origin]?.current.serial ?? before
            return .success(after == before ? .unchanged : .changed)
        }
        return try result.get()
    }
}

/// An address change the zone did not take.
struct DDNSZoneError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
