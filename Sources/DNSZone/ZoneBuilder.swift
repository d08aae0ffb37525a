// SPDX-License-Identifier: Apache-2.0

import DNSCore

/// Groups records into nodes and RRsets, materialises empty non-terminals and
/// computes the node flags (the build stage of ``Zone``).
struct ZoneBuilder {
    let origin: DomainName
    let dnsClass: DNSClass
    /// Owner names; a name's id is its index in ``nodes`` (both grow together).
    var index: NameTable
    var nodes: [ZoneNode] = []
    /// RRSIG RDATA per node, waiting for the RRset they cover.
    var pendingSignatures: [Int32: [(covered: RecordType, ttl: UInt32, rdata: RDATA)]] = [:]
    var recordCount = 0
    private var lastNode: Int32 = 0

    init(origin: DomainName, dnsClass: DNSClass, expectedRecords: Int = 0) {
        self.origin = origin
        self.dnsClass = dnsClass
        // Zones hold about 0.6 names per record: reserving that avoids most rehashing.
        self.index = NameTable(expectedCount: expectedRecords * 2 / 3 + 1)
        self.nodes.reserveCapacity(expectedRecords * 2 / 3 + 1)
        _ = self.index.insert(origin)
        self.nodes.append(ZoneNode(name: origin, rrsets: [], flags: []))
    }

    /// Adds one record; a duplicate (RFC 2181 §5) is dropped.
    mutating func add(_ record: ResourceRecord) throws(ZoneBuildError) {
        guard record.dnsClass == self.dnsClass else {
            throw ZoneBuildError(
                "\(record.name) \(record.type) has class \(record.dnsClass), the zone \(self.dnsClass)")
        }
        let id: Int32
        if self.nodes[Int(self.lastNode)].name.wire == record.name.wire {
            id = self.lastNode
        } else {
            // One probe for find-or-insert; a name outside the zone fails the
            // whole build, so its stray table entry is never used.
            let (found, inserted) = self.index.insert(record.name)
            id = found
            if inserted {
                guard record.name.isSubdomain(of: self.origin) else {
                    throw ZoneBuildError("\(record.name) \(record.type) is outside the zone \(self.origin)")
                }
                self.nodes.append(ZoneNode(name: record.name, rrsets: [], flags: []))
            }
        }
        self.lastNode = id
        if case .rrsig(let sig) = record.rdata {
            var list = self.pendingSignatures[id, default: []]
            guard !list.contains(where: { $0.rdata == record.rdata }) else { return }
            list.append((sig.typeCovered, record.ttl, record.rdata))
            self.pendingSignatures[id] = list
            self.recordCount += 1
            return
        }
        let type = record.type
        let node = Int(id)
        if let k = self.nodes[node].rrsets.firstIndex(where: { $0.type == type }) {
            guard !self.nodes[node].rrsets[k].rdata.contains(record.rdata) else { return }
            if type == .cname || type == .dname || type == .soa {
                throw ZoneBuildError("more than one \(type) record at \(record.name) (RFC 2181 §10.1, RFC 6672 §2.4)")
            }
            self.nodes[node].rrsets[k].rdata.append(record.rdata)
        } else {
            self.nodes[node].rrsets.append(RRSet(name: record.name, type: type, ttl: record.ttl, rdata: [record.rdata]))
        }
        self.recordCount += 1
    }

