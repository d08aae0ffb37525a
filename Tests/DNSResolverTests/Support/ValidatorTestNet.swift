// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSResolver
import DNSSEC
import DNSZone
import Synchronization
import Testing

/// A signed zone held as records, answering as an authoritative server does
/// with DO set: RRsets with their RRSIGs, and NSEC/NSEC3 proofs for NODATA,
/// NXDOMAIN, wildcard expansion and DS absence (RFC 4035 §3.1, RFC 5155 §7.2).
struct TestZone: Sendable {
    var origin: DomainName
    var records: [ResourceRecord]

    private func set(_ name: DomainName, _ type: RecordType) -> [ResourceRecord] {
        self.records.filter { $0.name == name && $0.type == type }
            + self.records.filter {
                guard $0.name == name, case .rrsig(let sig) = $0.rdata else { return false }
                return sig.typeCovered == type
            }
    }

    /// Owner names that exist (nodes and their ancestors up to the apex),
    /// NSEC3 owners left out.
    private var names: Set<DomainName> {
        var out = Set<DomainName>()
        for record in self.records where record.type != .nsec3 {
            if case .rrsig(let sig) = record.rdata, sig.typeCovered == .nsec3 { continue }
            var name: DomainName? = record.name
            while let n = name, n.isSubdomain(of: self.origin), !out.contains(n) {
                out.insert(n)
                name = n.parent
            }
        }
        return out
    }

    private var nsec3Parameters: RDATA.NSEC3? {
        for record in self.records { if case .nsec3(let n) = record.rdata { return n } }
        return nil
    }

    private var usesNSEC: Bool { self.records.contains { $0.type == .nsec } }

    private func coveringNSEC(_ name: DomainName) -> [ResourceRecord] {
        for record in self.records {
            guard case .nsec(let nsec) = record.rdata else { continue }
            let afterOwner = record.name.canonicalCompare(name) < 0
            let last = nsec.nextDomainName.canonicalCompare(record.name) <= 0
            if afterOwner && (last || name.canonicalCompare(nsec.nextDomainName) < 0) {
                return self.set(record.name, .nsec)
            }
        }
        return []
    }

    private func nsec3Owner(_ name: DomainName) -> DomainName? {
        guard let p = self.nsec3Parameters else { return nil }
        return try? DNSSEC.nsec3Owner(
            hash: DNSSEC.nsec3Hash(name, salt: p.salt, iterations: p.iterations), zone: self.origin)
    }

    private func matchingNSEC3(_ name: DomainName) -> [ResourceRecord] {
        guard let owner = self.nsec3Owner(name) else { return [] }
        return self.set(owner, .nsec3)
    }

    private func coveringNSEC3(_ name: DomainName) -> [ResourceRecord] {
        guard let p = self.nsec3Parameters else { return [] }
        let hash = DNSSEC.nsec3Hash(name, salt: p.salt, iterations: p.iterations)
        for record in self.records {
            guard case .nsec3(let n) = record.rdata, let own = Base32Hex.decode(record.name.firstLabel) else {
                continue
            }
            let next = n.nextHashedOwnerName
            let covered =
                own.lexicographicallyPrecedes(next)
                ? own.lexicographicallyPrecedes(hash) && hash.lexicographicallyPrecedes(next)
                : own.lexicographicallyPrecedes(hash) || hash.lexicographicallyPrecedes(next)
            if covered { return self.set(record.name, .nsec3) }
        }
        return []
    }

    /// The closest encloser of a name that does not exist.
    private func closestEncloser(_ name: DomainName) -> DomainName {
        let names = self.names
        var candidate = name.parent
        while let c = candidate, !names.contains(c) { candidate = c.parent }
        return candidate ?? self.origin
    }

    /// Closest encloser proof records (RFC 5155 §7.2.1).
    private func encloserProof(_ qname: DomainName, _ encloser: DomainName) -> [ResourceRecord] {
        let nextCloser = qname.suffix(labels: encloser.labelCount + 1)
        return self.matchingNSEC3(encloser) + self.coveringNSEC3(nextCloser)
    }

