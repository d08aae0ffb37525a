// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSZone

extension QueryProcessor {
    /// Additional section processing (RFC 1035 §3.3.2, §3.3.9, §3.3.11;
    /// RFC 2782): A and AAAA of the NS, MX and SRV targets that the zone holds.
    func addTargetAddresses(of set: RRSet, in zone: Zone, to builder: inout AnswerBuilder) {
        for rdata in set.rdata {
            let target: DomainName
            var includeOccluded = false
            switch rdata {
            case .ns(let name):
                target = name
                includeOccluded = true
            case .mx(let mx):
                guard self.options.additionalForMailAndServices else { return }
                target = mx.exchange
            case .srv(let srv):
                guard self.options.additionalForMailAndServices else { return }
                target = srv.target
            default: return
            }
            guard !target.isRoot, target.isSubdomain(of: zone.origin) else { continue }
            builder.additional(
                zone.addressRRSets(at: target, includeOccluded: includeOccluded), for: target, required: false)
        }
    }

    /// Glue for a referral (RFC 9471): A and AAAA of the name servers whose
    /// names are in the zone, below this cut or another one. Glue for names
    /// below the cut itself (in-domain) is required: TC when it does not fit.
    func addGlue(for ns: RRSet, in zone: Zone, to builder: inout AnswerBuilder) {
        for rdata in ns.rdata {
            guard case .ns(let target) = rdata, target.isSubdomain(of: zone.origin) else { continue }
            builder.additional(
                zone.addressRRSets(at: target, includeOccluded: true), for: target,
                required: target.isSubdomain(of: ns.name))
        }
    }
}
