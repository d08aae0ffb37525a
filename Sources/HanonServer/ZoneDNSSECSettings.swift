// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSSEC
import HanonConfig
import NIOCore

/// How hanon signs a zone (`zone.dnssec`), in the signer's units.
public struct ZoneDNSSECSettings: Sendable, Hashable {
    public var keyPolicy: KeyPolicy
    public var denial: SigningPolicy.Denial
    /// Seconds a new signature is valid.
    public var validity: UInt32
    /// Signatures with less than this many seconds left are replaced.
    public var refresh: UInt32
    /// Expirations are lowered by up to this many seconds.
    public var jitter: UInt32
    public var dnskeyTTL: UInt32
    /// `DATA/keys/ZONE`.
    public var keyDirectory: String
    /// Everything configured, the key lifecycle's settings included.
    public var config: ZoneDNSSECConfig

    public init(
        keyPolicy: KeyPolicy = KeyPolicy(), denial: SigningPolicy.Denial = .nsec, validity: UInt32 = 14 * 86400,
        refresh: UInt32 = 5 * 86400, jitter: UInt32 = 12 * 3600, dnskeyTTL: UInt32 = 3600, keyDirectory: String,
        config: ZoneDNSSECConfig = ZoneDNSSECConfig(location: SourceLocation(file: "", line: 0, column: 0))
    ) {
        self.keyPolicy = keyPolicy
        self.denial = denial
        self.validity = validity
        self.refresh = refresh
        self.jitter = jitter
        self.dnskeyTTL = dnskeyTTL
        self.keyDirectory = keyDirectory
        self.config = config
    }

    /// The settings of a `[[zone]]` with `dnssec`; keys in `DATA/keys/ZONE`
    /// (beside the zone file, in `keys/ZONE`, without a data directory).
    init(config c: ZoneDNSSECConfig, zone: DomainName, zoneFile: String, dataDirectory: String?) {
        let algorithm: DNSSECAlgorithm
        switch c.algorithm {
        case .ecdsap256sha256: algorithm = .ecdsaP256SHA256
        case .ecdsap384sha384: algorithm = .ecdsaP384SHA384
        case .ed25519: algorithm = .ed25519
        case .rsasha256: algorithm = .rsaSHA256
        }
        let data: String
        if let dataDirectory {
            data = dataDirectory
        } else if let slash = zoneFile.lastIndex(of: "/") {
            data = String(zoneFile[..<slash])
        } else {
            data = "."
        }
        func seconds(_ d: Duration) -> UInt32 { UInt32(clamping: d.components.seconds) }
        self.init(
            keyPolicy: KeyPolicy(
                algorithm: algorithm, scheme: c.keys == .kskZSK ? .kskZSK : .csk,
                zskLifetime: seconds(c.zskLifetime), kskLifetime: seconds(c.kskLifetime),
                propagationDelay: seconds(c.propagationDelay), parentDSCheck: c.parentDSCheck != .command,
                signatureValidity: seconds(c.signatureValidity), dnskeyTTL: seconds(c.dnskeyTTL)),
            denial: c.denial == .nsec ? .nsec : .nsec3(iterations: 0, salt: [], optOut: c.nsec3OptOut),
            validity: seconds(c.signatureValidity), refresh: seconds(c.signatureRefresh), jitter: seconds(c.jitter),
            dnskeyTTL: seconds(c.dnskeyTTL), keyDirectory: KeyDirectory.path(data: data, zone: zone), config: c)
    }

    /// The signing times for signatures made at `now` (seconds since 1970):
    /// inception an hour back, expiration `validity` on, less up to `jitter`.
    func policy(now: UInt32) -> SigningPolicy {
        SigningPolicy(
            denial: self.denial, inception: now &- SigningPolicy.defaultBackdate, expiration: now &+ self.validity,
            jitter: self.jitter, dnskeyTTL: self.dnskeyTTL, threads: System.coreCount)
    }
}
