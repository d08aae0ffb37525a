// SPDX-License-Identifier: Apache-2.0

import DNSCore

extension Zone {
    /// Every record of the zone, RRSIGs included, node by node.
    public var allRecords: [ResourceRecord] {
        var records: [ResourceRecord] = []
        records.reserveCapacity(self.recordCount)
        for set in self.allRRSets {
            for rdata in set.rdata {
                records.append(ResourceRecord(name: set.name, dnsClass: self.dnsClass, ttl: set.ttl, rdata: rdata))
            }
            for signature in set.signatures {
                records.append(
                    ResourceRecord(name: set.name, dnsClass: self.dnsClass, ttl: set.signatureTTL, rdata: signature))
            }
        }
        return records
    }

    /// The zone after `diff` (RFC 1995 §4): its old SOA must be this zone's,
    /// every deleted record must be present (compared by owner, type and
    /// data, as RFC 2136 §3.4.2.4 compares), the added ones are added and the
    /// SOA replaced. A diff that does not fit is refused and nothing changes.
    public func applying(_ diff: ZoneDiff) throws(ZoneBuildError) -> Zone {
        guard diff.oldSOA.rdata == self.soa.rdata else {
            throw ZoneBuildError(
                "the change starts at serial \(diff.fromSerial), the zone is at \(ZoneDiff.serial(of: self.soa))")
        }
        var records = self.allRecords
        var positions: [Key: [Int]] = [:]
        for (i, record) in records.enumerated() { positions[Key(record), default: []].append(i) }
        var removed = Set<Int>()
        for record in diff.deleted {
            guard let i = positions[Key(record)]?.popLast() else {
                throw ZoneBuildError("the change deletes \(record.name) \(record.type), which the zone does not have")
            }
            removed.insert(i)
        }
        if let soaIndex = positions[Key(self.soa)]?.first { removed.insert(soaIndex) }
        records = records.enumerated().filter { !removed.contains($0.offset) }.map(\.element)
        records.append(diff.newSOA)
        records.append(contentsOf: diff.added)
        return try Zone(origin: self.origin, records: records, dnsClass: self.dnsClass)
    }

    /// Owner (case-folded by DomainName's ==), type and data: the identity of
    /// a record for deletion.
    private struct Key: Hashable {
        var name: DomainName
        var rdata: RDATA
        init(_ record: ResourceRecord) {
            self.name = record.name
            self.rdata = record.rdata
        }
    }
}
