// SPDX-License-Identifier: Apache-2.0

import DNSCore

/// A signing key of one zone: the private key, the DNSKEY flags, and the
/// metadata written to its files.
public struct ZoneKey: Sendable {
    /// The zone apex (the DNSKEY owner).
    public var zone: DomainName
    public var key: DNSSECSigningKey
    /// 257 (zone key + SEP) for a KSK or CSK, 256 (zone key) for a ZSK (RFC 4034 §2.1.1).
    public var flags: UInt16
    /// Creation time, seconds since 1970.
    public var created: UInt32

    public static let kskFlags: UInt16 = RDATA.DNSKEY.zoneKeyFlag | RDATA.DNSKEY.secureEntryPointFlag
    public static let zskFlags: UInt16 = RDATA.DNSKEY.zoneKeyFlag

    public init(zone: DomainName, key: DNSSECSigningKey, flags: UInt16, created: UInt32) {
        self.zone = zone
        self.key = key
        self.flags = flags
        self.created = created
    }

    /// Generates a key for `zone`: a KSK/CSK with `sep`, a ZSK without.
    public static func generate(
        zone: DomainName, algorithm: DNSSECAlgorithm = .ecdsaP256SHA256, sep: Bool, now: UInt32
    ) throws(DNSSECError) -> ZoneKey {
        ZoneKey(
            zone: zone, key: try DNSSECSigningKey.generate(algorithm), flags: sep ? kskFlags : zskFlags,
            created: now)
    }

    public var dnskey: RDATA.DNSKEY { self.key.dnskey(flags: self.flags) }
    public var keyTag: UInt16 { self.dnskey.keyTag }
    public var algorithm: DNSSECAlgorithm { self.key.algorithm }
    /// True for a key with the Secure Entry Point flag: a KSK or a CSK.
    public var isSecureEntryPoint: Bool { self.flags & RDATA.DNSKEY.secureEntryPointFlag != 0 }
}
