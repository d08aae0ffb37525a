// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSZone

/// Walks the records of a zone one at a time, node by node, without
/// building the list (a zone transfer of a large zone): every RRset with its
/// RRSIGs after it, the apex SOA left out (a transfer places it itself,
/// RFC 5936 §2.2). Glue and occluded data below a cut are included: a
/// transfer carries the whole zone.
public struct ZoneRecordCursor {
    private let zone: Zone
    private var nodeIndex = 0
    private var sets: [RRSet]
    private var setIndex = 0
    /// Position in the current RRset: its records, then its signatures.
    private var itemIndex = 0

    /// A cursor at the first record of `zone`.
    public init(zone: Zone) {
        self.zone = zone
        self.sets = zone.rrsets(atNodeIndex: 0)
    }

    /// The next record, nil after the last.
    public mutating func next() -> ResourceRecord? {
        while true {
            if self.setIndex < self.sets.count {
                let set = self.sets[self.setIndex]
                let skipData = self.nodeIndex == 0 && set.type == .soa
                let dataCount = skipData ? 0 : set.rdata.count
                let item = self.itemIndex
                if item < dataCount {
                    self.itemIndex += 1
                    return ResourceRecord(
                        name: set.name, dnsClass: self.zone.dnsClass, ttl: set.ttl, rdata: set.rdata[item])
                }
                if item - dataCount < set.signatures.count {
                    self.itemIndex += 1
                    return ResourceRecord(
                        name: set.name, dnsClass: self.zone.dnsClass, ttl: set.signatureTTL,
                        rdata: set.signatures[item - dataCount])
                }
                self.setIndex += 1
                self.itemIndex = 0
                continue
            }
            self.nodeIndex += 1
            guard self.nodeIndex < self.zone.nodeCount else { return nil }
            self.sets = self.zone.rrsets(atNodeIndex: self.nodeIndex)
            self.setIndex = 0
            self.itemIndex = 0
        }
    }
}
