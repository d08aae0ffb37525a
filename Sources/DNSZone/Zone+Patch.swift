// SPDX-License-Identifier: Apache-2.0

import DNSCore

/// The records a diff deletes and adds at one owner name.
struct OwnerChange {
    var name: DomainName
    var deleted: [ResourceRecord] = []
    var added: [ResourceRecord] = []
}

extension Zone {
    /// The diff's records by owner name (case-insensitive, RFC 4343), the
    /// apex first (its SOA is replaced), then in order of first appearance.
    static func grouped(_ diff: ZoneDiff, origin: DomainName) -> [OwnerChange] {
        var position: [DomainName: Int] = [origin: 0]
        var groups = [OwnerChange(name: origin)]
        for record in diff.deleted {
            let k = position[record.name] ?? groups.count
            if k == groups.count {
                position[record.name] = k
                groups.append(OwnerChange(name: record.name))
            }
            groups[k].deleted.append(record)
        }
        for record in diff.added {
            let k = position[record.name] ?? groups.count
            if k == groups.count {
                position[record.name] = k
                groups.append(OwnerChange(name: record.name))
            }
            groups[k].added.append(record)
        }
        return groups
    }

    /// ``applying(_:)`` in time proportional to the change.
    ///
    /// Node ids stay dense: a removed node's slot takes the last node (and
    /// the name table renumbers that name the same way), so the node count
    /// is the number of names with data plus empty non-terminals, as in a
    /// full build, and queries see the same layout.
    func patching(_ diff: ZoneDiff, groups: [OwnerChange]) throws(ZoneBuildError) -> Zone {
        var nodes = self.nodes
        var index = self.index
        var childCounts = self.childCounts
        var recordCount = self.recordCount
        // Nodes whose RRsets changed or that are new (empty non-terminals included).
        var changed: [Int32] = []
        // Existing nodes whose cut or DNAME came or went, with nodes below them.
        var occludingChanged: [Int32] = []
        let firstNew = Int32(nodes.count)

        // Every deleted record must be there (checked before anything is built, as in a full rebuild).
        var survivors: [(kept: [ResourceRecord], oldCount: Int)] = []
        survivors.reserveCapacity(groups.count)
        for group in groups {
            let isApex = group.name == self.origin
            // The node's records as a full rebuild lists them, minus the deleted ones.
            var pending: [RecordKey: Int] = [:]
            for record in group.deleted { pending[RecordKey(record), default: 0] += 1 }
            var kept: [ResourceRecord] = []
            var oldCount = 0
            if let found = self.index.find(group.name) {
                for set in self.nodes[Int(found)].rrsets {
                    oldCount += set.rdata.count + set.signatures.count
                    let own = isApex && set.type == .soa ? [] : set.records(dnsClass: self.dnsClass)
                    for record in own + set.signatureRecords(dnsClass: self.dnsClass) {
                        if !pending.isEmpty {
                            let key = RecordKey(record)
                            if let count = pending[key] {
                                pending[key] = count > 1 ? count - 1 : nil
                                continue
                            }
                        }
                        kept.append(record)
                    }
                }
            }
            if let missing = pending.keys.first {
                throw ZoneBuildError("a deleted record is not in the zone: \(missing.record)")
            }
            survivors.append((kept, oldCount))
        }

        for (group, (kept, oldCount)) in zip(groups, survivors) {
            let isApex = group.name == self.origin
            let found = index.find(group.name)
            if found == nil, !group.name.isSubdomain(of: self.origin), let record = group.added.first {
                guard record.dnsClass == self.dnsClass else {
                    throw ZoneBuildError(
                        "\(record.name) \(record.type) has class \(record.dnsClass), the zone \(self.dnsClass)")
                }
                throw ZoneBuildError("\(record.name) \(record.type) is outside the zone \(self.origin)")
            }
            var assembler = ZoneNodeAssembler(dnsClass: self.dnsClass)
            for record in kept { try assembler.add(record) }
            if isApex { try assembler.add(diff.newSOA) }
            for record in group.added { try assembler.add(record) }
            let name = assembler.firstOwner ?? found.map { nodes[Int($0)].name } ?? group.name
            let rrsets = try assembler.finish(name: name)
            recordCount += assembler.recordCount - oldCount

            if let found {
                let k = Int(found)
                let before = nodes[k].flags
                nodes[k] = ZoneNode(
                    name: name, rrsets: rrsets, flags: Self.ownFlags(rrsets, apex: k == 0, keeping: before))
                changed.append(found)
                let occluding: NodeFlags = [.delegation, .dname]
                if found < firstNew, childCounts[k] > 0,
                    before.intersection(occluding) != nodes[k].flags.intersection(occluding)
                {
                    occludingChanged.append(found)
                }
                continue
            }
            guard !rrsets.isEmpty else { continue }
            // A new name, and its missing ancestors as empty non-terminals.
            let (id, _) = index.insert(group.name)
            nodes.append(ZoneNode(name: name, rrsets: rrsets, flags: Self.ownFlags(rrsets, apex: false, keeping: [])))
            childCounts.append(0)
            changed.append(id)
            var child = group.name
            while true {
                if let parent = index.findParent(of: child) {
                    childCounts[Int(parent)] += 1
                    break
                }
                guard let up = child.parent else { break }
                let (enclosing, _) = index.insert(up)
                nodes.append(ZoneNode(name: up, rrsets: [], flags: []))
                childCounts.append(1)
                changed.append(enclosing)
                child = up
            }
        }
        guard nodes[0].rrset(.ns) != nil else {
            throw ZoneBuildError("no NS records at the zone apex \(self.origin) (RFC 1034 §4.2.1)")
        }
        guard let soaSet = nodes[0].rrset(.soa), let soaData = soaSet.rdata.first else {
            throw ZoneBuildError("no SOA record at the zone apex \(self.origin)")
        }

        // Names left without data or children go (RFC 4592 §2.2.2), and
        // so do the empty non-terminals above them that had no other child.
        var removed = Set<Int32>()
        for id in changed where id != 0 && !removed.contains(id) {
            var k = id
            while k != 0, nodes[Int(k)].rrsets.isEmpty, childCounts[Int(k)] == 0, !removed.contains(k) {
                removed.insert(k)
                guard let parent = index.findParent(of: nodes[Int(k)].name) else { break }
                childCounts[Int(parent)] -= 1
                k = parent
            }
        }

        // Flags: inherited ones of the changed nodes and of the nodes below a
        // changed cut or DNAME; wildcard children of the changed nodes and of
        // the parents of wildcards added or removed.
        var wildcardParents: [Int32] = []
        // (A wildcard may go as an empty non-terminal above a removed name: removed ones count too.)
        for id in changed + removed where nodes[Int(id)].name.isWildcard {
            if let parent = index.findParent(of: nodes[Int(id)].name) { wildcardParents.append(parent) }
        }
        for id in changed where !removed.contains(id) {
            Self.setInheritedFlags(&nodes, id: id, index: index)
            Self.setWildcardFlag(&nodes, id: id, index: index, removed: removed)
        }
        for id in wildcardParents where !removed.contains(id) {
            Self.setWildcardFlag(&nodes, id: id, index: index, removed: removed)
        }
        if !occludingChanged.isEmpty {
            let roots = occludingChanged.map { nodes[Int($0)].name }
            for k in nodes.indices where !removed.contains(Int32(k)) {
                let name = nodes[k].name
                if roots.contains(where: { name.labelCount > $0.labelCount && name.isSubdomain(of: $0) }) {
                    Self.setInheritedFlags(&nodes, id: Int32(k), index: index)
                }
            }
        }

        // Removal, highest id first: the last node moves into the hole.
        for id in removed.sorted(by: >) {
            index.remove(id: id)
            let last = nodes.count - 1
            if Int(id) != last {
                nodes[Int(id)] = nodes[last]
                childCounts[Int(id)] = childCounts[last]
            }
            nodes.removeLast()
            childCounts.removeLast()
        }

        let soa = ResourceRecord(name: self.origin, dnsClass: self.dnsClass, ttl: soaSet.ttl, rdata: soaData)
        return Zone(
            origin: self.origin, dnsClass: self.dnsClass, soa: soa, nodes: nodes, index: index,
            childCounts: childCounts, recordCount: recordCount)
    }

