// SPDX-License-Identifier: Apache-2.0

import DNSCore
import Synchronization

/// The box of ``Zone/derived(_:build:)``: one object of any class, set once.
final class DerivedZoneData: Sendable {
    let value: any AnyObject & Sendable
    init(_ value: any AnyObject & Sendable) { self.value = value }
}

extension Zone {
    /// A value derived from this snapshot by another target (the DNSSEC
    /// denial index: NSEC owners in canonical order, NSEC3 hashes sorted),
    /// built by `build` on first use and kept with the snapshot: a zone is
    /// immutable, so the value stays right for its life, and a reload or an
    /// update makes a new zone with none. Thread-safe and lock-free: when two
    /// threads build at once, one result is kept and both get it. Reading it
    /// again is an atomic load and a type check (no dynamic cast).
    ///
    /// One slot: the first class stored wins; asking for another class builds
    /// it every time without keeping it.
    public func derived<T: AnyObject & Sendable>(_ type: T.Type, build: () -> T) -> T {
        let box = self.derivedData.load() ?? self.derivedData.storeIfNil(DerivedZoneData(build()))
        let value = box.value
        if ObjectIdentifier(Swift.type(of: value)) == ObjectIdentifier(T.self) {
            return unsafeDowncast(value, to: T.self)
        }
        return build()
    }

    /// The RRsets of `type` at names the zone is authoritative for (not below
    /// a zone cut or a DNAME; a cut itself counts, its NSEC and DS are the
    /// parent's), in no particular order. One pass over the nodes.
    public func authoritativeRRSets(ofType type: RecordType) -> [RRSet] {
        var out: [RRSet] = []
        for node in self.nodes where node.flags.isDisjoint(with: [.belowCut, .belowDNAME]) {
            if let set = node.rrset(type) { out.append(set) }
        }
        return out
    }

    /// The closest encloser of `name` (RFC 4592 §3.3.1, RFC 5155 §1.3): the
    /// deepest ancestor of `name`, or `name` itself, that exists in the zone
    /// (empty non-terminals included); the apex at worst, nil when `name` is
    /// not at or below the apex.
    public func closestEncloser(of name: DomainName) -> DomainName? {
        guard name.isSubdomain(of: self.origin) else { return nil }
        var current = name
        while current.labelCount > self.originLabelCount {
            if let id = self.index.find(current) { return self.nodes[Int(id)].name }
            guard let up = current.parent else { return nil }
            current = up
        }
        return self.origin
    }
}
