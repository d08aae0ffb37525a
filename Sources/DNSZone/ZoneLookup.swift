// SPDX-License-Identifier: Apache-2.0

import DNSCore

/// What a zone says about one name and type (RFC 1034 §4.3.2 step 3, as
/// refined by RFC 4592, RFC 6672 and RFC 4035 §3.1.4.1).
///
/// Outcomes are results, not errors. RRsets are returned as stored; when
/// `wildcard` is true they were found at a wildcard and the caller writes
/// them with the query name as owner (RFC 4592 §3.3.1).
public enum LookupResult: Sendable, Hashable {
    /// Data at the name: one RRset, or every RRset for type ANY.
    case answer([RRSet], wildcard: Bool)
    /// The name is an alias (RFC 1034 §3.6.2); the caller restarts the
    /// lookup at the CNAME's target, wherever it is.
    case cname(RRSet, wildcard: Bool)
    /// A DNAME at an ancestor of the name (RFC 6672 §3.1): the DNAME RRset
    /// and the name it maps to (`nil` when that name would exceed 255
    /// octets: the answer is YXDOMAIN, RFC 6672 §2.2).
    case dname(RRSet, target: DomainName?)
    /// The name is at or below a zone cut (RFC 1034 §4.2.1): the NS RRset of
    /// the cut, and its DS RRset when there is one (RFC 4035 §3.1.4).
    case delegation(ns: RRSet, ds: RRSet?)
    /// The name exists (possibly as an empty non-terminal, or through a
    /// wildcard) but has no data of the type (RFC 2308 §2.2).
    case noData(wildcard: Bool)
    /// The name does not exist (RFC 2308 §2.1).
    case nxDomain
}

/// What a zone says about one name and type, as ``LookupResult`` but with
/// one RRset in an answer (no array): the result of ``Zone/lookupRRSet(_:type:)``.
public enum RRSetLookup: Sendable, Hashable {
    /// The RRset of the type at the name (for ANY, the name's first RRset).
    case answer(RRSet, wildcard: Bool)
    /// See ``LookupResult/cname(_:wildcard:)``.
    case cname(RRSet, wildcard: Bool)
    /// See ``LookupResult/dname(_:target:)``.
    case dname(RRSet, target: DomainName?)
    /// See ``LookupResult/delegation(ns:ds:)``.
    case delegation(ns: RRSet, ds: RRSet?)
    /// See ``LookupResult/noData(wildcard:)``.
    case noData(wildcard: Bool)
    /// See ``LookupResult/nxDomain``.
    case nxDomain
}

/// Where a lookup lands: a node whose data answers, or an outcome found on the way.
enum Located {
    case node(Int32, wildcard: Bool)
    case dname(RRSet, target: DomainName?)
    case delegation(ns: RRSet, ds: RRSet?)
    case nxDomain
}

extension Zone {
    /// Looks up `name` (which must be at or below ``origin``) and `type`.
    ///
    /// 1. The name's node, or else its closest encloser, the deepest
    ///    existing ancestor (RFC 4592 §3.3.1) — one hash lookup per label,
    ///    walking up; empty non-terminals are nodes, so they stop the walk and
    ///    so block wildcards (RFC 4592 §2.2.2).
    /// 2. A zone cut or DNAME above that node wins (the data below is
    ///    occluded; RFC 2181 §6, RFC 6672 §2.3); the topmost one counts.
    /// 3. At a zone cut: a referral, except a DS query for the cut itself,
    ///    which the parent answers (RFC 4035 §3.1.4.1). The apex is never a cut.
    /// 4. No node for the name: a DNAME at the closest encloser redirects;
    ///    else `*.encloser` answers (the source of synthesis); else NXDOMAIN.
    /// 5. A node: the RRset of the type; else a CNAME; else NODATA.
    public func lookup(_ name: DomainName, type: RecordType) -> LookupResult {
        switch self.locate(name, type: type) {
        case .node(let id, let wildcard): return Self.data(self.nodes[Int(id)], type: type, wildcard: wildcard)
        case .dname(let set, let target): return .dname(set, target: target)
        case .delegation(let ns, let ds): return .delegation(ns: ns, ds: ds)
        case .nxDomain: return .nxDomain
        }
    }

    /// As ``lookup(_:type:)``, without arrays (the answer path): one RRset
    /// for type ANY too, the first of the name in zone-file order (RFC 8482
    /// §4.1, as NSD answers).
    public func lookupRRSet(_ name: DomainName, type: RecordType) -> RRSetLookup {
        switch self.locate(name, type: type) {
        case .node(let id, let wildcard):
            return self.nodes.withUnsafeBufferPointer { Self.oneRRSet($0[Int(id)], type: type, wildcard: wildcard) }
        case .dname(let set, let target): return .dname(set, target: target)
        case .delegation(let ns, let ds): return .delegation(ns: ns, ds: ds)
        case .nxDomain: return .nxDomain
        }
    }

