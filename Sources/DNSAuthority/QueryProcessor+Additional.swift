// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSZone

extension QueryProcessor {
    /// Additional section processing (RFC 1035 §3.3.2, §3.3.9, §3.3.11;
    /// RFC 2782): A and AAAA of the NS, MX and SRV targets that the zone holds.
    func addTargetAddresses(of set: RRSet, in zone: Zone, to builder: inout AnswerBuilder) {
        var targets: [(DomainName, Bool, Bool)] = []
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
            default: continue
            }
            guard !target.isRoot, target.isSubdomain(of: zone.origin) else { continue }
            targets.append((target, includeOccluded, false))
        }
        Self.addAddresses(of: targets, in: zone, to: &builder)
    }

    /// Glue for a referral (RFC 9471): A and AAAA of the name servers whose
    /// names are in the zone, below this cut or another one. Glue for names
    /// below the cut itself (in-domain) is required: TC when it does not fit.
    func addGlue(for ns: RRSet, in zone: Zone, to builder: inout AnswerBuilder) {
        var targets: [(DomainName, Bool, Bool)] = []
        for rdata in ns.rdata {
            guard case .ns(let target) = rdata, target.isSubdomain(of: zone.origin) else { continue }
            targets.append((target, true, target.isSubdomain(of: ns.name)))
        }
        Self.addAddresses(of: targets, in: zone, to: &builder)
    }

    /// The A RRsets of every target first, then the AAAA RRsets, as NSD
    /// orders them: when the section is cut short, each server keeps an address.
    private static func addAddresses(
        of targets: [(name: DomainName, includeOccluded: Bool, required: Bool)], in zone: Zone,
        to builder: inout AnswerBuilder
    ) {
        guard !targets.isEmpty else { return }
        var sets: [(RRSet, Bool)] = []
        for target in targets {
            for set in zone.addressRRSets(at: target.name, includeOccluded: target.includeOccluded) {
                sets.append((set, target.required))
            }
        }
        for (set, required) in sets where set.type == .a { builder.additional(set, required: required) }
        for (set, required) in sets where set.type == .aaaa { builder.additional(set, required: required) }
    }
}
