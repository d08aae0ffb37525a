// SPDX-License-Identifier: Apache-2.0

import DNSCore

/// How a zone's keys are made and rolled: the `[zones.dnssec]` settings the
/// key lifecycle needs, and the timing intervals of RFC 7583 derived from them.
///
/// All durations are in seconds.
public struct KeyPolicy: Sendable, Hashable {
    /// One combined signing key, or a key-signing key and a zone-signing key
    /// (RFC 6781 §3.1).
    public enum Scheme: String, Sendable, Hashable {
        /// One key with the SEP flag signs everything (config `keys = "csk"`).
        case csk
        /// A KSK signs the DNSKEY RRset, a ZSK the rest (config `keys = "ksk-zsk"`).
        case kskZSK = "ksk-zsk"
    }

    /// The algorithm of new keys (config `algorithm`).
    public var algorithm: DNSSECAlgorithm
    /// CSK or KSK + ZSK (config `keys`).
    public var scheme: Scheme
    /// How long a ZSK signs before its successor takes over (config
    /// `zsk-lifetime`, Lzsk in RFC 7583 §3.2.1); 0: never rolled.
    public var zskLifetime: UInt32
    /// How long a KSK or CSK is used before a rollover starts (config
    /// `ksk-lifetime`, Lksk in RFC 7583 §3.3.1); 0: never rolled.
    public var kskLifetime: UInt32
    /// The time for a change of the zone to reach every secondary (config
    /// `propagation-delay`, Dprp in RFC 7583 §3.2.1).
    public var propagationDelay: UInt32
    /// Confirm a new DS by asking the parent's servers (config
    /// `parent-ds-check`); false: only by `hanon dnssec ds-seen`.
    public var parentDSCheck: Bool
    /// Signature validity (config `signature-validity`). It matters only when
    /// ``resignsWholeZoneOnKeyChange`` is false: then the old key's
    /// signatures may stay in the zone that long (Dsgn in RFC 7583 §3.2.1).
    public var signatureValidity: UInt32
    /// TTL of the DNSKEY RRset (config `dnskey-ttl`, TTLkey in RFC 7583).
    public var dnskeyTTL: UInt32
    /// The largest TTL of the zone's signed RRsets (TTLsig in RFC 7583
    /// §3.2.1): how long a signature by a retired ZSK may stay in caches.
    /// Not a config key: the server passes the zone's largest TTL.
    public var maxZoneTTL: UInt32
    /// TTL of the DS RRset at the parent (TTLds in RFC 7583 §3.3.2), used
    /// when the parent check did not observe it.
    public var parentDSTTL: UInt32
    /// True when the signer replaces every signature of a key as soon as the
    /// key stops signing (hanon's ZoneSigner re-signs the zone when its key
    /// set changes), so Dsgn = 0; false: Dsgn = ``signatureValidity``.
    public var resignsWholeZoneOnKeyChange: Bool

    public init(
        algorithm: DNSSECAlgorithm = .ecdsaP256SHA256, scheme: Scheme = .csk, zskLifetime: UInt32 = 90 * 86400,
        kskLifetime: UInt32 = 0, propagationDelay: UInt32 = 3600, parentDSCheck: Bool = true,
        signatureValidity: UInt32 = SigningPolicy.defaultValidity, dnskeyTTL: UInt32 = 3600,
        maxZoneTTL: UInt32 = 86400, parentDSTTL: UInt32 = 86400, resignsWholeZoneOnKeyChange: Bool = true
    ) {
        self.algorithm = algorithm
        self.scheme = scheme
        self.zskLifetime = zskLifetime
        self.kskLifetime = kskLifetime
        self.propagationDelay = propagationDelay
        self.parentDSCheck = parentDSCheck
        self.signatureValidity = signatureValidity
        self.dnskeyTTL = dnskeyTTL
        self.maxZoneTTL = maxZoneTTL
        self.parentDSTTL = parentDSTTL
        self.resignsWholeZoneOnKeyChange = resignsWholeZoneOnKeyChange
    }

    /// Ipub (RFC 7583 §3.2.1, §3.3.1): `Dprp + TTLkey`. A new key's DNSKEY
    /// must be this long in the zone before anything is signed with it only,
    /// so every cached DNSKEY RRset a resolver may hold contains it.
    public var publicationInterval: UInt32 { self.propagationDelay &+ self.dnskeyTTL }

    /// Dsgn (RFC 7583 §3.2.1): how long signatures of a retired key can
    /// remain in the zone after it stops signing.
    public var signingDelay: UInt32 { self.resignsWholeZoneOnKeyChange ? 0 : self.signatureValidity }

    /// Iret for a ZSK (RFC 7583 §3.2.1): `Dsgn + Dprp + TTLsig`. A retired
    /// ZSK's DNSKEY stays this long, until no cache can hold a signature made
    /// with it.
    public var zskRetireInterval: UInt32 {
        self.signingDelay &+ self.propagationDelay &+ self.maxZoneTTL
    }

    /// Iret for a KSK (RFC 7583 §3.3.2): `Dsgn + Dprp + TTLkey`. A retired
    /// KSK stays published, and its DS at the parent, until no cache can hold
    /// a DNSKEY RRset signed only by it (Dsgn: a signer that re-signs
    /// gradually may keep its DNSKEY signature that long). A CSK also signed
    /// the zone data (RFC 7583 §3.3.3), so it waits for those signatures too:
    /// `Dsgn + Dprp + max(TTLkey, TTLsig)`.
    public func sepRetireInterval(role: KeyRole) -> UInt32 {
        switch role {
        case .csk: self.signingDelay &+ self.propagationDelay &+ max(self.dnskeyTTL, self.maxZoneTTL)
        case .ksk, .zsk: self.signingDelay &+ self.propagationDelay &+ self.dnskeyTTL
        }
    }

    /// The wait after the parent's DS set is seen with the new DS before the
    /// new SEP key may sign the DNSKEY RRset alone (RFC 7583 §3.3.2:
    /// `Dprp(parent) + TTLds`): every cached DS RRset then lists it. The
    /// parent's propagation is taken to be ``propagationDelay``.
    public func dsWait(observedTTL: UInt32?) -> UInt32 {
        self.propagationDelay &+ (observedTTL ?? self.parentDSTTL)
    }
}