    func answer(_ qname: DomainName, _ qtype: RecordType) -> DNSMessage {
        var message = DNSMessage.query(id: 1, name: qname, type: qtype)
        message.header.isResponse = true
        message.header.authoritative = true
        let soa = self.set(self.origin, .soa)
        let names = self.names
        // A delegation at or above qname (DS is answered here, at the parent).
        if let cut = self.cut(above: qname) {
            if qname == cut && qtype == .ds {
                let ds = self.set(cut, .ds)
                if !ds.isEmpty {
                    message.answers = ds
                } else {
                    message.authorities =
                        soa
                        + (self.usesNSEC
                            ? self.set(cut, .nsec)
                            : self.matchingNSEC3(cut).isEmpty
                                ? self.encloserProof(cut, self.closestEncloser(cut)) : self.matchingNSEC3(cut))
                }
                return message
            }
            message.header.authoritative = false
            message.authorities = self.set(cut, .ns) + self.set(cut, .ds)
            return message
        }
        if names.contains(qname) {
            let answer = self.set(qname, qtype)
            if !answer.isEmpty {
                message.answers = answer
                return message
            }
            let cname = self.set(qname, .cname)
            if !cname.isEmpty {
                message.answers = cname
                return message
            }
            // NODATA (an empty non-terminal included).
            var proof = self.usesNSEC ? self.set(qname, .nsec) : self.matchingNSEC3(qname)
            if proof.isEmpty && self.usesNSEC { proof = self.coveringNSEC(qname) }
            message.authorities = soa + proof
            return message
        }
        let encloser = self.closestEncloser(qname)
        if let wildcard = encloser.wildcard, names.contains(wildcard) {
            var synthesized = self.set(wildcard, qtype)
            if synthesized.isEmpty { synthesized = self.set(wildcard, .cname) }
            let cover =
                self.usesNSEC
                ? self.coveringNSEC(qname)
                : self.coveringNSEC3(
                    qname.suffix(labels: encloser.labelCount + 1))
            if !synthesized.isEmpty {
                message.answers = synthesized.map {
                    ResourceRecord(name: qname, dnsClass: $0.dnsClass, ttl: $0.ttl, rdata: $0.rdata)
                }
                message.authorities = cover
            } else {
                let atWildcard = self.usesNSEC ? self.set(wildcard, .nsec) : self.matchingNSEC3(wildcard)
                let proof = self.usesNSEC ? cover + atWildcard : self.encloserProof(qname, encloser) + atWildcard
                message.authorities = soa + proof
            }
            return message
        }
        message.rcode = .nxDomain
        if self.usesNSEC {
            message.authorities = soa + self.coveringNSEC(qname) + (encloser.wildcard.map(self.coveringNSEC) ?? [])
        } else {
            message.authorities =
                soa + self.encloserProof(qname, encloser) + (encloser.wildcard.map(self.coveringNSEC3) ?? [])
        }
        var seen = Set<ResourceRecord>()
        message.authorities = message.authorities.filter { seen.insert($0).inserted }
        return message
    }

    private func cut(above qname: DomainName) -> DomainName? {
        var name: DomainName? = qname
        while let n = name, n != self.origin, n.isSubdomain(of: self.origin) {
            if self.records.contains(where: { $0.name == n && $0.type == .ns }) { return n }
            name = n.parent
        }
        return nil
    }
}

/// Zones served by "the network": each query goes to the deepest zone
/// holding the name, a DS query to the parent of a zone apex.
final class TestNet: ValidationLookup, Sendable {
    let zones: [TestZone]
    private let counter = Mutex(0)

    init(_ zones: [TestZone]) { self.zones = zones }

    var queries: Int { self.counter.withLock { $0 } }

    func zone(for name: DomainName, _ type: RecordType) -> TestZone? {
        let candidates = self.zones.filter {
            name.isSubdomain(of: $0.origin) && !(type == .ds && $0.origin == name && !name.isRoot)
        }
        return candidates.max { $0.origin.labelCount < $1.origin.labelCount }
    }

    func lookup(_ name: DomainName, _ type: RecordType) async -> DNSMessage? {
        self.counter.withLock { $0 += 1 }
        return self.zone(for: name, type)?.answer(name, type)
    }

    /// The response a resolver would return: CNAMEs followed across zones.
    func query(_ name: String, _ type: RecordType) -> (DNSMessage, Question) {
        let n = (try? DomainName(name, origin: .root)) ?? .root
        var response = self.zone(for: n, type)?.answer(n, type) ?? DNSMessage.query(id: 1, name: n, type: type)
        var target = n
        for _ in 0..<8 {
            guard type != .cname,
                let cname = response.answers.first(where: { $0.name == target && $0.type == .cname }),
                case .cname(let next) = cname.rdata,
                !response.answers.contains(where: { $0.name == next }),
                let more = self.zone(for: next, type)?.answer(next, type)
            else { break }
            response.answers += more.answers
            response.authorities = more.authorities
            response.rcode = more.rcode
            target = next
        }
        return (response, Question(name: n, type: type))
    }
}