    /// Steps 1–4 of ``lookup(_:type:)``: the node whose data answers (the
    /// name's own, or the wildcard's), or the outcome when no node's data does.
    /// Names are looked up in place, suffix by suffix: no name is built.
    private func locate(_ name: DomainName, type: RecordType) -> Located {
        let found: (encloser: Int32, exact: Bool)? = name.wire.withUnsafeBufferPointer { w in
            // At or below the origin: the origin's length ends on a label boundary, same octets (RFC 4343).
            let extra = w.count - self.origin.wireLength
            guard extra >= 0 else { return nil }
            var at = 0
            while at < extra { at += Int(w[at]) + 1 }
            guard at == extra,
                self.origin.wire.withUnsafeBufferPointer({ o in
                    var k = 0
                    while k < o.count {
                        if w[extra + k] != o[k] && lowerASCII(w[extra + k]) != lowerASCII(o[k]) { return false }
                        k += 1
                    }
                    return true
                })
            else { return nil }
            if let id = self.index.find(wire: w) { return (id, true) }
            // The closest encloser: the longest suffix that is a node (the apex at worst).
            at = Int(w[0]) + 1
            while at <= extra {
                if let id = self.index.find(wire: UnsafeBufferPointer(rebasing: w[at...])) { return (id, false) }
                at += Int(w[at]) + 1
            }
            return (0, false)
        }
        guard let found else { return .nxDomain }
        let encloser = Int(found.encloser)
        let flags = self.nodes[encloser].flags
        if !flags.isDisjoint(with: [.belowCut, .belowDNAME]),
            let result = self.occludingAncestor(of: self.nodes[encloser].name, for: name)
        {
            return result
        }
        if flags.contains(.delegation) && !(found.exact && type == .ds) {
            return self.referral(encloser)
        }
        if found.exact {
            return .node(found.encloser, wildcard: false)
        }
        if flags.contains(.dname), let set = self.nodes[encloser].rrset(.dname) {
            return .dname(set, target: Self.substitute(name, owner: self.nodes[encloser].name, dname: set))
        }
        if flags.contains(.wildcardChild), let id = self.wildcardNode(below: self.nodes[encloser].name) {
            return .node(id, wildcard: true)
        }
        return .nxDomain
    }

