// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSSEC
import DNSZone

/// The NSEC or NSEC3 RRsets an answer asked with DO carries in its authority
/// section to prove what does not exist (RFC 4035 §3.1.3, §3.1.4.1;
/// RFC 5155 §7.2), chosen from the zone's chain (``DenialIndex``) as it is.
/// Each function returns the RRsets in the order to write them, without
/// duplicates (one NSEC may prove two things, RFC 4035 §3.1.3); nothing for
/// a zone without a chain, and what exists when the chain is broken.
enum DenialProof {
    /// True when the zone is signed (its SOA has RRSIGs): only then is its
    /// chain looked at. Reading a stored array's count, this keeps DO queries
    /// to unsigned zones as cheap as before.
    @inline(__always)
    static func isSigned(_ zone: Zone) -> Bool { !zone.negativeSOARRSet.signatures.isEmpty }

    /// Name error (RFC 4035 §3.1.3.2: the NSEC covering the name and the one
    /// covering the wildcard at the closest encloser; RFC 5155 §7.2.2: the
    /// closest encloser proof and the NSEC3 covering the wildcard).
    static func nxDomain(_ name: DomainName, in zone: Zone) -> [RRSet] {
        guard Self.isSigned(zone) else { return [] }
        let index = zone.denialIndex
        guard index.chain != .none else { return [] }
        let encloser = zone.closestEncloser(of: name) ?? zone.origin
        var proof = RRSets()
        switch index.chain {
        case .none: break
        case .nsec:
            proof.add(index.coveringNSEC(name))
            if let wildcard = DNSSEC.wildcardName(closestEncloser: encloser) {
                proof.add(index.coveringNSEC(wildcard))
            }
        case .nsec3:
            guard let provable = index.closestProvableEncloser(of: name, from: encloser) else { break }
            proof.add(provable.nsec3)
            if let nextCloser = provable.nextCloser {
                proof.add(index.coveringNSEC3(index.hash(nextCloser)))
            }
            if let wildcard = DNSSEC.wildcardName(closestEncloser: provable.encloser) {
                proof.add(index.coveringNSEC3(index.hash(wildcard)))
            }
        }
        return proof.sets
    }

    /// No data of the type at an existing name (RFC 4035 §3.1.3.1: the NSEC
    /// at the name, or for an empty non-terminal the NSEC covering it;
    /// RFC 5155 §7.2.3: the NSEC3 matching the name). Without a matching
    /// NSEC3 — a DS query at an Opt-Out delegation (RFC 5155 §7.2.4), an
    /// empty non-terminal left out by Opt-Out — the closest provable encloser
    /// proof instead.
    static func noData(_ name: DomainName, in zone: Zone) -> [RRSet] {
        guard Self.isSigned(zone) else { return [] }
        let index = zone.denialIndex
        var proof = RRSets()
        switch index.chain {
        case .none: break
        case .nsec:
            proof.add(index.coveringNSEC(name))
        case .nsec3:
            proof.addNSEC3(matchingOrEnclosing: name, index)
        }
        return proof.sets
    }

    /// No DS at a delegation in a referral (RFC 4035 §3.1.4.1: the NSEC at
    /// the cut; RFC 5155 §7.2.7: the NSEC3 matching it, or with Opt-Out the
    /// closest provable encloser proof).
    static func noDS(at cut: DomainName, in zone: Zone) -> [RRSet] {
        guard Self.isSigned(zone) else { return [] }
        let index = zone.denialIndex
        var proof = RRSets()
        switch index.chain {
        case .none: break
        case .nsec:
            proof.add(index.nsec(at: cut))
        case .nsec3:
            proof.addNSEC3(matchingOrEnclosing: cut, index)
        }
        return proof.sets
    }

    /// An answer synthesised from the wildcard at `closestEncloser` (RFC 4035 §3.1.3.3:
    /// the NSEC covering the name; RFC 5155 §7.2.6: the NSEC3 covering the
    /// next closer name), proving that the name itself does not exist.
    static func wildcardAnswer(_ name: DomainName, closestEncloser encloser: DomainName, in zone: Zone) -> [RRSet] {
        guard Self.isSigned(zone) else { return [] }
        let index = zone.denialIndex
        var proof = RRSets()
        switch index.chain {
        case .none: break
        case .nsec:
            proof.add(index.coveringNSEC(name))
        case .nsec3:
            guard let nextCloser = DNSSEC.nextCloserName(name, closestEncloser: encloser) else { break }
            proof.add(index.coveringNSEC3(index.hash(nextCloser)))
        }
        return proof.sets
    }

    /// No data of the type at the wildcard that matches the name (RFC 4035
    /// §3.1.3.4: the NSEC covering the name and the NSEC at the wildcard;
    /// RFC 5155 §7.2.5: the closest encloser proof and the NSEC3 matching the
    /// wildcard).
    static func wildcardNoData(_ name: DomainName, in zone: Zone) -> [RRSet] {
        guard Self.isSigned(zone) else { return [] }
        let index = zone.denialIndex
        guard index.chain != .none else { return [] }
        let encloser = zone.closestEncloser(of: name) ?? zone.origin
        var proof = RRSets()
        let wildcard = DNSSEC.wildcardName(closestEncloser: encloser)
        switch index.chain {
        case .none: break
        case .nsec:
            proof.add(index.coveringNSEC(name))
            if let wildcard { proof.add(index.nsec(at: wildcard)) }
        case .nsec3:
            if let provable = index.closestProvableEncloser(of: name, from: encloser) {
                proof.add(provable.nsec3)
                if let nextCloser = provable.nextCloser {
                    proof.add(index.coveringNSEC3(index.hash(nextCloser)))
                }
            }
            if let wildcard { proof.add(index.nsec3(matching: index.hash(wildcard))) }
        }
        return proof.sets
    }
}

extension DenialProof {
    /// The RRsets of a proof, each once (by owner and type).
    struct RRSets {
        var sets: [RRSet] = []

        mutating func add(_ set: RRSet?) {
            guard let set, !self.sets.contains(where: { $0.type == set.type && $0.name == set.name }) else { return }
            self.sets.append(set)
        }

        mutating func add(_ sets: [RRSet]) {
            for set in sets { self.add(set) }
        }

        /// The NSEC3 matching `name`, else the closest provable encloser proof:
        /// the NSEC3 matching the encloser and the one covering the next closer
        /// name (RFC 5155 §7.2.1, §7.2.4, §7.2.7).
        mutating func addNSEC3(matchingOrEnclosing name: DomainName, _ index: DenialIndex) {
            if let set = index.nsec3(matching: index.hash(name)) {
                self.add(set)
                return
            }
            guard let provable = index.closestProvableEncloser(of: name, from: name.parent ?? name) else { return }
            self.add(provable.nsec3)
            if let nextCloser = provable.nextCloser {
                self.add(index.coveringNSEC3(index.hash(nextCloser)))
            }
        }
    }
}
