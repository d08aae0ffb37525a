// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSSEC

/// The denial records of a negative answer the validator found secure: the
/// zone that signed them, its SOA and its NSEC or NSEC3 RRsets, each with
/// its RRSIGs by that zone. What RFC 8198 §5 lets a resolver keep and
/// answer other questions from.
///
/// It picks exactly the records ``DNSSECValidator`` verified for that status:
/// the zone is the deepest signer of the NSEC/NSEC3 RRsets in authority
/// (``DNSSECValidator/proveDenial``), every NSEC/NSEC3 RRset at or below it
/// signed by it was verified with its keys (a failure makes the answer
/// bogus), and the SOA validated is the one SOA of the section, at the apex.
/// Anything else is left out: a response with two SOAs, an SOA elsewhere
/// than at the signer, or denial records of another signer yields nothing.
struct SecureDenial: Sendable {
    var zone: DomainName
    var soa: SignedRRset
    var sets: [SignedRRset]

    /// The denial of `response` (NXDOMAIN or NODATA), to be used only when
    /// its status is ``SecurityStatus/secure``; nil when it has none to keep.
    init?(_ response: DNSMessage, question: Question) {
        guard question.dnsClass == .in, response.rcode == .nxDomain || response.rcode == .noError else { return nil }
        let authority = SignedRRset.group(response.authorities.filter { $0.dnsClass == .in })
        let denial = authority.filter { $0.type == .nsec || $0.type == .nsec3 }
        var zone: DomainName? = nil
        for set in denial {
            for signer in set.signers where set.name.isSubdomain(of: signer) {
                if zone.map({ signer.labelCount > $0.labelCount }) ?? true { zone = signer }
            }
        }
        let soas = authority.filter { $0.type == .soa }
        guard let zone, soas.count == 1, var soa = soas.first, soa.name == zone, soa.signers.contains(zone) else {
            return nil
        }
        soa.signatures = soa.signatures.filter { $0.signerName == zone }
        var sets: [SignedRRset] = []
        for var set in denial where set.name.isSubdomain(of: zone) && set.signers.contains(zone) {
            set.signatures = set.signatures.filter { $0.signerName == zone }
            sets.append(set)
        }
        guard !sets.isEmpty else { return nil }
        self.zone = zone
        self.soa = soa
        self.sets = sets
    }
}
