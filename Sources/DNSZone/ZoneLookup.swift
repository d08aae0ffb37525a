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
        guard name.wireLength >= self.origin.wireLength, name.isSubdomain(of: self.origin) else { return .nxDomain }
        var encloser: Int32
        var exact = true
        if let id = self.index.find(name) {
            encloser = id
        } else {
            exact = false
            encloser = 0
            var current = name
            while let up = current.parent, up.wireLength >= self.origin.wireLength {
                if let id = self.index.find(up) {
                    encloser = id
                    break
                }
                current = up
            }
        }
        let node = self.nodes[Int(encloser)]
        if !node.flags.isDisjoint(with: [.belowCut, .belowDNAME]),
            let result = self.occludingAncestor(of: node.name, for: name)
        {
            return result
        }
        if node.flags.contains(.delegation) && !(exact && type == .ds) {
            return self.referral(node)
        }
        if exact {
            return Self.data(node, type: type, wildcard: false)
        }
        if node.flags.contains(.dname), let set = node.rrset(.dname) {
            return .dname(set, target: Self.substitute(name, owner: node.name, dname: set))
        }
        if node.flags.contains(.wildcardChild), let star = node.name.wildcard, let id = self.index.find(star) {
            return Self.data(self.nodes[Int(id)], type: type, wildcard: true)
        }
        return .nxDomain
    }

    /// The topmost cut or DNAME above `nodeName` (from the apex, which may
    /// hold a DNAME but is never a cut), as the result for `name`.
    private func occludingAncestor(of nodeName: DomainName, for name: DomainName) -> LookupResult? {
        let depth = nodeName.labelCount
        var labels = self.originLabelCount
        while labels < depth {
            let ancestor = nodeName.suffix(labels: labels)
            if let id = self.index.find(ancestor) {
                let node = self.nodes[Int(id)]
                if node.flags.contains(.delegation) {
                    return self.referral(node)
                }
                if node.flags.contains(.dname), let set = node.rrset(.dname) {
                    return .dname(set, target: Self.substitute(name, owner: node.name, dname: set))
                }
            }
            labels += 1
        }
        return nil
    }

    private func referral(_ node: ZoneNode) -> LookupResult {
        guard let ns = node.rrset(.ns) else { return .nxDomain }
        return .delegation(ns: ns, ds: node.rrset(.ds))
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
