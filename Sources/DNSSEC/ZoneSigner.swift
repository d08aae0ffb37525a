// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSZone
import Dispatch

/// Signs a whole zone (RFC 4035 §2): adds the DNSKEY RRset at the apex, an
/// NSEC or NSEC3 chain (with NSEC3PARAM), and an RRSIG for every
/// authoritative RRset.
///
/// - Not signed (RFC 4035 §2.2): the NS RRset at a delegation and glue or
///   anything else below a zone cut. The DS RRset at a cut is signed.
/// - The NSEC chain (RFC 4035 §2.3) links every authoritative name,
///   delegations included, in canonical order (RFC 4034 §6.1); its type
///   bitmap at a cut lists NS, DS when present, RRSIG and NSEC only.
/// - The NSEC3 chain (RFC 5155 §7.1) has one NSEC3 per authoritative name
///   and per empty non-terminal (bitmap empty), in hash order; with Opt-Out,
///   insecure delegations are left out and every NSEC3 has the flag.
/// - Keys come as a ``ZoneKeySet``: its published keys make the DNSKEY
///   RRset, its key-signing keys sign DNSKEY, CDS and CDNSKEY, its
///   zone-signing keys the rest. ``init(keys:policy:)`` makes the set from a
///   list: SEP keys (KSK, CSK) sign the keys, the others (ZSK) the rest; with
///   no ZSK the SEP keys sign all (CSK).
/// - For the set's ``ZoneKeySet/parentKeys``, CDS (SHA-256) and CDNSKEY
///   RRsets are published at the apex (RFC 7344 §4, RFC 8078), replacing any
///   in the zone; with no parent keys the zone's own are kept.
/// - Existing RRSIG, NSEC, NSEC3 and NSEC3PARAM records are replaced;
///   existing DNSKEYs are kept beside the published keys'.
/// - Denial records take the TTL min(SOA TTL, SOA MINIMUM) (RFC 9077 §3);
///   an RRSIG takes the TTL of the RRset it covers (RFC 4034 §3).
public struct ZoneSigner: Sendable {
    public var keySet: ZoneKeySet
    public var policy: SigningPolicy

    /// Every key published; SEP keys sign DNSKEY/CDS/CDNSKEY, the others the
    /// rest (the SEP keys all, when there is no other); no CDS/CDNSKEY.
    public init(keys: [ZoneKey], policy: SigningPolicy) {
        let sep = keys.filter(\.isSecureEntryPoint)
        var zoneKeys = keys.filter { !$0.isSecureEntryPoint }
        if zoneKeys.isEmpty { zoneKeys = sep }
        self.keySet = ZoneKeySet(
            zone: keys.first?.zone ?? .root, published: keys, keySigning: sep.isEmpty ? zoneKeys : sep,
            zoneSigning: zoneKeys)
        self.policy = policy
    }

    /// Signs with the roles of `keySet`.
    public init(keySet: ZoneKeySet, policy: SigningPolicy) {
        self.keySet = keySet
        self.policy = policy
    }

    /// The published keys.
    public var keys: [ZoneKey] { self.keySet.published }

    /// Checks the set can sign `origin`: keys for that zone, and a signer for each role.
    func checkKeys(origin: DomainName) throws(DNSSECError) {
        let set = self.keySet
        guard !set.published.isEmpty, !set.keySigning.isEmpty, !set.zoneSigning.isEmpty else {
            throw DNSSECError(.zone, "no signing key")
        }
        for key in set.published + set.keySigning + set.zoneSigning + set.parentKeys where key.zone != origin {
            throw DNSSECError(.zone, "key \(key.keyTag) is for \(key.zone), not \(origin)")
        }
    }

    /// The CDS and CDNSKEY RRsets for the parent keys (RFC 7344 §4); empty without parent keys.
    func parentRRSets(origin: DomainName, ttl: UInt32) throws(DNSSECError) -> [RRSet] {
        guard !self.keySet.parentKeys.isEmpty else { return [] }
        var cds: [RDATA] = []
        var cdnskey: [RDATA] = []
        for key in self.keySet.parentKeys {
            cds.append(.cds(try DNSSEC.ds(for: key.dnskey, owner: origin, digestType: .sha256)))
            cdnskey.append(.cdnskey(key.dnskey))
        }
        return [
            RRSet(name: origin, type: .cds, ttl: ttl, rdata: cds),
            RRSet(name: origin, type: .cdnskey, ttl: ttl, rdata: cdnskey),
        ]
    }

    /// One RRset to sign.
    struct Job: Sendable {
        var owner: DomainName
        var type: RecordType
        var ttl: UInt32
        var rdata: [RDATA]
        var bySEP: Bool
    }

