// SPDX-License-Identifier: Apache-2.0

import DNSCore

extension DNSSEC {
    /// True when the NSEC record at `owner` with next domain name `next`
    /// covers `name` (RFC 4034 §4.1.1, RFC 4035 §5.4): `name` sorts strictly
    /// between the two in canonical order (RFC 4034 §6.1). The last NSEC of
    /// the chain, whose next name is the apex (not after its owner), covers
    /// every name after its owner and before the apex.
    public static func nsecCovers(owner: DomainName, next: DomainName, name: DomainName) -> Bool {
        let afterOwner = owner.canonicalCompare(name) < 0
        let beforeNext = name.canonicalCompare(next) < 0
        if owner.canonicalCompare(next) < 0 { return afterOwner && beforeNext }
        return afterOwner || beforeNext
    }

    /// True when the NSEC record at `owner` matches `name` (RFC 4035 §5.4):
    /// the same name, so its type bitmap lists the types at `name`.
    public static func nsecMatches(owner: DomainName, name: DomainName) -> Bool {
        owner == name
    }

    /// True when a matching NSEC (or NSEC3) type bitmap proves that `type`
    /// has no RRset at the name (RFC 4035 §3.1.3.1, RFC 5155 §8.5): the bit
    /// is clear, and so is CNAME's (else the answer would be the alias).
    public static func bitmapProvesNoData(_ types: TypeBitmap, type: RecordType) -> Bool {
        !types.contains(type) && !types.contains(.cname)
    }
}