    /// Checks the apex, attaches signatures, adds empty non-terminals and
    /// sets the flags.
    mutating func finish() throws(ZoneBuildError) -> (
        soa: ResourceRecord, nodes: [ZoneNode], index: NameTable, recordCount: Int, childCounts: [Int32]
    ) {
        guard let soaSet = self.nodes[0].rrset(.soa), let soaData = soaSet.rdata.first else {
            throw ZoneBuildError("no SOA record at the zone apex \(self.origin)")
        }
        guard self.nodes[0].rrset(.ns) != nil else {
            throw ZoneBuildError("no NS records at the zone apex \(self.origin) (RFC 1034 §4.2.1)")
        }
        let soa = ResourceRecord(name: self.origin, dnsClass: self.dnsClass, ttl: soaSet.ttl, rdata: soaData)

        // RRSIGs join the RRset they cover (RFC 4034 §3); one covering a type
        // absent at the name is kept in an RRset of its own.
        for (id, list) in self.pendingSignatures {
            let node = Int(id)
            for sig in list {
                if let k = self.nodes[node].rrsets.firstIndex(where: { $0.type == sig.covered }) {
                    if self.nodes[node].rrsets[k].signatures.isEmpty {
                        self.nodes[node].rrsets[k].signatureTTL = sig.ttl
                    }
                    self.nodes[node].rrsets[k].signatures.append(sig.rdata)
                } else if let k = self.nodes[node].rrsets.firstIndex(where: { $0.type == .rrsig }) {
                    self.nodes[node].rrsets[k].rdata.append(sig.rdata)
                } else {
                    self.nodes[node].rrsets.append(
                        RRSet(name: self.nodes[node].name, type: .rrsig, ttl: sig.ttl, rdata: [sig.rdata]))
                }
            }
        }
        self.pendingSignatures = [:]

        // CNAME and other data (RFC 2181 §10.1; RRSIG and NSEC may sit beside it, RFC 4035 §2.5).
        for node in self.nodes where node.rrsets.count > 1 && node.rrset(.cname) != nil {
            for set in node.rrsets where set.type != .cname && set.type != .nsec && set.type != .rrsig {
                throw ZoneBuildError("CNAME and other data at \(node.name) (RFC 2181 §10.1)")
            }
        }

        // Empty non-terminals: every ancestor up to the apex becomes a node.
        var parent = [Int32](repeating: -1, count: self.nodes.count)
        var i = 1
        while i < self.nodes.count {
            if let found = self.index.findParent(of: self.nodes[i].name) {
                // The common case: the parent is already a node (no name built).
                parent[i] = found
            } else if let up = self.nodes[i].name.parent {
                let (id, inserted) = self.index.insert(up)
                if inserted {
                    self.nodes.append(ZoneNode(name: up, rrsets: [], flags: []))
                    parent.append(-1)
                }
                parent[i] = id
            }
            i += 1
        }

        // Flags of the node itself.
        for k in self.nodes.indices {
            var flags: NodeFlags = []
            for set in self.nodes[k].rrsets {
                switch set.type {
                case .ns where k != 0: flags.insert(.delegation)
                case .dname: flags.insert(.dname)
                case .cname: flags.insert(.cname)
                default: break
                }
            }
            self.nodes[k].flags = flags
        }
        // Inherited flags, parents before children (by depth, a counting sort).
        let depths = self.nodes.map { $0.name.labelCount - self.origin.labelCount }
        let maxDepth = depths.max() ?? 0
        var byDepth = [[Int32]](repeating: [], count: maxDepth + 1)
        for k in self.nodes.indices { byDepth[depths[k]].append(Int32(k)) }
        for level in byDepth.dropFirst() {
            for id in level {
                let k = Int(id)
                let p = Int(parent[k])
                guard p >= 0 else { continue }
                let up = self.nodes[p].flags
                if up.contains(.delegation) || up.contains(.belowCut) { self.nodes[k].flags.insert(.belowCut) }
                if up.contains(.dname) || up.contains(.belowDNAME) { self.nodes[k].flags.insert(.belowDNAME) }
                if self.nodes[k].name.isWildcard { self.nodes[p].flags.insert(.wildcardChild) }
            }
        }
        var childCounts = [Int32](repeating: 0, count: self.nodes.count)
        for p in parent where p >= 0 { childCounts[Int(p)] += 1 }
        return (soa, self.nodes, self.index, self.recordCount, childCounts)
    }
}
