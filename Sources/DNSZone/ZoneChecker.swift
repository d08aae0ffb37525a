// SPDX-License-Identifier: Apache-2.0

import DNSCore

/// What a checked zone contains, for `hanon zone check`'s one-line summary.
public struct ZoneSummary: Sendable, Hashable, CustomStringConvertible {
    public var origin: DomainName
    /// Distinct records (RFC 2181 §5 duplicates counted once).
    public var records: Int
    /// Distinct owner names.
    public var names: Int
    /// Records per type, by type number.
    public var types: [RecordType: Int]

    /// `example.org.: 1234 records, 456 names, 9 types (A 300, AAAA 200, ...)`, types by type number.
    public var description: String {
        let list = self.types.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        return "\(self.origin): \(self.records) records, \(self.names) names, \(self.types.count) types (\(list))"
    }
}

/// The checks named-checkzone makes, with the location of the record at fault.
///
/// Errors (the zone must not be loaded):
/// - no SOA, more than one SOA, an SOA not at the apex (RFC 1035 §5.2);
/// - no NS at the apex (RFC 1034 §4.2.1);
/// - a CNAME beside other data, except RRSIG and NSEC (RFC 2181 §10.1,
///   RFC 4035 §2.5), or more than one CNAME at a name;
/// - more than one DNAME at a name, or data below a DNAME (RFC 6672 §2.4, §2.3);
/// - data outside the zone;
/// - an apex NS whose target is inside the zone and has no A or AAAA.
///
/// Warnings (named-checkzone also only warns):
/// - a delegation's in-zone NS target, or an MX target, without A or AAAA;
/// - data below a delegation other than A and AAAA glue (occluded, RFC 2181 §6).
public enum ZoneChecker {
    private struct Flags: OptionSet {
        let rawValue: UInt8
        static let ns = Flags(rawValue: 1)
        static let dname = Flags(rawValue: 2)
        static let address = Flags(rawValue: 4)
    }