    /// The node `*.name` (RFC 4592 §2.1.1), looked up without building the name.
    private func wildcardNode(below name: DomainName) -> Int32? {
        name.wire.withUnsafeBufferPointer { w -> Int32? in
            guard w.count + 2 <= WireLimits.maxNameWireLength else { return nil }
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: w.count + 2) { star -> Int32? in
                star[0] = 1
                star[1] = UInt8(ascii: "*")
                for k in 0..<w.count { star[k + 2] = w[k] }
                return self.index.find(wire: UnsafeBufferPointer(star))
            }
        }
    }

    /// The topmost cut or DNAME above `nodeName` (from the apex, which may
    /// hold a DNAME but is never a cut), as the result for `name`. The
    /// ancestors are visited bottom up, in place; the last one found wins.
    private func occludingAncestor(of nodeName: DomainName, for name: DomainName) -> Located? {
        let originLength = self.origin.wireLength
        let topmost: Int32? = nodeName.wire.withUnsafeBufferPointer { w -> Int32? in
            guard w.count > 1 else { return nil }
            var found: Int32? = nil
            var at = Int(w[0]) + 1
            while w.count - at >= originLength {
                if let id = self.index.find(wire: UnsafeBufferPointer(rebasing: w[at...])),
                    !self.nodes[Int(id)].flags.isDisjoint(with: [.delegation, .dname])
                {
                    found = id
                }
                at += Int(w[at]) + 1
            }
            return found
        }
        guard let topmost else { return nil }
        let node = Int(topmost)
        if self.nodes[node].flags.contains(.delegation) {
            return self.referral(node)
        }
        if let set = self.nodes[node].rrset(.dname) {
            return .dname(set, target: Self.substitute(name, owner: self.nodes[node].name, dname: set))
        }
        return nil
    }

    private func referral(_ node: Int) -> Located {
        guard let ns = self.nodes[node].rrset(.ns) else { return .nxDomain }
        return .delegation(ns: ns, ds: self.nodes[node].rrset(.ds))
    }

    /// One RRset of `type` at a node, as ``data(_:type:wildcard:)``.
    private static func oneRRSet(_ node: ZoneNode, type: RecordType, wildcard: Bool) -> RRSetLookup {
        if type == .rrsig {
            switch Self.data(node, type: type, wildcard: wildcard) {
            case .answer(let sets, let wildcard): return sets.first.map { .answer($0, wildcard: wildcard) } ?? .nxDomain
            case .cname(let set, let wildcard): return .cname(set, wildcard: wildcard)
            case .noData(let wildcard): return .noData(wildcard: wildcard)
            default: return .noData(wildcard: wildcard)
            }
        }
        for set in node.rrsets where set.type == type || (type == .any && set.type != .rrsig) {
            return .answer(set, wildcard: wildcard)
        }
        if node.flags.contains(.cname), let set = node.rrset(.cname) {
            return .cname(set, wildcard: wildcard)
        }
        return .noData(wildcard: wildcard)
    }

    /// The data of `type` at a node (RFC 1034 §4.3.2 step 3.a).
    private static func data(_ node: ZoneNode, type: RecordType, wildcard: Bool) -> LookupResult {
        if type == .any {
            let sets = node.rrsets.filter { $0.type != .rrsig }
            return sets.isEmpty ? .noData(wildcard: wildcard) : .answer(sets, wildcard: wildcard)
        }
        if type != .rrsig, let set = node.rrset(type) {
            return .answer([set], wildcard: wildcard)
        }
        if type == .rrsig {
            // Every signature at the name, whatever it covers.
            var all: [RDATA] = []
            var ttl: UInt32 = 0
            for set in node.rrsets {
                if set.type == .rrsig {
                    all += set.rdata
                    ttl = set.ttl
                } else if !set.signatures.isEmpty {
                    all += set.signatures
                    ttl = set.signatureTTL
                }
            }
            if !all.isEmpty {
                return .answer([RRSet(name: node.name, type: .rrsig, ttl: ttl, rdata: all)], wildcard: wildcard)
            }
        }
        if node.flags.contains(.cname), let set = node.rrset(.cname) {
            return .cname(set, wildcard: wildcard)
        }
        return .noData(wildcard: wildcard)
    }

    /// RFC 6672 §2.2: the query name with the DNAME owner suffix replaced by
    /// the DNAME target; nil when the result is longer than 255 octets.
    static func substitute(_ name: DomainName, owner: DomainName, dname: RRSet) -> DomainName? {
        guard case .dname(let target) = dname.rdata.first else { return nil }
        let prefixLength = name.wireLength - owner.wireLength
        guard prefixLength > 0, prefixLength + target.wireLength <= WireLimits.maxNameWireLength else { return nil }
        var wire = Array(name.wire[0..<prefixLength])
        wire += target.wire
        return try? DomainName(wire: wire)
    }

    /// The zone's own copy of the owner name whose wire form is `wire`,
    /// octet for octet (case included), if the zone has that node: the
    /// answer path then takes it as the question name instead of building
    /// one (no allocation). Nil otherwise, or when `wire` is not a valid name.
    public func storedName(wire: UnsafeRawBufferPointer) -> DomainName? {
        let bytes = UnsafeBufferPointer(start: wire.baseAddress?.assumingMemoryBound(to: UInt8.self), count: wire.count)
        guard let id = self.index.find(wire: bytes) else { return nil }
        let name = self.nodes[Int(id)].name
        let identical = name.wire.withUnsafeBufferPointer { stored -> Bool in
            guard stored.count == bytes.count else { return false }
            for k in 0..<stored.count where stored[k] != bytes[k] { return false }
            return true
        }
        return identical ? name : nil
    }

    /// The A or AAAA RRset (`type`) at `name`, as ``addressRRSets(at:includeOccluded:)``
    /// without an array.
    public func addressRRSet(at name: DomainName, type: RecordType, includeOccluded: Bool) -> RRSet? {
        guard let id = self.index.find(name) else { return nil }
        let node = Int(id)
        if !includeOccluded && !self.nodes[node].flags.isDisjoint(with: [.belowCut, .belowDNAME, .delegation]) {
            return nil
        }
        return self.nodes[node].rrset(type)
    }

    /// A and AAAA RRsets at `name`, wherever it sits in the zone (glue
    /// below a cut included); empty when the zone has no node there.
    public func addressRRSets(at name: DomainName, includeOccluded: Bool) -> [RRSet] {
        guard let id = self.index.find(name) else { return [] }
        let node = self.nodes[Int(id)]
        if !includeOccluded && !node.flags.isDisjoint(with: [.belowCut, .belowDNAME, .delegation]) { return [] }
        var out: [RRSet] = []
        if let a = node.rrset(.a) { out.append(a) }
        if let aaaa = node.rrset(.aaaa) { out.append(aaaa) }
        return out
    }
}
