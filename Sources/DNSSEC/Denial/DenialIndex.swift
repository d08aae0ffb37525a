// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSZone

/// The NSEC or NSEC3 chain of one zone snapshot, indexed for finding the
/// records of authenticated denial of existence (RFC 4035 §3.1.3,
/// RFC 5155 §7.2): NSEC owners in canonical order (RFC 4034 §6.1), NSEC3
/// owner hashes sorted (RFC 5155 §3.1.7). Built once per zone
/// (``DNSZone/Zone/denialIndex``) from the records as they are, whoever
/// signed the zone; a broken or partial chain is indexed as far as it goes,
/// and lookups then find what exists.
public final class DenialIndex: Sendable {
    /// Which chain answers: the zone's NSEC3 chain when the apex has an
    /// NSEC3PARAM (RFC 5155 §4: the parameters servers use), else its NSEC
    /// chain; ``none`` for an unsigned zone.
    public enum Chain: Sendable, Hashable {
        case none, nsec, nsec3
    }

    /// The most NSEC3 iterations hashed per query (RFC 5155 §10.3 allows up
    /// to 2,500; RFC 9276 §3.1 asks for 0): a zone above it is answered
    /// without NSEC3 proofs rather than let each query cost that much SHA-1.
    public static let maxIterations: UInt16 = 2500

    /// The zone apex.
    public let origin: DomainName
    /// The chain used for proofs.
    public let chain: Chain
    /// NSEC RRsets, owners in canonical order.
    private let nsecSets: [RRSet]
    /// NSEC3 RRsets of the chain used (its parameters), by owner hash.
    private let nsec3Sets: [RRSet]
    private let nsec3Hashes: [[UInt8]]
    /// Salt and iterations of the chain used (RFC 5155 §5).
    public let salt: [UInt8]
    public let iterations: UInt16

    /// Indexes the authoritative NSEC and NSEC3 RRsets of `zone`.
    public init(zone: Zone) {
        self.origin = zone.origin
        let nsec = zone.authoritativeRRSets(ofType: .nsec)
        let order = canonicalOrder(of: nsec.map(\.name))
        self.nsecSets = order.map { nsec[$0] }

        // The chain's parameters: the apex NSEC3PARAM (SHA-1), else the first NSEC3's.
        var parameters: (salt: [UInt8], iterations: UInt16)? = nil
        for rdata in zone.rrset(at: zone.origin, type: .nsec3param)?.rdata ?? [] {
            if case .nsec3param(let p) = rdata, p.hashAlgorithm == RDATA.NSEC3PARAM.sha1 {
                parameters = (p.salt, p.iterations)
                break
            }
        }
        let nsec3 = zone.authoritativeRRSets(ofType: .nsec3)
        if parameters == nil {
            for set in nsec3 {
                if case .nsec3(let r) = set.rdata.first, r.hashAlgorithm == RDATA.NSEC3PARAM.sha1 {
                    parameters = (r.salt, r.iterations)
                    break
                }
            }
        }
        var hashed: [([UInt8], RRSet)] = []
        if let parameters, parameters.iterations <= Self.maxIterations {
            for set in nsec3 {
                guard let hash = DNSSEC.nsec3OwnerHash(set.name, zone: zone.origin) else { continue }
                let inChain = set.rdata.contains {
                    guard case .nsec3(let r) = $0 else { return false }
                    return r.hashAlgorithm == RDATA.NSEC3PARAM.sha1 && r.iterations == parameters.iterations
                        && r.salt == parameters.salt
                }
                if inChain { hashed.append((hash, set)) }
            }
            hashed.sort { DNSSEC.compareHashes($0.0, $1.0) < 0 }
        }
        self.nsec3Hashes = hashed.map(\.0)
        self.nsec3Sets = hashed.map(\.1)
        self.salt = parameters?.salt ?? []
        self.iterations = parameters?.iterations ?? 0
        if !hashed.isEmpty {
            self.chain = .nsec3
        } else if !self.nsecSets.isEmpty {
            self.chain = .nsec
        } else {
            self.chain = .none
        }
    }

    // MARK: NSEC

