// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSZone

extension QueryProcessor {
    /// Additional section processing (RFC 1035 §3.3.2, §3.3.9, §3.3.11;
    /// RFC 2782): A and AAAA of the NS, MX and SRV targets that the zone holds.
    func addTargetAddresses<Sink: AnswerSink>(of set: RRSet, in zone: Zone, to sink: inout Sink) {
        let includeOccluded: Bool
        switch set.type {
        case .ns: includeOccluded = true
        case .mx, .srv:
            guard self.options.additionalForMailAndServices else { return }
            includeOccluded = false
        default: return
        }
        Self.addAddresses(of: set, in: zone, includeOccluded: includeOccluded, required: nil, to: &sink)
    }

    /// Glue for a referral (RFC 9471): A and AAAA of the name servers whose
    /// names are in the zone, below this cut or another one. Glue for names
    /// below the cut itself (in-domain) is required: TC when it does not fit;
    /// it comes first in the section.
    func addGlue<Sink: AnswerSink>(for ns: RRSet, in zone: Zone, to sink: inout Sink) {
        Self.addAddresses(of: ns, in: zone, includeOccluded: true, required: true, to: &sink)
        Self.addAddresses(of: ns, in: zone, includeOccluded: true, required: false, to: &sink)
    }

    /// The target of an NS, MX or SRV record.
    private static func target(of rdata: RDATA) -> DomainName? {
        switch rdata {
        case .ns(let name): return name
        case .mx(let mx): return mx.exchange
        case .srv(let srv): return srv.target
        default: return nil
        }
    }

    /// The A RRsets of every target first, then the AAAA RRsets, as NSD
    /// orders them: when the section is cut short, each server keeps an
    /// address. Targets outside the zone are skipped, a repeated target is
    /// given once. `required` nil: every target, not required; else the
    /// glue targets below (true) or not below (false) the cut.
    private static func addAddresses<Sink: AnswerSink>(
        of set: RRSet, in zone: Zone, includeOccluded: Bool, required: Bool?, to sink: inout Sink
    ) {
        let rdata = set.rdata
        // The targets to look up, as bits (the common case: up to 64 records), found once.
        guard rdata.count <= 64 else {
            Self.addAddressesSlowly(of: set, in: zone, includeOccluded: includeOccluded, required: required, to: &sink)
            return
        }
        var selected: UInt64 = 0
        for i in rdata.indices {
            guard let target = Self.target(of: rdata[i]), required != nil || !target.isRoot,
                target.isAtOrBelow(zone.origin)
            else { continue }
            if let required, target.isAtOrBelow(set.name) != required { continue }
            var repeated = false
            var earlier = selected
            while earlier != 0 {
                let j = earlier.trailingZeroBitCount
                earlier &= earlier - 1
                if Self.target(of: rdata[j]) == target {
                    repeated = true
                    break
                }
            }
            if !repeated { selected |= 1 << UInt64(i) }
        }
        guard selected != 0 else { return }
        for pass in 0..<2 {
            let type: RecordType = pass == 0 ? .a : .aaaa
            var bits = selected
            while bits != 0 {
                let i = bits.trailingZeroBitCount
                bits &= bits - 1
                guard let target = Self.target(of: rdata[i]),
                    let address = zone.addressRRSet(at: target, type: type, includeOccluded: includeOccluded)
                else { continue }
                sink.additional(address, required: required ?? false)
            }
        }
    }

    /// ``addAddresses(of:in:includeOccluded:required:to:)`` for RRsets of more than 64 records.
    private static func addAddressesSlowly<Sink: AnswerSink>(
        of set: RRSet, in zone: Zone, includeOccluded: Bool, required: Bool?, to sink: inout Sink
    ) {
        let rdata = set.rdata
        for pass in 0..<2 {
            let type: RecordType = pass == 0 ? .a : .aaaa
            for i in rdata.indices {
                guard let target = Self.target(of: rdata[i]), required != nil || !target.isRoot,
                    target.isAtOrBelow(zone.origin)
                else { continue }
                if let required, target.isAtOrBelow(set.name) != required { continue }
                var repeated = false
                for j in rdata.startIndex..<i where Self.target(of: rdata[j]) == target {
                    repeated = true
                    break
                }
                guard !repeated,
                    let address = zone.addressRRSet(at: target, type: type, includeOccluded: includeOccluded)
                else { continue }
                sink.additional(address, required: required ?? false)
            }
        }
    }
}