    /// The records of the signed zone, unsorted (``ZoneWriter`` sorts).
    public func sign(_ zone: Zone) throws(DNSSECError) -> [ResourceRecord] {
        let origin = zone.origin
        let dnsClass = zone.dnsClass
        try self.checkKeys(origin: origin)
        var denialTTL = zone.soa.ttl
        if case .soa(let soa) = zone.soa.rdata { denialTTL = min(denialTTL, soa.minimum) }

        // The zone's RRsets by owner, DNSSEC records of an earlier signing dropped.
        let replaced: Set<RecordType> = [.rrsig, .nsec, .nsec3, .nsec3param]
        var names: [DomainName] = []
        var setsByNode: [[RRSet]] = []
        var nodeOf: [DomainName: Int] = [:]
        for set in zone.allRRSets where !replaced.contains(set.type) {
            var set = set
            set.signatures = []
            if let last = names.last, last == set.name {
                setsByNode[setsByNode.count - 1].append(set)
            } else if let existing = nodeOf[set.name] {
                setsByNode[existing].append(set)
            } else {
                nodeOf[set.name] = names.count
                names.append(set.name)
                setsByNode.append([set])
            }
        }
        nodeOf.reserveCapacity(names.count)
        guard let apex = nodeOf[origin] else { throw DNSSECError(.zone, "no apex records") }

        // The DNSKEY RRset: the zone's own DNSKEYs and the signing keys'.
        var dnskeys: [RDATA] = self.keys.map { .dnskey($0.dnskey) }
        var dnskeyTTL = self.policy.dnskeyTTL ?? zone.soa.ttl
        if let index = setsByNode[apex].firstIndex(where: { $0.type == .dnskey }) {
            let existing = setsByNode[apex][index]
            dnskeyTTL = existing.ttl
            for rdata in existing.rdata where !dnskeys.contains(rdata) { dnskeys.append(rdata) }
            setsByNode[apex].remove(at: index)
        }
        setsByNode[apex].append(RRSet(name: origin, type: .dnskey, ttl: dnskeyTTL, rdata: dnskeys))
        let parentSets = try self.parentRRSets(origin: origin, ttl: dnskeyTTL)
        if !parentSets.isEmpty {
            setsByNode[apex].removeAll { $0.type == .cds || $0.type == .cdnskey }
            setsByNode[apex] += parentSets
        }
        if case .nsec3(let iterations, let salt, _) = self.policy.denial {
            let param = RDATA.NSEC3PARAM(flags: 0, iterations: iterations, salt: salt)
            setsByNode[apex].append(RRSet(name: origin, type: .nsec3param, ttl: 0, rdata: [.nsec3param(param)]))
        }

        // Zone cuts, and the names below them (glue, occluded data).
        var cuts = Set<DomainName>()
        for (i, sets) in setsByNode.enumerated() where i != apex && sets.contains(where: { $0.type == .ns }) {
            cuts.insert(names[i])
        }
        var authoritative = [Bool](repeating: true, count: names.count)
        if !cuts.isEmpty {
            for i in names.indices where i != apex {
                var parent = names[i].parent
                while let p = parent, p != origin {
                    if cuts.contains(p) {
                        authoritative[i] = false
                        break
                    }
                    parent = p.parent
                }
            }
        }

        var output: [ResourceRecord] = []
        var jobs: [Job] = []
        jobs.reserveCapacity(names.count * 2)
        for (i, sets) in setsByNode.enumerated() {
            let isCut = i != apex && cuts.contains(names[i])
            for set in sets {
                output.append(contentsOf: set.records(dnsClass: dnsClass))
                guard authoritative[i], !isCut || set.type == .ds else { continue }
                let bySEP = set.type == .dnskey || set.type == .cds || set.type == .cdnskey
                jobs.append(Job(owner: set.name, type: set.type, ttl: set.ttl, rdata: set.rdata, bySEP: bySEP))
            }
        }

        // Denial of existence.
        let authNames = names.indices.filter { authoritative[$0] }
        func bitmap(_ i: Int) -> [RecordType] {
            let isCut = i != apex && cuts.contains(names[i])
            return setsByNode[i].map(\.type).filter { !isCut || $0 == .ns || $0 == .ds }
        }
        var denial: [(DomainName, RDATA)] = []
        switch self.policy.denial {
        case .nsec:
            let order = canonicalOrder(of: authNames.map { names[$0] })
            for (position, k) in order.enumerated() {
                let i = authNames[k]
                let next = names[authNames[order[(position + 1) % order.count]]]
                var types = TypeBitmap(bitmap(i))
                types.insert(.rrsig)
                types.insert(.nsec)
                denial.append((names[i], .nsec(RDATA.NSEC(nextDomainName: next, types: types))))
            }
        case .nsec3(let iterations, let salt, let optOut):
            var hashed: [(hash: [UInt8], types: TypeBitmap)] = []
            var seen = Set<DomainName>()
            for i in authNames {
                let isCut = i != apex && cuts.contains(names[i])
                let types = bitmap(i)
                let secure = types.contains(.ds)
                // Every ancestor up to the apex exists: an empty non-terminal when not a node.
                var parent = i == apex ? nil : names[i].parent
                while let p = parent, p != origin, nodeOf[p] == nil, !seen.contains(p) {
                    seen.insert(p)
                    hashed.append((DNSSEC.nsec3Hash(p, salt: salt, iterations: iterations), TypeBitmap()))
                    parent = p.parent
                }
                if isCut && !secure && optOut { continue }
                var bits = TypeBitmap(types)
                if !isCut || secure { bits.insert(.rrsig) }
                hashed.append((DNSSEC.nsec3Hash(names[i], salt: salt, iterations: iterations), bits))
            }
            hashed.sort { $0.hash.lexicographicallyPrecedes($1.hash) }
            for k in hashed.indices {
                if k > 0 && hashed[k - 1].hash == hashed[k].hash {
                    throw DNSSECError(.zone, "NSEC3 hash collision; choose another salt")
                }
                let next = hashed[(k + 1) % hashed.count].hash
                let record = RDATA.NSEC3(
                    flags: optOut ? RDATA.NSEC3.optOutFlag : 0, iterations: iterations, salt: salt,
                    nextHashedOwnerName: next, types: hashed[k].types)
                denial.append((try DNSSEC.nsec3Owner(hash: hashed[k].hash, zone: origin), .nsec3(record)))
            }
        }
        for (owner, rdata) in denial {
            output.append(ResourceRecord(name: owner, dnsClass: dnsClass, ttl: denialTTL, rdata: rdata))
            jobs.append(Job(owner: owner, type: rdata.type, ttl: denialTTL, rdata: [rdata], bySEP: false))
        }

        output.append(contentsOf: try self.signatures(for: jobs, origin: origin, dnsClass: dnsClass))
        return output
    }

