// SPDX-License-Identifier: Apache-2.0

import DNSCore

extension DNSSEC {
    /// The octets an RRSIG signs (RFC 4034 §3.1.8.1):
    /// `RRSIG_RDATA | RR(1) | RR(2) …`, where RRSIG_RDATA is the RRSIG RDATA
    /// without the signature, the signer's name in canonical form, and each
    /// RR is `owner | type | class | original TTL | RDLENGTH | RDATA`, in the
    /// canonical form and order of RFC 4034 §6.2 and §6.3:
    ///
    /// - the owner lower-cased; when the RRSIG labels field is smaller than
    ///   the owner's label count, the owner is the wildcard `*.` + its rightmost
    ///   `labels` labels (RFC 4034 §3.1.8.1, RFC 4035 §5.3.2);
    /// - the TTL is the RRSIG's original TTL;
    /// - the RDATA in canonical form (names lower-cased in the types of
    ///   RFC 4034 §6.2 as amended by RFC 6840 §5.1), sorted as octet strings,
    ///   duplicates removed (RFC 4034 §6.3).
    ///
    /// No check is made here (a labels field larger than the owner's label
    /// count is used as given); ``verify(rrsig:owner:dnsClass:rdata:key:keyOwner:now:)`` checks.
    public static func signatureData(
        rrsig: RDATA.RRSIG, owner: DomainName, dnsClass: DNSClass = .in, rdata: [RDATA]
    ) -> [UInt8] {
        let canonical = rdata.map(\.canonicalWireBytes)
        return self.signatureData(rrsig: rrsig, owner: owner, dnsClass: dnsClass, canonicalRDATA: canonical)
    }

    /// ``signatureData(rrsig:owner:dnsClass:rdata:)`` from RDATA already in canonical wire form.
    public static func signatureData(
        rrsig: RDATA.RRSIG, owner: DomainName, dnsClass: DNSClass, canonicalRDATA: [[UInt8]]
    ) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + canonicalRDATA.count * 64)
        appendUInt16(rrsig.typeCovered.rawValue, to: &out)
        out.append(rrsig.algorithm.rawValue)
        out.append(rrsig.labels)
        appendUInt32(rrsig.originalTTL, to: &out)
        appendUInt32(rrsig.expiration, to: &out)
        appendUInt32(rrsig.inception, to: &out)
        appendUInt16(rrsig.keyTag, to: &out)
        out.append(contentsOf: rrsig.signerName.lowercased().wire)

        let ownerWire = self.signedOwner(owner, labels: Int(rrsig.labels)).wire
        let sorted = canonicalRDATA.sorted { $0.lexicographicallyPrecedes($1) }
        var previous: [UInt8]? = nil
        for data in sorted {
            if let previous, previous == data { continue }
            previous = data
            out.append(contentsOf: ownerWire)
            appendUInt16(rrsig.typeCovered.rawValue, to: &out)
            appendUInt16(dnsClass.rawValue, to: &out)
            appendUInt32(rrsig.originalTTL, to: &out)
            appendUInt16(UInt16(truncatingIfNeeded: data.count), to: &out)
            out.append(contentsOf: data)
        }
        return out
    }

    /// The owner as it enters the signed data: lower-cased, and replaced by
    /// `*.` + its rightmost `labels` labels when it has more labels than the
    /// RRSIG says (a wildcard expansion, RFC 4034 §3.1.8.1 "name").
    public static func signedOwner(_ owner: DomainName, labels: Int) -> DomainName {
        let lower = owner.lowercased()
        let count = lower.labelCount
        guard labels < count else { return lower }
        let suffix = lower.suffix(labels: labels)
        return (try? suffix.prepending(label: [UInt8(ascii: "*")])) ?? lower
    }

    /// The RRSIG labels field for an owner (RFC 4034 §3.1.3): its label count,
    /// not counting the root nor a leading `*` label.
    public static func rrsigLabels(_ owner: DomainName) -> UInt8 {
        let count = owner.labelCount - (owner.isWildcard ? 1 : 0)
        return UInt8(clamping: count)
    }
}

@inline(__always)
func appendUInt16(_ value: UInt16, to out: inout [UInt8]) {
    out.append(UInt8(truncatingIfNeeded: value >> 8))
    out.append(UInt8(truncatingIfNeeded: value))
}

@inline(__always)
func appendUInt32(_ value: UInt32, to out: inout [UInt8]) {
    out.append(UInt8(truncatingIfNeeded: value >> 24))
    out.append(UInt8(truncatingIfNeeded: value >> 16))
    out.append(UInt8(truncatingIfNeeded: value >> 8))
    out.append(UInt8(truncatingIfNeeded: value))
}