    /// The flags a node's own RRsets give (a cut, a DNAME, a CNAME), with
    /// the inherited and wildcard flags of `keeping`.
    static func ownFlags(_ rrsets: [RRSet], apex: Bool, keeping: NodeFlags) -> NodeFlags {
        var flags = keeping.intersection([.belowCut, .belowDNAME, .wildcardChild])
        for set in rrsets {
            switch set.type {
            case .ns where !apex: flags.insert(.delegation)
            case .dname: flags.insert(.dname)
            case .cname: flags.insert(.cname)
            default: break
            }
        }
        return flags
    }

    /// Sets `belowCut` and `belowDNAME` of node `id` from its ancestors'
    /// own flags, walking up to the apex (one lookup per label).
    static func setInheritedFlags(_ nodes: inout [ZoneNode], id: Int32, index: NameTable) {
        var inherited: NodeFlags = []
        var current = nodes[Int(id)].name
        while let parent = index.findParent(of: current) {
            let flags = nodes[Int(parent)].flags
            if flags.contains(.delegation) { inherited.insert(.belowCut) }
            if flags.contains(.dname) { inherited.insert(.belowDNAME) }
            current = nodes[Int(parent)].name
        }
        nodes[Int(id)].flags.subtract([.belowCut, .belowDNAME])
        nodes[Int(id)].flags.formUnion(inherited)
    }

    /// Sets `wildcardChild` of node `id`: `*.name` is a node not being removed.
    static func setWildcardFlag(_ nodes: inout [ZoneNode], id: Int32, index: NameTable, removed: Set<Int32>) {
        var present = false
        if let star = try? nodes[Int(id)].name.prepending(label: [UInt8(ascii: "*")]), let child = index.find(star) {
            present = !removed.contains(child)
        }
        if present {
            nodes[Int(id)].flags.insert(.wildcardChild)
        } else {
            nodes[Int(id)].flags.remove(.wildcardChild)
        }
    }
}
