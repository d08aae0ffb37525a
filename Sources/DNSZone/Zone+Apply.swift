// SPDX-License-Identifier: Apache-2.0

import DNSCore

extension Zone {
    /// The zone after `diff`: its deletions removed, its additions added, the
    /// SOA replaced by the diff's new SOA (RFC 1995 §4 applies an IXFR this way).
    ///
    /// Refused, leaving the zone as it was, when the diff does not start at
    /// this zone's serial, when a deleted record is not in the zone (the diff
    /// was made against another version), or when the result cannot be served
    /// (``init(origin:records:dnsClass:)``'s rules). Records compare by
    /// owner, type, class and canonical RDATA (RFC 4034 §6.2), not TTL.
    ///
    /// Cost: proportional to the change, not to the zone (as BIND and Knot
    /// apply an update): the names the diff touches are rebuilt from their
    /// records (``ZoneNodeAssembler``, the full build's rules), new names and
    /// their empty non-terminals are appended, names left without data or
    /// children are removed, and flags are recomputed for the touched names
    /// (and below a name whose zone cut or DNAME came or went). The node
    /// array and name table are copied flat (no name rehashed, no record
    /// rebuilt). A diff touching more than a quarter of the names is applied
    /// by a full rebuild instead (``rebuilding(_:)``), which gives the same zone.
    public func applying(_ diff: ZoneDiff) throws(ZoneBuildError) -> Zone {
        try self.checkHeader(of: diff)
        let groups = Self.grouped(diff, origin: self.origin)
        if groups.count > 64 && groups.count > self.nodes.count / 4 {
            return try self.rebuilding(diff)
        }
        return try self.patching(diff, groups: groups)
    }

    /// The checks of ``applying(_:)`` on the diff's SOA fields.
    func checkHeader(of diff: ZoneDiff) throws(ZoneBuildError) {
        let serial = ZoneDiff.serial(of: self.soa)
        guard diff.oldSOA.type == .soa, diff.newSOA.type == .soa else {
            throw ZoneBuildError("the diff's old or new SOA is not an SOA record")
        }
        guard diff.fromSerial == serial else {
            throw ZoneBuildError("the diff starts at serial \(diff.fromSerial), the zone is at serial \(serial)")
        }
        guard diff.newSOA.name == self.origin else {
            throw ZoneBuildError("the new SOA's owner \(diff.newSOA.name) is not the apex \(self.origin)")
        }
        if let record = (diff.deleted + diff.added).first(where: { $0.type == .soa }) {
            throw ZoneBuildError("the diff lists an SOA record outside its SOA fields: \(record)")
        }
    }

    /// ``applying(_:)`` by building the whole zone again from its records
    /// (the fallback for large diffs, and the reference the incremental
    /// path is tested against).
    func rebuilding(_ diff: ZoneDiff) throws(ZoneBuildError) -> Zone {
        try self.checkHeader(of: diff)
        // Deletions, counted per record key (a key may be listed once per copy).
        var pending: [RecordKey: Int] = [:]
        var touched = Set<NameType>()
        for record in diff.deleted {
            pending[RecordKey(record), default: 0] += 1
            touched.insert(NameType(name: record.name, type: record.type))
        }
        var records: [ResourceRecord] = []
        records.reserveCapacity(self.recordCount + diff.added.count)
        for set in self.allRRSets {
            // The apex SOA is the diff's new SOA; the RRSIGs over it stay unless deleted (RFC 1995 §4).
            let isSOA = set.type == .soa && set.name == self.origin
            let own = isSOA ? [] : set.records(dnsClass: self.dnsClass)
            if touched.contains(NameType(name: set.name, type: set.type)) {
                for record in own {
                    let key = RecordKey(record)
                    if let count = pending[key] {
                        pending[key] = count > 1 ? count - 1 : nil
                        continue
                    }
                    records.append(record)
                }
            } else {
                records += own
            }
            let signatures = set.signatureRecords(dnsClass: self.dnsClass)
            if !signatures.isEmpty, touched.contains(NameType(name: set.name, type: .rrsig)) {
                for record in signatures {
                    let key = RecordKey(record)
                    if let count = pending[key] {
                        pending[key] = count > 1 ? count - 1 : nil
                        continue
                    }
                    records.append(record)
                }
            } else {
                records += signatures
            }
        }
        if let missing = pending.keys.first {
            throw ZoneBuildError("a deleted record is not in the zone: \(missing.record)")
        }
        records.append(diff.newSOA)
        records += diff.added
        return try Zone(origin: self.origin, records: records, dnsClass: self.dnsClass)
    }
}

/// An owner name and a type, as a dictionary key (names compare case-insensitively).
struct NameType: Hashable {
    var name: DomainName
    var type: RecordType
}

/// A record's identity for deletion: owner, type, class and canonical RDATA,
/// TTL ignored (RFC 2181 §5: records differing only in TTL are the same record).
struct RecordKey: Hashable {
    var record: ResourceRecord
    var canonical: [UInt8]

    init(_ record: ResourceRecord) {
        self.record = record
        self.canonical = record.rdata.canonicalWireBytes
    }

    static func == (a: RecordKey, b: RecordKey) -> Bool {
        a.record.name == b.record.name && a.record.type == b.record.type && a.record.dnsClass == b.record.dnsClass
            && a.canonical == b.canonical
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(self.record.name)
        hasher.combine(self.record.type)
        hasher.combine(self.canonical)
    }
}