    /// The RRSIG records for `jobs`, computed on ``SigningPolicy/threads`` threads.
    func signatures(for jobs: [Job], origin: DomainName, dnsClass: DNSClass) throws(DNSSECError) -> [ResourceRecord] {
        let sepSigners = self.keySet.keySigning.map { ($0.key, $0.keyTag) }
        let zoneSigners = self.keySet.zoneSigning.map { ($0.key, $0.keyTag) }
        let policy = self.policy

        let chunks = min(policy.threads, max(1, jobs.count / 256))
        let results = ResultSlots(count: chunks)
        let work: @Sendable (Int) -> Void = { chunk in
            var out: [ResourceRecord] = []
            let start = jobs.count * chunk / chunks
            let end = jobs.count * (chunk + 1) / chunks
            out.reserveCapacity((end - start) * sepSigners.count)
            // Jitter needs spread, not secrecy: a cheap generator seeded once per thread.
            var random = SplitMix64(seed: UInt64.random(in: 0...UInt64.max))
            do throws(DNSSECError) {
                for job in jobs[start..<end] {
                    let canonical = job.rdata.map(\.canonicalWireBytes)
                    let expiration =
                        policy.jitter == 0
                        ? policy.expiration : policy.expiration &- UInt32.random(in: 0...policy.jitter, using: &random)
                    for (key, tag) in job.bySEP ? sepSigners : zoneSigners {
                        let rrsig = try DNSSEC.sign(
                            owner: job.owner, type: job.type, dnsClass: dnsClass, ttl: job.ttl,
                            canonicalRDATA: canonical, key: key, keyTag: tag, signer: origin,
                            inception: policy.inception, expiration: expiration)
                        out.append(
                            ResourceRecord(name: job.owner, dnsClass: dnsClass, ttl: job.ttl, rdata: .rrsig(rrsig)))
                    }
                }
                results.set(chunk, .success(out))
            } catch {
                results.set(chunk, .failure(error))
            }
        }
        if chunks == 1 {
            work(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: chunks, execute: work)
        }
        var all: [ResourceRecord] = []
        for chunk in 0..<chunks {
            switch results.get(chunk) {
            case .success(let records): all.append(contentsOf: records)
            case .failure(let error): throw error
            case nil: throw DNSSECError(.signingFailed, "a signing thread produced nothing")
            }
        }
        return all
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014): a fast, small generator for the jitter.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { self.state = seed }
    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// One result slot per signing thread; each thread writes only its own slot,
/// and the slots are read after `concurrentPerform` returns.
private final class ResultSlots: @unchecked Sendable {
    private var slots: [Result<[ResourceRecord], DNSSECError>?]
    private let lock = SemaphoreLock()

    init(count: Int) { self.slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: Result<[ResourceRecord], DNSSECError>) {
        self.lock.withLock { self.slots[index] = value }
    }

    func get(_ index: Int) -> Result<[ResourceRecord], DNSSECError>? {
        self.lock.withLock { self.slots[index] }
    }
}

/// A mutex without Foundation (a Dispatch semaphore).
private final class SemaphoreLock: @unchecked Sendable {
    private let semaphore = DispatchSemaphore(value: 1)
    func withLock<T>(_ body: () -> T) -> T {
        self.semaphore.wait()
        defer { self.semaphore.signal() }
        return body()
    }
}
