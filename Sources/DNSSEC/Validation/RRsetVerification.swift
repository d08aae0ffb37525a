// SPDX-License-Identifier: Apache-2.0

import DNSCore

/// An RRset proved by one of its RRSIGs.
public struct VerifiedRRset: Sendable, Hashable {
    /// The TTL to cache it for (RFC 4035 §5.3.3): the smallest of the RRset's
    /// TTL, the RRSIG's original TTL and the time left before expiration.
    public var ttl: UInt32
    /// The key tag of the key that proved it.
    public var keyTag: UInt16
    /// For a wildcard expansion (RRSIG labels below the owner's label count,
    /// RFC 4035 §5.3.4): the RRSIG labels field, so that the caller can
    /// demand the proof that the owner itself does not exist. nil otherwise.
    public var wildcardLabels: Int?
}

extension DNSSEC {
    /// Proves `rrset` with the DNSKEYs of `zone` (RFC 4035 §5.3).
    ///
    /// An RRSIG is tried when it covers the type, its signer is `zone`, its
    /// labels field is not more than the owner's label count (RFC 4035
    /// §5.3.1) and `now` lies between inception and expiration (RFC 4034
    /// §3.1.5, serial arithmetic). Each key with its key tag and algorithm,
    /// the zone key flag and not revoked (RFC 5011 §3) is tried, at most
    /// ``VerificationLimits/keysPerSignature`` keys for one RRSIG and
    /// ``VerificationLimits/signaturesPerRRset`` RRSIGs; every attempt spends
    /// `budget`. One valid RRSIG proves the RRset (RFC 6840 §5.11).
    ///
    /// On failure the most specific reason is reported: a signature that
    /// does not verify (EDE 6), expired (7) or not yet valid (8), no key with
    /// the tag (9), no RRSIG at all (10), the budget spent (6).
    public static func verifyRRset(
        _ rrset: SignedRRset, keys: [RDATA.DNSKEY], zone: DomainName, now: UInt32,
        budget: inout VerificationBudget
    ) -> Result<VerifiedRRset, ValidationFailure> {
        let what = "\(rrset.name) \(rrset.type)"
        guard !rrset.signatures.isEmpty else {
            return .failure(ValidationFailure(.rrsigsMissing, "no RRSIG over \(what) (zone \(zone))"))
        }
        let ownerLabels = rrset.name.labelCount
        var failure: ValidationFailure? = nil
        var tried = 0
        for sig in rrset.signatures where sig.typeCovered == rrset.type {
            guard sig.signerName == zone else {
                failure = .worst(
                    failure,
                    ValidationFailure(.rrsigsMissing, "RRSIG over \(what) by \(sig.signerName), not by zone \(zone)"))
                continue
            }
            guard Int(sig.labels) <= ownerLabels, rrset.name.isSubdomain(of: zone) else {
                failure = .worst(
                    failure, ValidationFailure(.dnssecBogus, "RRSIG over \(what) with labels \(sig.labels) is invalid"))
                continue
            }
            guard tried < budget.limits.signaturesPerRRset else { break }
            tried += 1
            if Int32(bitPattern: now &- sig.inception) < 0 {
                failure = .worst(
                    failure,
                    ValidationFailure(
                        .signatureNotYetValid,
                        "RRSIG over \(what) by \(zone) key \(sig.keyTag) not valid before \(DNSSECTime.format(sig.inception))"
                    ))
                continue
            }
            if Int32(bitPattern: sig.expiration &- now) < 0 {
                failure = .worst(
                    failure,
                    ValidationFailure(
                        .signatureExpired,
                        "RRSIG over \(what) by \(zone) key \(sig.keyTag) expired \(DNSSECTime.format(sig.expiration))"))
                continue
            }
            var keysTried = 0
            var sawKey = false
            for key in keys
            where key.keyTag == sig.keyTag && key.algorithm == sig.algorithm && key.isZoneKey && !key.isRevoked
                && key.protocol == 3
            {
                sawKey = true
                guard keysTried < budget.limits.keysPerSignature else {
                    failure = .worst(
                        failure,
                        ValidationFailure(
                            .dnssecBogus, "zone \(zone): more than \(keysTried) DNSKEYs with key tag \(sig.keyTag)"))
                    break
                }
                keysTried += 1
                guard budget.spendVerification() else { return .failure(budget.exhausted) }
                let publicKey: DNSSECPublicKey
                do {
                    publicKey = try DNSSECPublicKey(key)
                } catch {
                    let code: EDNSOption.ExtendedError.InfoCode =
                        error.code == .unsupportedAlgorithm ? .unsupportedDNSKEYAlgorithm : .dnssecBogus
                    failure = .worst(
                        failure, ValidationFailure(code, "zone \(zone) DNSKEY \(key.keyTag) unusable: \(error.detail)"))
                    continue
                }
                let data = self.signatureData(
                    rrsig: sig, owner: rrset.name, dnsClass: rrset.dnsClass, rdata: rrset.rdata)
                if (try? publicKey.isValidSignature(sig.signature, for: data)) == true {
                    var ttl = min(rrset.ttl, sig.originalTTL)
                    let left = sig.expiration &- now
                    if Int32(bitPattern: left) >= 0 { ttl = min(ttl, left) }
                    let wildcard = Int(sig.labels) < Self.labelsForRRSIG(rrset.name) ? Int(sig.labels) : nil
                    return .success(VerifiedRRset(ttl: ttl, keyTag: sig.keyTag, wildcardLabels: wildcard))
                }
                failure = .worst(
                    failure,
                    ValidationFailure(.dnssecBogus, "RRSIG over \(what) by \(zone) key \(sig.keyTag) does not verify"))
            }
            if !sawKey {
                failure = .worst(
                    failure,
                    ValidationFailure(
                        .dnskeyMissing,
                        "zone \(zone) has no DNSKEY with tag \(sig.keyTag) algorithm \(sig.algorithm.rawValue) for \(what)"
                    ))
            }
        }
        return .failure(failure ?? ValidationFailure(.rrsigsMissing, "no RRSIG covering \(what) (zone \(zone))"))
    }

    /// The labels field an RRSIG over `owner` has without wildcard
    /// expansion: the label count without the root nor a leading `*`.
    static func labelsForRRSIG(_ owner: DomainName) -> Int {
        owner.labelCount - (owner.isWildcard ? 1 : 0)
    }
}
