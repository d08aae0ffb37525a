// SPDX-License-Identifier: Apache-2.0

import DNSCore

extension Zone {
    /// Every record of the zone, RRSIGs included, node by node (the copy a
    /// secondary writes to disk, tests).
    public var allRecords: [ResourceRecord] {
        var records: [ResourceRecord] = []
        records.reserveCapacity(self.recordCount)
        for set in self.allRRSets {
            for rdata in set.rdata {
                records.append(ResourceRecord(name: set.name, dnsClass: self.dnsClass, ttl: set.ttl, rdata: rdata))
            }
            for signature in set.signatures {
                records.append(
                    ResourceRecord(name: set.name, dnsClass: self.dnsClass, ttl: set.signatureTTL, rdata: signature))
            }
        }
        return records
    }
}