    /// Checks `zone`, adds what it finds to its diagnostics, and summarises it
    /// (nil when the zone has no origin to check against).
    @discardableResult
    public static func check(_ zone: inout ParsedZone) -> ZoneSummary? {
        guard let apex = zone.origin else {
            zone.report(
                ZoneParseError(
                    file: zone.files.first ?? "",
                    line: 1,
                    column: 1,
                    message: "no zone origin: give --origin, a $ORIGIN line or an SOA record"
                )
            )
            return nil
        }
        let records = zone.records
        let hasLocations = zone.locations.count == records.count
        func location(_ i: Int) -> ZoneLocation {
            hasLocations ? zone.locations[i] : ZoneLocation(file: 0, line: 0, column: 0)
        }

        // 1. Owner names: an index, and the node of each record (-1 out of zone).
        var table = NameTable(expectedCount: records.count / 2)
        var nodeOf = [Int32](repeating: -1, count: records.count)
        for i in records.indices {
            let name = records[i].name
            if i > 0, nodeOf[i - 1] >= 0, records[i - 1].name.wire == name.wire {
                nodeOf[i] = nodeOf[i - 1]
                continue
            }
            if let id = table.find(name) {
                nodeOf[i] = id
                continue
            }
            guard name.isSubdomain(of: apex) else {
                zone.report("\(name) is out of zone \(apex)", at: location(i))
                continue
            }
            nodeOf[i] = table.insert(name).id
        }
        let names = table.names

        // 2. Records grouped by node, file order kept (a counting sort).
        var starts = [Int32](repeating: 0, count: names.count + 1)
        for node in nodeOf where node >= 0 { starts[Int(node) + 1] += 1 }
        for k in 0..<names.count { starts[k + 1] += starts[k] }
        var fill = starts
        var order = [Int32](repeating: 0, count: Int(starts[names.count]))
        for i in records.indices where nodeOf[i] >= 0 {
            let node = Int(nodeOf[i])
            order[Int(fill[node])] = Int32(i)
            fill[node] += 1
        }
        fill = []

        // 3. Per name: duplicates, singleton types, CNAME beside other data, SOA.
        var duplicate = [Bool](repeating: false, count: records.count)
        var flags = [Flags](repeating: [], count: names.count)
        // Per type: types below 256 (all the common ones) in an array, no hashing per record.
        var smallTypeCounts = [Int](repeating: 0, count: 256)
        var typeCounts: [RecordType: Int] = [:]
        var distinct = 0
        var soaAtApex = 0
        var apexHasNS = false
        var seen = Set<RDATA>()
        for node in 0..<names.count {
            let group = order[Int(starts[node])..<Int(starts[node + 1])]
            if group.count > 16 { seen.removeAll(keepingCapacity: true) }
            var cname = 0
            var dname = 0
            var other = false
            var reportedCNAME = false
            let isApex = names[node] == apex
            for (k, recordIndex) in group.enumerated() {
                let i = Int(recordIndex)
                let rdata = records[i].rdata
                if group.count > 16 {
                    if !seen.insert(rdata).inserted { duplicate[i] = true }
                } else {
                    for earlier in group.prefix(k)
                    where !duplicate[Int(earlier)] && records[Int(earlier)].rdata == rdata {
                        duplicate[i] = true
                        break
                    }
                }
                if duplicate[i] { continue }
                distinct += 1
                let type = rdata.type
                if type.rawValue < 256 {
                    smallTypeCounts[Int(type.rawValue)] += 1
                } else {
                    typeCounts[type, default: 0] += 1
                }
                switch type {
                case .cname:
                    cname += 1
                    if cname == 2 {
                        zone.report("more than one CNAME record at \(names[node]) (RFC 2181 §10.1)", at: location(i))
                    }
                case .dname:
                    dname += 1
                    flags[node].insert(.dname)
                    if dname == 2 {
                        zone.report("more than one DNAME record at \(names[node]) (RFC 6672 §2.4)", at: location(i))
                    }
                    other = true
                case .rrsig, .nsec:
                    break
                default:
                    other = true
                }
                if !reportedCNAME && cname > 0 && other {
                    reportedCNAME = true
                    zone.report("CNAME and other data at \(names[node]) (RFC 2181 §10.1)", at: location(i))
                }
                switch type {
                case .soa:
                    if !isApex {
                        zone.report("SOA record at \(names[node]), not at the zone apex \(apex)", at: location(i))
                    } else {
                        soaAtApex += 1
                        if soaAtApex == 2 {
                            zone.report("more than one SOA record at the zone apex \(apex)", at: location(i))
                        }
                    }
                case .ns:
                    flags[node].insert(.ns)
                    if isApex { apexHasNS = true }
                case .a, .aaaa:
                    flags[node].insert(.address)
                default:
                    break
                }
            }
        }
        seen = []
        for (raw, count) in smallTypeCounts.enumerated() where count > 0 {
            typeCounts[RecordType(UInt16(raw))] = count
        }
        let top = ZoneLocation(file: 0, line: 1, column: 1)
        if soaAtApex == 0 { zone.report("no SOA record at the zone apex \(apex)", at: top) }
        if !apexHasNS { zone.report("no NS records at the zone apex \(apex)", at: top) }

        // 4. Names below a DNAME (error) or a delegation (occluded: warning).
        let apexLabels = apex.labelCount
        let cuts = names.indices.contains { node in
            flags[node].contains(.dname) || (flags[node].contains(.ns) && names[node] != apex)
        }
        if cuts {
            for node in names.indices where names[node].labelCount > apexLabels + 1 {
                var ancestor = names[node].parent
                var below: (name: DomainName, isDNAME: Bool)? = nil
                while let current = ancestor, current.labelCount > apexLabels {
                    if let id = table.find(current) {
                        if flags[Int(id)].contains(.dname) {
                            below = (current, true)
                        } else if below == nil && flags[Int(id)].contains(.ns) {
                            below = (current, false)
                        }
                    }
                    ancestor = current.parent
                }
                guard let below else { continue }
                for recordIndex in order[Int(starts[node])..<Int(starts[node + 1])] where !duplicate[Int(recordIndex)] {
                    let i = Int(recordIndex)
                    if below.isDNAME {
                        zone.report(
                            "\(names[node]) is below the DNAME at \(below.name) (RFC 6672 §2.3)",
                            at: location(i)
                        )
                        break
                    }
                    let type = records[i].type
                    if type != .a && type != .aaaa {
                        zone.report(
                            "\(names[node]) \(type) is below the delegation at \(below.name) and is occluded",
                            at: location(i),
                            severity: .warning
                        )
                    }
                }
            }
        }

        // 5. NS and MX targets inside the zone need addresses.
        for i in records.indices where nodeOf[i] >= 0 && !duplicate[i] {
            let owner = names[Int(nodeOf[i])]
            switch records[i].rdata {
            case .ns(let target):
                guard target.isSubdomain(of: apex) else { continue }
                if let id = table.find(target), flags[Int(id)].contains(.address) { continue }
                if owner == apex {
                    zone.report("NS target \(target) has no address records (A or AAAA)", at: location(i))
                } else if flags[Int(nodeOf[i])].contains(.ns) {
                    let glue = target.isSubdomain(of: owner) ? " (required glue)" : ""
                    zone.report(
                        "NS target \(target) of the delegation \(owner) has no address records (A or AAAA)\(glue)",
                        at: location(i),
                        severity: .warning
                    )
                }
            case .mx(let mx):
                let target = mx.exchange
                guard target.isSubdomain(of: apex), !target.isRoot else { continue }
                if let id = table.find(target), flags[Int(id)].contains(.address) { continue }
                zone.report(
                    "MX target \(target) has no address records (A or AAAA)",
                    at: location(i),
                    severity: .warning
                )
            default:
                continue
            }
        }
        return ZoneSummary(origin: apex, records: distinct, names: names.count, types: typeCounts)
    }
}
