// SPDX-License-Identifier: Apache-2.0

import DNSCore

extension DNSSEC {
    /// Verifies an RRSIG over an RRset with one DNSKEY (RFC 4035 §5.3).
    ///
    /// Checks, in order (RFC 4035 §5.3.1): the RRSIG and the key agree on
    /// algorithm and key tag, the signer's name is the key's owner, the key
    /// is a zone key with protocol 3 (RFC 4034 §2.1.1–2), the labels field is
    /// not more than the owner's label count, the signer's name is the owner
    /// or an ancestor; then, when `now` is given, inception ≤ now ≤ expiration
    /// in RFC 1982 serial arithmetic (RFC 4034 §3.1.5); then the signature
    /// (RFC 4035 §5.3.2–3).
    ///
    /// Throws ``DNSSECError`` naming the first failure: a malformed key or
    /// signature, an unsupported algorithm, a mismatch, a time outside the
    /// validity period, or a bad signature. Returns when the RRset is proved.
    public static func verify(
        rrsig: RDATA.RRSIG, owner: DomainName, dnsClass: DNSClass = .in, rdata: [RDATA],
        key: RDATA.DNSKEY, keyOwner: DomainName, now: UInt32? = nil
    ) throws(DNSSECError) {
        guard rrsig.algorithm == key.algorithm else {
            throw DNSSECError(.keyMismatch, "RRSIG algorithm \(rrsig.algorithm) but key algorithm \(key.algorithm)")
        }
        guard rrsig.keyTag == key.keyTag else {
            throw DNSSECError(.keyMismatch, "RRSIG key tag \(rrsig.keyTag) but key tag \(key.keyTag)")
        }
        guard rrsig.signerName == keyOwner else {
            throw DNSSECError(.keyMismatch, "RRSIG signer \(rrsig.signerName) but key owner \(keyOwner)")
        }
        guard key.isZoneKey, key.protocol == 3 else {
            throw DNSSECError(.keyMismatch, "DNSKEY is not a zone key with protocol 3")
        }
        guard Int(rrsig.labels) <= owner.labelCount else {
            throw DNSSECError(.keyMismatch, "RRSIG labels \(rrsig.labels) exceed the owner's \(owner.labelCount)")
        }
        guard owner.isSubdomain(of: rrsig.signerName) else {
            throw DNSSECError(.keyMismatch, "signer \(rrsig.signerName) is not an ancestor of \(owner)")
        }
        if let now {
            // RFC 1982 serial arithmetic: the difference as a signed 32-bit value.
            if Int32(bitPattern: now &- rrsig.inception) < 0 {
                throw DNSSECError(.signatureNotYetValid, "signature inception is in the future")
            }
            if Int32(bitPattern: rrsig.expiration &- now) < 0 {
                throw DNSSECError(.signatureExpired, "signature expired")
            }
        }
        let publicKey = try DNSSECPublicKey(key)
        let data = self.signatureData(rrsig: rrsig, owner: owner, dnsClass: dnsClass, rdata: rdata)
        guard try publicKey.isValidSignature(rrsig.signature, for: data) else {
            throw DNSSECError(.badSignature, "signature over \(owner) \(rrsig.typeCovered) does not verify")
        }
    }

    /// Verifies `rrsig` with the first of `keys` (DNSKEYs at `keyOwner`) that
    /// matches its algorithm and key tag and proves it (RFC 4035 §5.3.1: key
    /// tags can collide, so each candidate is tried).
    public static func verify(
        rrsig: RDATA.RRSIG, owner: DomainName, dnsClass: DNSClass = .in, rdata: [RDATA],
        keys: [RDATA.DNSKEY], keyOwner: DomainName, now: UInt32? = nil
    ) throws(DNSSECError) {
        var lastError = DNSSECError(.keyMismatch, "no DNSKEY with tag \(rrsig.keyTag) and algorithm \(rrsig.algorithm)")
        for key in keys where key.keyTag == rrsig.keyTag && key.algorithm == rrsig.algorithm {
            do {
                try self.verify(
                    rrsig: rrsig, owner: owner, dnsClass: dnsClass, rdata: rdata, key: key, keyOwner: keyOwner,
                    now: now)
                return
            } catch {
                lastError = error
            }
        }
        throw lastError
    }
}
