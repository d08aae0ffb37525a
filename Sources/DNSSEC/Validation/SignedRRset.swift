// SPDX-License-Identifier: Apache-2.0

import DNSCore

/// An RRset as it arrives in a response, with the RRSIGs that claim to cover
/// it (RFC 4034 §3: owner, class and type covered match).
public struct SignedRRset: Sendable, Hashable {
    public var name: DomainName
    public var type: RecordType
    public var dnsClass: DNSClass
    /// The smallest TTL of the records (RFC 2181 §5.2 wants one).
    public var ttl: UInt32
    public var rdata: [RDATA]
    public var signatures: [RDATA.RRSIG]

    public init(
        name: DomainName, type: RecordType, dnsClass: DNSClass = .in, ttl: UInt32, rdata: [RDATA],
        signatures: [RDATA.RRSIG] = []
    ) {
        self.name = name
        self.type = type
        self.dnsClass = dnsClass
        self.ttl = ttl
        self.rdata = rdata
        self.signatures = signatures
    }

    /// The RRsets of a message section, in the order of their first record,
    /// each with its RRSIGs; RRSIGs covering no RRset of the section are
    /// dropped.
    public static func group(_ records: [ResourceRecord]) -> [SignedRRset] {
        var sets: [SignedRRset] = []
        var index: [Key: Int] = [:]
        for record in records where record.type != .rrsig {
            let key = Key(name: record.name, type: record.type, dnsClass: record.dnsClass)
            if let i = index[key] {
                if !sets[i].rdata.contains(record.rdata) { sets[i].rdata.append(record.rdata) }
                sets[i].ttl = min(sets[i].ttl, record.ttl)
            } else {
                index[key] = sets.count
                sets.append(
                    SignedRRset(
                        name: record.name, type: record.type, dnsClass: record.dnsClass, ttl: record.ttl,
                        rdata: [record.rdata]))
            }
        }
        for record in records {
            guard case .rrsig(let sig) = record.rdata,
                let i = index[Key(name: record.name, type: sig.typeCovered, dnsClass: record.dnsClass)]
            else { continue }
            sets[i].signatures.append(sig)
        }
        return sets
    }

    private struct Key: Hashable {
        var name: DomainName
        var type: RecordType
        var dnsClass: DNSClass
    }

    /// The signer names of the RRSIGs, without duplicates.
    public var signers: [DomainName] {
        var out: [DomainName] = []
        for sig in self.signatures where !out.contains(sig.signerName) { out.append(sig.signerName) }
        return out
    }
}
