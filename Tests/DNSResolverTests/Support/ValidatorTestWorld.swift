// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSResolver
import DNSSEC
import DNSZone
import Testing

/// How a parent publishes a child's DS.
enum DSMode: Sendable {
    case normal
    /// No DS: an insecure delegation.
    case none
    /// A DS of a key the child does not publish.
    case otherKey
    /// A DS with this (unsupported) digest type.
    case digestType(UInt8)
    /// A DS with this (unsupported) algorithm.
    case algorithm(UInt8)
}

/// One zone of the test hierarchy.
struct ZoneSpec: Sendable {
    var origin: String
    var body: String = ""
    /// nil: unsigned.
    var algorithm: DNSSECAlgorithm? = .ecdsaP256SHA256
    var denial: SigningPolicy.Denial = .nsec
    var ds: DSMode = .normal
    /// Signature inception and expiration relative to now.
    var inception: Int = -3600
    var expiration: Int = 14 * 86400
    /// DNSKEYs published beside the signing key (KeyTrap).
    var extraKeys: (@Sendable (RDATA.DNSKEY) -> [RDATA.DNSKEY])? = nil
    /// Changes made after signing (a broken zone).
    var mutate: (@Sendable ([ResourceRecord]) -> [ResourceRecord])? = nil
}

/// A signed hierarchy in memory: the zones, the root's trust anchor and "now".
struct TestWorld: Sendable {
    static let now: UInt32 = 1_800_000_000

    var net: TestNet
    var anchor: TrustAnchor

    static func name(_ text: String) -> DomainName { (try? DomainName(text, origin: .root)) ?? .root }

    static func build(_ specs: [ZoneSpec]) throws -> TestWorld {
        let origins = specs.map { name($0.origin) }
        // Children before parents, so each parent gets its children's DS.
        let order = specs.indices.sorted { origins[$0].labelCount > origins[$1].labelCount }
        var delegations: [DomainName: [String]] = [:]
        var zones: [TestZone] = []
        var anchor = TrustAnchor(zone: .root)
        for i in order {
            let spec = specs[i]
            let origin = origins[i]
            var text = """
                $ORIGIN \(origin)
                $TTL 300
                @ SOA ns hostmaster 1 7200 900 1209600 300
                @ NS ns
                ns A 192.0.2.53

                """
            text += spec.body + "\n"
            text += (delegations[origin] ?? []).joined(separator: "\n")
            let parsed = ZoneFileParser.parse(text: text, origin: origin)
            if parsed.hasErrors { throw TestWorldError("\(origin): \(parsed.diagnostics)") }
            var zone = try Zone(parsed)
            var records = zone.allRRSets.flatMap { $0.records() }
            var childDS: [String] = []
            if let algorithm = spec.algorithm {
                let key = try ZoneKey.generate(zone: origin, algorithm: algorithm, sep: true, now: Self.now)
                if let extra = spec.extraKeys {
                    for dnskey in extra(key.dnskey) {
                        records.append(ResourceRecord(name: origin, ttl: 300, rdata: .dnskey(dnskey)))
                    }
                    zone = try Zone(origin: origin, records: records)
                }
                let policy = SigningPolicy(
                    denial: spec.denial, inception: UInt32(Int(Self.now) + spec.inception),
                    expiration: UInt32(Int(Self.now) + spec.expiration), threads: 1)
                records = try ZoneSigner(keys: [key], policy: policy).sign(zone)
                let ds = try DNSSEC.ds(for: key.dnskey, owner: origin)
                var published = ds
                switch spec.ds {
                case .normal: break
                case .none: published.digest = []
                case .otherKey:
                    let other = try ZoneKey.generate(zone: origin, algorithm: algorithm, sep: true, now: Self.now)
                    published = try DNSSEC.ds(for: other.dnskey, owner: origin)
                case .digestType(let type):
                    published.digestType = DSDigestType(type)
                case .algorithm(let value):
                    published.algorithm = DNSSECAlgorithm(value)
                }
                if !published.digest.isEmpty {
                    var line = ""
                    ResourceRecord(name: origin, ttl: 300, rdata: .ds(published)).writePresentation(
                        to: &line, separator: " ")
                    childDS.append(line)
                }
                if origin.isRoot { anchor.ds = [ds] }
            }
            if let mutate = spec.mutate { records = mutate(records) }
            zones.append(TestZone(origin: origin, records: records))
            if let parent = origins.filter({ origin != $0 && origin.isSubdomain(of: $0) }).max(by: {
                $0.labelCount < $1.labelCount
            }) {
                delegations[parent, default: []].append(
                    "\(origin) NS ns.\(origin)\nns.\(origin) A 192.0.2.54\n" + childDS.joined(separator: "\n"))
            }
        }
        return TestWorld(net: TestNet(zones), anchor: anchor)
    }
}

struct TestWorldError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension [ResourceRecord] {
    /// Without the records at `owner` of `type` and the RRSIGs covering them.
    func removing(_ owner: String, _ type: RecordType) -> [ResourceRecord] {
        let name = TestWorld.name(owner)
        return self.filter { record in
            guard record.name == name else { return true }
            if record.type == type { return false }
            if case .rrsig(let sig) = record.rdata, sig.typeCovered == type { return false }
            return true
        }
    }

    /// Without the RRSIGs covering `type` at `owner`.
    func removingSignatures(_ owner: String, _ type: RecordType) -> [ResourceRecord] {
        let name = TestWorld.name(owner)
        return self.filter { record in
            guard record.name == name, case .rrsig(let sig) = record.rdata else { return true }
            return sig.typeCovered != type
        }
    }

    /// Without any record of `type` (and the RRSIGs covering it).
    func removingAll(_ type: RecordType) -> [ResourceRecord] {
        self.filter { record in
            if record.type == type { return false }
            if case .rrsig(let sig) = record.rdata, sig.typeCovered == type { return false }
            return true
        }
    }
}
