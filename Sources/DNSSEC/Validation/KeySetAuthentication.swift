// SPDX-License-Identifier: Apache-2.0

import DNSCore

/// What the DS RRset of a zone (or a trust anchor) makes of its DNSKEY RRset.
public enum KeySetOutcome: Sendable, Hashable {
    /// The DNSKEY RRset is proved: its keys validate the zone's data until
    /// `ttl` seconds from now.
    case secure(keys: [RDATA.DNSKEY], ttl: UInt32)
    /// No DS uses an algorithm and digest type hanon supports: the zone is
    /// treated as unsigned (RFC 4035 §5.2, RFC 6840 §5.2). `reason` says
    /// which (for logs; no EDE is needed).
    case insecure(reason: String)
    /// The chain breaks here.
    case bogus(ValidationFailure)
}

extension DNSSEC {
    /// Algorithms hanon validates (RFC 8624 §3.1, the MUST and RECOMMENDED ones).
    public static let supportedAlgorithms: Set<DNSSECAlgorithm> = [
        .rsaSHA1, .rsaSHA1NSEC3SHA1, .rsaSHA256, .rsaSHA512, .ecdsaP256SHA256, .ecdsaP384SHA384, .ed25519,
    ]
    /// DS digests computed at most for one DNSKEY RRset (colliding key tags).
    public static let maxDSDigests = 64

    /// DS digest types hanon computes (RFC 8624 §3.3): SHA-1, SHA-256, SHA-384.
    public static let supportedDigestTypes: Set<DSDigestType> = [.sha1, .sha256, .sha384]

    /// The DS records a validator uses (RFC 4035 §5.2, RFC 6840 §5.2): those
    /// with a supported algorithm and digest type; SHA-1 ones are ignored
    /// when a SHA-256 or SHA-384 one is present (RFC 4509 §3).
    public static func usableDS(_ ds: [RDATA.DS]) -> [RDATA.DS] {
        let usable = ds.filter {
            self.supportedAlgorithms.contains($0.algorithm) && self.supportedDigestTypes.contains($0.digestType)
        }
        guard usable.contains(where: { $0.digestType != .sha1 }) else { return usable }
        return usable.filter { $0.digestType != .sha1 }
    }

    /// Authenticates the DNSKEY RRset of `zone` from its DS RRset (RFC 4035
    /// §5.2): a DNSKEY matching a usable DS (key tag, algorithm, digest) must
    /// be a zone key and sign the DNSKEY RRset. With no usable DS the zone is
    /// insecure; with usable ones and no such key it is bogus (EDE 9 when no
    /// key matches, else the signature's failure).
    public static func authenticateKeys(
        _ dnskeys: SignedRRset, ds: [RDATA.DS], zone: DomainName, now: UInt32, budget: inout VerificationBudget
    ) -> KeySetOutcome {
        let usable = self.usableDS(ds)
        guard !usable.isEmpty else {
            let algorithms = Set(ds.map(\.algorithm.rawValue)).sorted()
            let digests = Set(ds.map(\.digestType.rawValue)).sorted()
            return .insecure(
                reason:
                    "zone \(zone): no DS with a supported algorithm and digest (algorithms \(algorithms), digests \(digests))"
            )
        }
        let keys = dnskeys.rdata.compactMap { rdata -> RDATA.DNSKEY? in
            if case .dnskey(let key) = rdata { return key }
            return nil
        }
        var candidates: [RDATA.DNSKEY] = []
        var hashed = 0
        for ds in usable {
            for key in keys where key.keyTag == ds.keyTag && key.algorithm == ds.algorithm && !candidates.contains(key)
            {
                // Digests are cheap but not free: bounded too.
                guard hashed < Self.maxDSDigests else { break }
                hashed += 1
                if self.matches(ds, key: key, owner: zone) { candidates.append(key) }
            }
        }
        guard !candidates.isEmpty else {
            let tags = Set(usable.map(\.keyTag)).sorted()
            return .bogus(
                ValidationFailure(.dnskeyMissing, "zone \(zone): no DNSKEY matches the DS (key tags \(tags))"))
        }
        return self.authenticateKeys(dnskeys, trustedKeys: candidates, zone: zone, now: now, budget: &budget)
    }

    /// Authenticates the DNSKEY RRset of `zone` with keys already trusted
    /// (matched by DS, or configured as DNSKEY trust anchors): the RRset must
    /// contain one of them and be signed by it (RFC 4035 §5.2).
    public static func authenticateKeys(
        _ dnskeys: SignedRRset, trustedKeys: [RDATA.DNSKEY], zone: DomainName, now: UInt32,
        budget: inout VerificationBudget
    ) -> KeySetOutcome {
        let present = trustedKeys.filter { dnskeys.rdata.contains(.dnskey($0)) && $0.isZoneKey }
        guard !present.isEmpty else {
            let tags = trustedKeys.map(\.keyTag)
            return .bogus(ValidationFailure(.dnskeyMissing, "zone \(zone): DNSKEY RRset lacks trusted keys \(tags)"))
        }
        guard present.contains(where: { self.supportedAlgorithms.contains($0.algorithm) }) else {
            return .insecure(reason: "zone \(zone): trusted keys use unsupported algorithms")
        }
        switch self.verifyRRset(dnskeys, keys: present, zone: zone, now: now, budget: &budget) {
        case .success(let verified):
            let all = dnskeys.rdata.compactMap { rdata -> RDATA.DNSKEY? in
                if case .dnskey(let key) = rdata { return key }
                return nil
            }
            return .secure(keys: all, ttl: verified.ttl)
        case .failure(let failure):
            return .bogus(failure)
        }
    }
}
