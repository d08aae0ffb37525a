// SPDX-License-Identifier: Apache-2.0

import DNSCore

/// The keys of a signed zone at one moment, by role: what the key
/// lifecycle (generation, rollovers) hands to the signer.
///
/// A key can appear in several lists: a CSK is published, signs the
/// DNSKEY RRset and signs the zone; a pre-published ZSK (RFC 6781 §4.1.1.1)
/// is only published; a KSK whose DS the parent should have is in
/// ``parentKeys``.
public struct ZoneKeySet: Sendable {
    /// The zone apex.
    public var zone: DomainName
    /// Every key whose DNSKEY is published at the apex: active, pre-published
    /// and retiring keys.
    public var published: [ZoneKey]
    /// Keys whose signatures cover the DNSKEY, CDS and CDNSKEY RRsets
    /// (active KSKs or CSKs).
    public var keySigning: [ZoneKey]
    /// Keys whose signatures cover every other authoritative RRset (active
    /// ZSKs or CSKs).
    public var zoneSigning: [ZoneKey]
    /// Keys the parent should have a DS for, published as CDS (SHA-256) and
    /// CDNSKEY (RFC 7344 §4, RFC 8078). Empty: no CDS/CDNSKEY RRsets.
    public var parentKeys: [ZoneKey]
    /// When the set changes next (a rollover step), seconds since 1970; nil
    /// when nothing is scheduled.
    public var nextChange: UInt32?

    public init(
        zone: DomainName, published: [ZoneKey], keySigning: [ZoneKey], zoneSigning: [ZoneKey],
        parentKeys: [ZoneKey] = [], nextChange: UInt32? = nil
    ) {
        self.zone = zone
        self.published = published
        self.keySigning = keySigning
        self.zoneSigning = zoneSigning
        self.parentKeys = parentKeys
        self.nextChange = nextChange
    }

    /// One active CSK: published, signing everything, given to the parent.
    public static func combined(_ key: ZoneKey) -> ZoneKeySet {
        ZoneKeySet(zone: key.zone, published: [key], keySigning: [key], zoneSigning: [key], parentKeys: [key])
    }
}
