// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSZone

/// The RRsets an update touches, copied out of the zone and changed in
/// place (RFC 2136 §3.4.2), then compared with the originals to make the diff.
struct WorkingZone {
    let zone: Zone
    var origin: DomainName { self.zone.origin }
    var dnsClass: DNSClass { self.zone.dnsClass }
    /// The RRsets at the names the update mentions, as in the zone.
    let original: [DomainName: [RecordType: RRSet]]
    /// The same, as changed so far.
    var sets: [DomainName: [RecordType: RRSet]]
    /// The SOA as changed so far.
    var soa: ResourceRecord
    /// Names (among those mentioned) strictly below a delegation.
    let belowCut: Set<DomainName>
    /// Types the update may not change, which deleting every RRset at a
    /// name leaves (``UpdateProcessor/managedTypes(signed:)``).
    let managed: Set<RecordType>

    init(zone: Zone, names: Set<DomainName>, managed: Set<RecordType> = UpdateProcessor.dnssecTypes) {
        self.zone = zone
        self.managed = managed
        var wanted = names
        wanted.insert(zone.origin)
        // The ancestors of each name, to find zone cuts above it.
        var ancestors: [DomainName: [DomainName]] = [:]
        for name in names where name.isSubdomain(of: zone.origin) {
            var chain: [DomainName] = []
            var current = name
            while current != zone.origin, let parent = current.parent {
                if parent != zone.origin { chain.append(parent) }
                current = parent
            }
            ancestors[name] = chain
            wanted.formUnion(chain)
        }
        var found: [DomainName: [RecordType: RRSet]] = [:]
        // One lookup per name (not a pass over the zone: an update costs what it changes).
        for name in wanted {
            for set in zone.rrsets(at: name) { found[set.name, default: [:]][set.type] = set }
        }
        var below = Set<DomainName>()
        for (name, chain) in ancestors where chain.contains(where: { found[$0]?[.ns] != nil }) {
            below.insert(name)
        }
        self.original = found
        self.sets = found
        self.soa = zone.soa
        self.belowCut = below
    }

    func isBelowCut(_ name: DomainName) -> Bool { self.belowCut.contains(name) }

    /// The types with records at `name` now.
    func types(at name: DomainName) -> [RecordType] {
        (self.sets[name] ?? [:]).filter { !$0.value.rdata.isEmpty }.map(\.key)
    }

    func current(_ key: NameType) -> RRSet? {
        guard let set = self.sets[key.name]?[key.type], !set.rdata.isEmpty else { return nil }
        return set
    }

    /// One record of the update section, applied (RFC 2136 §3.4.2.2 – §3.4.2.4).
    mutating func apply(_ record: ResourceRecord) {
        let name = record.name
        let type = record.type
        switch record.dnsClass {
        case .any:
            if type == .any {
                for existing in self.types(at: name) where !self.managed.contains(existing) {
                    if name == self.origin && (existing == .soa || existing == .ns) { continue }
                    self.sets[name]?[existing]?.rdata = []
                }
            } else if !(name == self.origin && (type == .soa || type == .ns)) {
                self.sets[name]?[type]?.rdata = []
            }
        case .none:
            if type == .soa { return }
            guard var set = self.sets[name]?[type] else { return }
            // Never the apex's last NS (RFC 2136 §3.4.2.4).
            if type == .ns, name == self.origin, set.rdata.count == 1 { return }
            set.rdata.removeAll { UpdateProcessor.same($0, record.rdata) }
            self.sets[name]?[type] = set
        default:
            self.add(record)
        }
    }

    /// §3.4.2.2: add to an RRset, with the CNAME and SOA rules.
    private mutating func add(_ record: ResourceRecord) {
        let name = record.name
        let type = record.type
        let present = self.types(at: name).filter { !UpdateProcessor.dnssecTypes.contains($0) }
        // A CNAME stands alone (RFC 2181 §10.1): skip what would break that.
        if type == .cname, present.contains(where: { $0 != .cname }) { return }
        if type != .cname, !UpdateProcessor.dnssecTypes.contains(type), present.contains(.cname) { return }
        if type == .soa {
            guard name == self.origin, case .soa(let new) = record.rdata, case .soa(let old) = self.soa.rdata,
                SerialPolicy.isGreater(new.serial, than: old.serial)
            else { return }
            self.soa = record
            return
        }
        var set =
            self.sets[name]?[type] ?? RRSet(name: name, type: type, ttl: record.ttl, rdata: [])
        if type == .cname || type == .dname {
            set.rdata = [record.rdata]
        } else if !set.rdata.contains(where: { UpdateProcessor.same($0, record.rdata) }) {
            set.rdata.append(record.rdata)
        }
        set.ttl = record.ttl
        self.sets[name, default: [:]][type] = set
    }

    /// Records deleted and added: per RRset the difference of the records;
    /// a changed TTL deletes and adds the whole RRset; an RRset emptied takes
    /// its RRSIGs with it.
    func changes() -> (deleted: [ResourceRecord], added: [ResourceRecord]) {
        var deleted: [ResourceRecord] = []
        var added: [ResourceRecord] = []
        for name in self.sets.keys.sorted(by: { $0.description < $1.description }) {
            let now = self.sets[name] ?? [:]
            let before = self.original[name] ?? [:]
            for type in Set(now.keys).union(before.keys).sorted(by: { $0.rawValue < $1.rawValue }) {
                let old = before[type]
                let new = now[type]
                let oldRecords = old?.records(dnsClass: self.dnsClass) ?? []
                let newRecords = new?.records(dnsClass: self.dnsClass) ?? []
                if let old, let new, old.ttl != new.ttl, !old.rdata.isEmpty, !new.rdata.isEmpty {
                    deleted += oldRecords
                    added += newRecords
                    continue
                }
                deleted += oldRecords.filter { o in !newRecords.contains { UpdateProcessor.same($0.rdata, o.rdata) } }
                added += newRecords.filter { n in !oldRecords.contains { UpdateProcessor.same($0.rdata, n.rdata) } }
                if let old, !old.rdata.isEmpty, new?.rdata.isEmpty ?? true {
                    deleted += old.signatureRecords(dnsClass: self.dnsClass)
                }
            }
        }
        return (deleted, added)
    }
}