    /// The NSEC RRset at `name` (the one that matches it), if any.
    public func nsec(at name: DomainName) -> RRSet? {
        let i = self.nsecInsertionPoint(name)
        guard i < self.nsecSets.count, self.nsecSets[i].name == name else { return nil }
        return self.nsecSets[i]
    }

    /// The NSEC RRset that covers `name` (RFC 4035 §3.1.3.2): the one at
    /// the last owner before `name` in canonical order, or the last of the
    /// chain (whose next name is the apex) when none is before it. Nil
    /// without NSEC records. For a name that has its own NSEC, that one.
    public func coveringNSEC(_ name: DomainName) -> RRSet? {
        guard !self.nsecSets.isEmpty else { return nil }
        let i = self.nsecInsertionPoint(name)
        if i < self.nsecSets.count, self.nsecSets[i].name == name { return self.nsecSets[i] }
        return self.nsecSets[i == 0 ? self.nsecSets.count - 1 : i - 1]
    }

    /// The first position whose owner is not before `name`.
    private func nsecInsertionPoint(_ name: DomainName) -> Int {
        var low = 0
        var high = self.nsecSets.count
        while low < high {
            let mid = (low + high) / 2
            if self.nsecSets[mid].name.canonicalCompare(name) < 0 {
                low = mid + 1
            } else {
                high = mid
            }
        }
        return low
    }

    // MARK: NSEC3

    /// The NSEC3 hash of `name` with the chain's parameters (RFC 5155 §5).
    public func hash(_ name: DomainName) -> [UInt8] {
        DNSSEC.nsec3Hash(name, salt: self.salt, iterations: self.iterations)
    }

    /// The NSEC3 RRset whose owner hash is `hash` (it matches the name), if any.
    public func nsec3(matching hash: [UInt8]) -> RRSet? {
        let i = self.nsec3InsertionPoint(hash)
        guard i < self.nsec3Hashes.count, self.nsec3Hashes[i] == hash else { return nil }
        return self.nsec3Sets[i]
    }

    /// The NSEC3 RRset that covers `hash` (RFC 5155 §1.3): the last owner
    /// hash before it, or the last of the chain when none is (the chain
    /// wraps around). Nil without NSEC3 records; the matching one when `hash`
    /// is an owner's.
    public func coveringNSEC3(_ hash: [UInt8]) -> RRSet? {
        guard !self.nsec3Hashes.isEmpty else { return nil }
        let i = self.nsec3InsertionPoint(hash)
        if i < self.nsec3Hashes.count, self.nsec3Hashes[i] == hash { return self.nsec3Sets[i] }
        return self.nsec3Sets[i == 0 ? self.nsec3Sets.count - 1 : i - 1]
    }

    private func nsec3InsertionPoint(_ hash: [UInt8]) -> Int {
        var low = 0
        var high = self.nsec3Hashes.count
        while low < high {
            let mid = (low + high) / 2
            if DNSSEC.compareHashes(self.nsec3Hashes[mid], hash) < 0 {
                low = mid + 1
            } else {
                high = mid
            }
        }
        return low
    }

    /// The closest provable encloser of `name` (RFC 5155 §7.2.1, §8.3): the
    /// longest of `name` and its ancestors, starting at `from` (a known
    /// encloser, to skip hashing names known not to exist), whose hash has an
    /// NSEC3; with that NSEC3 and the next closer name (nil when the
    /// encloser is `name` itself). Nil when no ancestor up to the apex has
    /// one (a broken chain).
    public func closestProvableEncloser(of name: DomainName, from start: DomainName? = nil) -> (
        encloser: DomainName, nsec3: RRSet, nextCloser: DomainName?
    )? {
        guard self.chain == .nsec3 else { return nil }
        for candidate in DNSSEC.enclosers(of: start ?? name, upTo: self.origin) {
            if let set = self.nsec3(matching: self.hash(candidate)) {
                return (candidate, set, DNSSEC.nextCloserName(name, closestEncloser: candidate))
            }
        }
        return nil
    }
}

extension Zone {
    /// The zone's ``DenialIndex``, built on first use and kept with the
    /// snapshot (thread-safe, see ``Zone/derived(_:build:)``).
    public var denialIndex: DenialIndex {
        self.derived(DenialIndex.self) { DenialIndex(zone: self) }
    }
}
