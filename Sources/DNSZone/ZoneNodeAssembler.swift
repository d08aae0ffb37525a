// SPDX-License-Identifier: Apache-2.0

import DNSCore

/// Groups the records of one owner name into RRsets, as ``ZoneBuilder``
/// does for a whole zone, with the same rules and messages: duplicates
/// dropped (RFC 2181 §5), the first record's TTL for the RRset (RFC 2181
/// §5.2), one CNAME, DNAME or SOA at most (RFC 2181 §10.1, RFC 6672 §2.4),
/// RRSIGs with the RRset they cover (RFC 4034 §3), no CNAME beside other
/// data except RRSIG and NSEC (RFC 4035 §2.5). Used by an update
/// (``Zone/applying(_:)``), which rebuilds only the names it touches: fed
/// the same records in the same order, a name gets the same RRsets as in a
/// full build.
struct ZoneNodeAssembler {
    let dnsClass: DNSClass
    private(set) var rrsets: [RRSet] = []
    private var signatures: [(covered: RecordType, ttl: UInt32, rdata: RDATA)] = []
    /// Records kept (duplicates dropped, RRSIGs counted).
    private(set) var recordCount = 0
    /// The owner of the first record added, as written (the node's name in a full build).
    private(set) var firstOwner: DomainName?

    init(dnsClass: DNSClass) { self.dnsClass = dnsClass }

    /// Adds one record; a duplicate is dropped.
    mutating func add(_ record: ResourceRecord) throws(ZoneBuildError) {
        guard record.dnsClass == self.dnsClass else {
            throw ZoneBuildError(
                "\(record.name) \(record.type) has class \(record.dnsClass), the zone \(self.dnsClass)")
        }
        if self.firstOwner == nil { self.firstOwner = record.name }
        if case .rrsig(let sig) = record.rdata {
            guard !self.signatures.contains(where: { $0.rdata == record.rdata }) else { return }
            self.signatures.append((sig.typeCovered, record.ttl, record.rdata))
            self.recordCount += 1
            return
        }
        let type = record.type
        if let k = self.rrsets.firstIndex(where: { $0.type == type }) {
            guard !self.rrsets[k].rdata.contains(record.rdata) else { return }
            if type == .cname || type == .dname || type == .soa {
                throw ZoneBuildError("more than one \(type) record at \(record.name) (RFC 2181 §10.1, RFC 6672 §2.4)")
            }
            self.rrsets[k].rdata.append(record.rdata)
        } else {
            self.rrsets.append(RRSet(name: record.name, type: type, ttl: record.ttl, rdata: [record.rdata]))
        }
        self.recordCount += 1
    }

    /// The RRsets of the name `name`, signatures attached, checked.
    mutating func finish(name: DomainName) throws(ZoneBuildError) -> [RRSet] {
        for sig in self.signatures {
            if let k = self.rrsets.firstIndex(where: { $0.type == sig.covered }) {
                if self.rrsets[k].signatures.isEmpty { self.rrsets[k].signatureTTL = sig.ttl }
                self.rrsets[k].signatures.append(sig.rdata)
            } else if let k = self.rrsets.firstIndex(where: { $0.type == .rrsig }) {
                self.rrsets[k].rdata.append(sig.rdata)
            } else {
                self.rrsets.append(RRSet(name: name, type: .rrsig, ttl: sig.ttl, rdata: [sig.rdata]))
            }
        }
        self.signatures = []
        if self.rrsets.count > 1, self.rrsets.contains(where: { $0.type == .cname }) {
            for set in self.rrsets where set.type != .cname && set.type != .nsec && set.type != .rrsig {
                throw ZoneBuildError("CNAME and other data at \(name) (RFC 2181 §10.1)")
            }
        }
        return self.rrsets
    }
}
