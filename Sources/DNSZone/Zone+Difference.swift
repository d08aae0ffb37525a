// SPDX-License-Identifier: Apache-2.0

import DNSCore

extension Zone {
    /// The SOA serial (RFC 1035 §3.3.13).
    public var serialNumber: SerialNumber {
        if case .soa(let soa) = self.soa.rdata { return SerialNumber(soa.serial) }
        return SerialNumber(0)
    }

    /// The RRsets of one node (index `0 ..< nodeCount`, 0 is the apex), for
    /// walking the zone without building the list of all RRsets (a zone
    /// transfer of a large zone); empty for an empty non-terminal or an index
    /// out of range.
    public func rrsets(atNodeIndex index: Int) -> [RRSet] {
        guard self.nodes.indices.contains(index) else { return [] }
        return self.nodes[index].rrsets
    }

    /// Every record of the zone except the apex SOA itself, RRSIGs included
    /// (as RRSIG records after the RRset they cover), node by node.
    public func recordsExceptSOA() -> [ResourceRecord] {
        var records: [ResourceRecord] = []
        records.reserveCapacity(self.recordCount)
        for (k, node) in self.nodes.enumerated() {
            for set in node.rrsets {
                if !(k == 0 && set.type == .soa) { records += set.records(dnsClass: self.dnsClass) }
                records += set.signatureRecords(dnsClass: self.dnsClass)
            }
        }
        return records
    }

    /// What changed from `old` to this zone, as IXFR carries it (RFC 1995 §4)
    /// — what BIND's `ixfr-from-differences` computes when a zone file is
    /// edited and reloaded. Records are compared whole (owner, class, TTL and
    /// data), so a TTL change shows as a deletion and an addition. The SOA is
    /// left out of the lists; a changed RRSIG over the SOA is not.
    ///
    /// Deleted records keep the order of `old`, added ones the order of this zone.
    public func difference(from old: Zone) -> ZoneDiff {
        let before = old.recordsExceptSOA()
        let after = self.recordsExceptSOA()
        let beforeSet = Set(before)
        let afterSet = Set(after)
        return ZoneDiff(
            oldSOA: old.soa, newSOA: self.soa,
            deleted: before.filter { !afterSet.contains($0) },
            added: after.filter { !beforeSet.contains($0) })
    }
}
