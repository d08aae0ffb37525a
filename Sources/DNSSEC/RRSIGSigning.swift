// SPDX-License-Identifier: Apache-2.0

import DNSCore

extension DNSSEC {
    /// Signs one RRset (RFC 4035 §2.2, RFC 4034 §3): builds the RRSIG RDATA
    /// (labels from the owner, a leading `*` not counted; original TTL = the
    /// RRset's TTL; signer = the zone apex; key tag of `key`'s DNSKEY with
    /// `flags`) and signs ``signatureData(rrsig:owner:dnsClass:rdata:)``.
    public static func sign(
        owner: DomainName, type: RecordType, dnsClass: DNSClass = .in, ttl: UInt32, rdata: [RDATA],
        key: DNSSECSigningKey, keyTag: UInt16, signer: DomainName, inception: UInt32, expiration: UInt32
    ) throws(DNSSECError) -> RDATA.RRSIG {
        try self.sign(
            owner: owner, type: type, dnsClass: dnsClass, ttl: ttl, canonicalRDATA: rdata.map(\.canonicalWireBytes),
            key: key, keyTag: keyTag, signer: signer, inception: inception, expiration: expiration)
    }

    /// ``sign(owner:type:dnsClass:ttl:rdata:key:keyTag:signer:inception:expiration:)`` from RDATA in canonical form.
    public static func sign(
        owner: DomainName, type: RecordType, dnsClass: DNSClass = .in, ttl: UInt32, canonicalRDATA: [[UInt8]],
        key: DNSSECSigningKey, keyTag: UInt16, signer: DomainName, inception: UInt32, expiration: UInt32
    ) throws(DNSSECError) -> RDATA.RRSIG {
        var rrsig = RDATA.RRSIG(
            typeCovered: type, algorithm: key.algorithm, labels: self.rrsigLabels(owner), originalTTL: ttl,
            expiration: expiration, inception: inception, keyTag: keyTag, signerName: signer, signature: [])
        let data = self.signatureData(rrsig: rrsig, owner: owner, dnsClass: dnsClass, canonicalRDATA: canonicalRDATA)
        rrsig.signature = try key.sign(data)
        return rrsig
    }
}
