// SPDX-License-Identifier: Apache-2.0

import DNSCore

extension DNSSEC {
    /// The hash an NSEC3 owner name carries (RFC 5155 §3: its first label is
    /// the base32hex hash, the rest is the zone apex); nil when `owner` is not
    /// exactly one label below `zone` or its label is not base32hex.
    public static func nsec3OwnerHash(_ owner: DomainName, zone: DomainName) -> [UInt8]? {
        guard owner.labelCount == zone.labelCount + 1, owner.isSubdomain(of: zone) else { return nil }
        guard let hash = Base32Hex.decode(owner.firstLabel), !hash.isEmpty else { return nil }
        return hash
    }

    /// -1, 0 or 1 as hash `a` sorts before, equal to or after `b` (RFC 5155
    /// §3.1.7: hashes are ordered as unsigned octet strings).
    public static func compareHashes(_ a: [UInt8], _ b: [UInt8]) -> Int {
        let n = min(a.count, b.count)
        var i = 0
        while i < n {
            if a[i] != b[i] { return a[i] < b[i] ? -1 : 1 }
            i += 1
        }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }

    /// True when the NSEC3 record whose owner hash is `ownerHash` and whose
    /// next hashed owner name is `nextHash` covers `hash` (RFC 5155 §1.3):
    /// `hash` sorts strictly between the two; the last record of the chain
    /// (next not after owner) covers what sorts after its owner or before
    /// its next, the chain wrapping around.
    public static func nsec3Covers(ownerHash: [UInt8], nextHash: [UInt8], hash: [UInt8]) -> Bool {
        let afterOwner = compareHashes(ownerHash, hash) < 0
        let beforeNext = compareHashes(hash, nextHash) < 0
        if compareHashes(ownerHash, nextHash) < 0 { return afterOwner && beforeNext }
        return afterOwner || beforeNext
    }

    /// True when the NSEC3 record whose owner hash is `ownerHash` matches the
    /// name whose hash is `hash` (RFC 5155 §1.3: "the original owner name
    /// hashes to the NSEC3 owner").
    public static func nsec3Matches(ownerHash: [UInt8], hash: [UInt8]) -> Bool {
        ownerHash == hash
    }
}
