// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSZone

extension IncrementalSigner {
    /// The signatures of `zone` that expire before `dueBefore` (seconds since
    /// 1970) replaced by new ones, with the SOA moved to `newSOA` and signed
    /// anew: the zone after, and the diff (a new serial, so secondaries
    /// follow by IXFR). RRsets whose signatures are all still good are left
    /// alone; the policy's jitter spreads the new expirations.
    public func refresh(
        _ zone: Zone, newSOA: ResourceRecord, dueBefore: UInt32
    ) throws(DNSSECError) -> (zone: Zone, diff: ZoneDiff) {
        let origin = zone.origin
        let dnsClass = zone.dnsClass
        try self.signer.checkKeys(origin: origin)
        var deleted: [ResourceRecord] = []
        var jobs: [ZoneSigner.Job] = []
        for index in 0..<zone.nodeCount {
            for set in zone.rrsets(atNodeIndex: index) where !set.signatures.isEmpty && set.type != .rrsig {
                let isSOA = set.type == .soa && set.name == origin
                let due = set.signatures.contains {
                    if case .rrsig(let sig) = $0 { return sig.expiration < dueBefore }
                    return false
                }
                guard due || isSOA else { continue }
                deleted += set.signatureRecords(dnsClass: dnsClass)
                let bySEP = set.type == .dnskey || set.type == .cds || set.type == .cdnskey
                jobs.append(
                    ZoneSigner.Job(
                        owner: set.name, type: set.type, ttl: isSOA ? newSOA.ttl : set.ttl,
                        rdata: isSOA ? [newSOA.rdata] : set.rdata, bySEP: bySEP))
            }
        }
        let added = try self.signer.signatures(for: jobs, origin: origin, dnsClass: dnsClass)
        let diff = ZoneDiff(oldSOA: zone.soa, newSOA: newSOA, deleted: deleted, added: added)
        do {
            return (try zone.applying(diff), diff)
        } catch {
            throw DNSSECError(.zone, "the refreshed signatures do not apply: \(error)")
        }
    }

    /// The earliest expiration of a signature in `zone` (seconds since
    /// 1970); nil when nothing is signed.
    public static func earliestExpiration(of zone: Zone) -> UInt32? {
        var earliest: UInt32? = nil
        for index in 0..<zone.nodeCount {
            for set in zone.rrsets(atNodeIndex: index) {
                for rdata in set.signatures {
                    if case .rrsig(let sig) = rdata, earliest.map({ sig.expiration < $0 }) ?? true {
                        earliest = sig.expiration
                    }
                }
            }
        }
        return earliest
    }
}
