// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSZone

/// The owner names of a signed zone's NSEC or NSEC3 records, sorted in
/// canonical order (RFC 4034 §6.1): the order of the chain. NSEC3 owners
/// are one base32hex label under the apex, and base32hex keeps the order of
/// the bytes (RFC 4648 §7), so their canonical order is the hash order of
/// the NSEC3 chain (RFC 5155 §3.1.7).
///
/// The incremental signer finds a new name's predecessor here by binary
/// search instead of sorting the zone again.
public struct DenialChain: Sendable {
    /// The owners, in canonical order.
    public private(set) var owners: [DomainName]

    /// A chain of `owners` (any order, no duplicates expected).
    public init(owners: [DomainName]) {
        self.owners = owners.sorted()
    }

    /// The chain of a signed zone: the owners of its NSEC records, or of its
    /// NSEC3 records when it has no NSEC.
    public init(zone: Zone) {
        var nsec: [DomainName] = []
        var nsec3: [DomainName] = []
        for set in zone.allRRSets {
            if set.type == .nsec {
                nsec.append(set.name)
            } else if set.type == .nsec3 {
                nsec3.append(set.name)
            }
        }
        self.init(owners: nsec.isEmpty ? nsec3 : nsec)
    }

    public var count: Int { self.owners.count }

    /// Where `owner` is, or would be inserted.
    func position(of owner: DomainName) -> (index: Int, found: Bool) {
        var low = 0
        var high = self.owners.count
        while low < high {
            let mid = (low + high) / 2
            let c = self.owners[mid].canonicalCompare(owner)
            if c == 0 { return (mid, true) }
            if c < 0 { low = mid + 1 } else { high = mid }
        }
        return (low, false)
    }

    public func contains(_ owner: DomainName) -> Bool { self.position(of: owner).found }

    /// Adds `owner`; returns its predecessor in the chain (itself when alone),
    /// or nil when it was already there.
    @discardableResult
    mutating func insert(_ owner: DomainName) -> DomainName? {
        let (index, found) = self.position(of: owner)
        guard !found else { return nil }
        self.owners.insert(owner, at: index)
        return self.owners[(index + self.owners.count - 1) % self.owners.count]
    }

    /// Removes `owner`; returns the owner that was before it (nil when it was
    /// not there or was the last one).
    @discardableResult
    mutating func remove(_ owner: DomainName) -> DomainName? {
        let (index, found) = self.position(of: owner)
        guard found else { return nil }
        self.owners.remove(at: index)
        guard !self.owners.isEmpty else { return nil }
        return self.owners[(index + self.owners.count - 1) % self.owners.count]
    }

    /// The owner after `owner` in the chain, wrapping to the first (RFC 4034
    /// §4.1.1: the last NSEC points to the apex); nil when `owner` is absent.
    public func successor(of owner: DomainName) -> DomainName? {
        let (index, found) = self.position(of: owner)
        guard found else { return nil }
        return self.owners[(index + 1) % self.owners.count]
    }
}
