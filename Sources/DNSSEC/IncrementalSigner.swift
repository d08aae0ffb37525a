// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSZone

/// Keeps a signed zone signed through changes without signing it again
/// whole: after a dynamic update only the changed RRsets and the SOA are
/// signed anew, and the NSEC or NSEC3 chain is repaired around the names
/// added and removed (RFC 4035 §2.3, RFC 5155 §7.1, as BIND and Knot do for
/// updates to signed zones). The result has the same records as a full
/// signing by ``ZoneSigner`` with the same keys and policy (signature bytes
/// and times apart).
///
/// What is redone for a change:
/// - the RRSIGs of every RRset the change touches, and of the SOA;
/// - when NS appears or disappears at a name (a zone cut comes or goes), the
///   RRSIGs and chain entries of that name and of every name below it;
/// - the chain entries of the touched names (bitmaps; names entering or
///   leaving), and the entry before each name entering or leaving the chain
///   (its next name or next hash); with NSEC3, also the empty non-terminals
///   above touched names (RFC 5155 §7.1) and Opt-Out delegations (§6).
///
/// Changes given must delete the RRSIGs of RRsets they empty, as
/// ``UpdateProcessor`` does; they must not touch RRSIG, NSEC or NSEC3 records
/// otherwise. A change of the SOA MINIMUM or TTL (the NSEC TTL) or of the
/// keys needs a full signing.
public struct IncrementalSigner: Sendable {
    public var signer: ZoneSigner

    public init(keySet: ZoneKeySet, policy: SigningPolicy) {
        self.signer = ZoneSigner(keySet: keySet, policy: policy)
    }

    /// `changes` applied to the signed zone `before`, signed: the zone after,
    /// and one diff from `before` to it (the changes plus the signature and
    /// chain changes), for the journal and IXFR. `chain` is `before`'s and
    /// becomes the result's; it is left alone when this throws.
    public func apply(
        _ changes: ZoneDiff, to before: Zone, chain: inout DenialChain
    ) throws(DNSSECError) -> (zone: Zone, diff: ZoneDiff) {
        let after: Zone
        do {
            after = try before.applying(changes)
        } catch {
            throw DNSSECError(.zone, "the change does not apply: \(error)")
        }
        return try self.apply(changes, before: before, after: after, chain: &chain)
    }

    /// As ``apply(_:to:chain:)``, with `after` (`before` with `changes`
    /// applied, its DNSSEC records stale) already built.
    public func apply(
        _ changes: ZoneDiff, before: Zone, after: Zone, chain: inout DenialChain
    ) throws(DNSSECError) -> (zone: Zone, diff: ZoneDiff) {
        var work = chain
        let repair = try self.repair(changes, before: before, after: after, chain: &work)
        let zone: Zone
        do {
            zone = try after.applying(repair)
        } catch {
            throw DNSSECError(.zone, "the signed change does not apply: \(error)")
        }
        chain = work
        let diff = ZoneDiff(
            oldSOA: changes.oldSOA, newSOA: changes.newSOA, deleted: changes.deleted + repair.deleted,
            added: changes.added + repair.added)
        return (zone, diff)
    }

    /// The signature and chain changes that make `after` signed again (a
    /// diff from `after` to itself, SOA unchanged); `chain` becomes the
    /// result's. The work of ``apply(_:before:after:chain:)`` without the
    /// rebuild of the zone.
    public func repair(
        _ changes: ZoneDiff, before: Zone, after: Zone, chain: inout DenialChain
    ) throws(DNSSECError) -> ZoneDiff {
        let origin = after.origin
        let dnsClass = after.dnsClass
        try self.signer.checkKeys(origin: origin)
        let policy = self.signer.policy
        let denialTypes: Set<RecordType> = [.rrsig, .nsec, .nsec3]

        // What the change touches, by name.
        var touched: [DomainName: Set<RecordType>] = [:]
        for record in changes.deleted + changes.added where record.type != .rrsig {
            touched[record.name, default: []].insert(record.type)
        }
        touched[origin, default: []].insert(.soa)

        // Zone cuts that came or went: that name and all below it are redone.
        var redone = Set<DomainName>()
        let flipped = touched.filter { name, types in
            name != origin && types.contains(.ns)
                && (before.rrset(at: name, type: .ns) != nil) != (after.rrset(at: name, type: .ns) != nil)
        }.map(\.key)
        if !flipped.isEmpty {
            redone.formUnion(flipped)
            for i in 0..<after.nodeCount {
                guard let name = after.nodeName(atNodeIndex: i) else { continue }
                if flipped.contains(where: { name != $0 && name.isSubdomain(of: $0) }) { redone.insert(name) }
            }
        }

        // Facts about a name after the change.
        var cutCache: [DomainName: Bool] = [:]
        func isCut(_ name: DomainName) -> Bool {
            if let known = cutCache[name] { return known }
            let cut = name != origin && after.rrset(at: name, type: .ns) != nil
            cutCache[name] = cut
            return cut
        }
        func isBelowCut(_ name: DomainName) -> Bool {
            var parent = name.parent
            while let p = parent, p != origin, p.isSubdomain(of: origin) {
                if isCut(p) { return true }
                parent = p.parent
            }
            return false
        }
        func dataSets(_ name: DomainName) -> [RRSet] {
            after.rrsets(at: name).filter { !denialTypes.contains($0.type) }
        }

        var deleted: [ResourceRecord] = []
        var added: [ResourceRecord] = []
        var jobs: [ZoneSigner.Job] = []

        // RRSIGs of the touched RRsets and of everything at redone names.
        var resign: [DomainName: Set<RecordType>] = touched
        for name in redone {
            for set in after.rrsets(at: name) where !denialTypes.contains(set.type) {
                resign[name, default: []].insert(set.type)
            }
        }
        for (name, types) in resign {
            let below = isBelowCut(name)
            let cut = isCut(name)
            let orphans = after.rrset(at: name, type: .rrsig)
            for type in types {
                if let orphans {
                    for rdata in orphans.rdata {
                        if case .rrsig(let sig) = rdata, sig.typeCovered == type {
                            deleted.append(
                                ResourceRecord(name: name, dnsClass: dnsClass, ttl: orphans.ttl, rdata: rdata))
                        }
                    }
                }
                guard let set = after.rrset(at: name, type: type) else { continue }
                deleted += set.signatureRecords(dnsClass: dnsClass)
                guard !below, !cut || type == .ds else { continue }
                let bySEP = type == .dnskey || type == .cds || type == .cdnskey
                jobs.append(ZoneSigner.Job(owner: set.name, type: type, ttl: set.ttl, rdata: set.rdata, bySEP: bySEP))
            }
        }

        // The chain: which names are in it, with which types.
        var affected = Set(touched.keys).union(redone)
        affected.insert(origin)
        var nsec3Parameters: (iterations: UInt16, salt: [UInt8], optOut: Bool)? = nil
        if case .nsec3(let iterations, let salt, let optOut) = policy.denial {
            nsec3Parameters = (iterations, salt, optOut)
            for name in affected {
                var parent = name.parent
                while let p = parent, p != origin, p.isSubdomain(of: origin) {
                    affected.insert(p)
                    parent = p.parent
                }
            }
        }
        var wanted: [DomainName: TypeBitmap] = [:]
        var dirty = Set<DomainName>()
        var gone: [DomainName] = []
        for name in affected where name.isSubdomain(of: origin) {
            let sets = dataSets(name)
            let below = name != origin && isBelowCut(name)
            let cut = isCut(name)
            let secure = sets.contains { $0.type == .ds }
            let owner: DomainName
            let inChain: Bool
            var types = TypeBitmap(sets.map(\.type).filter { !cut || $0 == .ns || $0 == .ds })
            if let parameters = nsec3Parameters {
                let hash = DNSSEC.nsec3Hash(name, salt: parameters.salt, iterations: parameters.iterations)
                owner = try DNSSEC.nsec3Owner(hash: hash, zone: origin)
                let exists = !sets.isEmpty || after.contains(name)
                inChain = exists && !below && !(parameters.optOut && cut && !secure)
                if !sets.isEmpty && (!cut || secure) { types.insert(.rrsig) }
            } else {
                owner = name
                inChain = !sets.isEmpty && !below
                types.insert(.rrsig)
                types.insert(.nsec)
            }
            if inChain {
                wanted[owner] = types
                dirty.insert(owner)
                if let previous = chain.insert(owner) { dirty.insert(previous) }
            } else if chain.contains(owner) {
                if let previous = chain.remove(owner) { dirty.insert(previous) }
                gone.append(owner)
            }
        }

        // Denial records rewritten where they differ.
        var denialTTL = after.soa.ttl
        if case .soa(let soa) = after.soa.rdata { denialTTL = min(denialTTL, soa.minimum) }
        let denialType: RecordType = nsec3Parameters == nil ? .nsec : .nsec3
        for owner in gone where !chain.contains(owner) {
            if let set = after.rrset(at: owner, type: denialType) {
                deleted += set.records(dnsClass: dnsClass) + set.signatureRecords(dnsClass: dnsClass)
            }
        }
        for owner in dirty where chain.contains(owner) {
            guard let next = chain.successor(of: owner) else { continue }
            let existing = after.rrset(at: owner, type: denialType)
            let rdata: RDATA
            if let parameters = nsec3Parameters {
                var types = wanted[owner]
                if types == nil, case .nsec3(let old) = existing?.rdata.first { types = old.types }
                guard let types, let nextHash = Base32Hex.decode(next.firstLabel) else {
                    throw DNSSECError(.zone, "the NSEC3 chain has no record at \(owner)")
                }
                rdata = .nsec3(
                    RDATA.NSEC3(
                        flags: parameters.optOut ? RDATA.NSEC3.optOutFlag : 0, iterations: parameters.iterations,
                        salt: parameters.salt, nextHashedOwnerName: nextHash, types: types))
            } else {
                var types = wanted[owner]
                if types == nil, case .nsec(let old) = existing?.rdata.first { types = old.types }
                guard let types else { throw DNSSECError(.zone, "the NSEC chain has no record at \(owner)") }
                rdata = .nsec(RDATA.NSEC(nextDomainName: next, types: types))
            }
            if let existing, existing.rdata.count == 1, existing.ttl == denialTTL,
                existing.rdata[0].canonicalWireBytes == rdata.canonicalWireBytes, !existing.signatures.isEmpty
            {
                continue
            }
            if let existing {
                deleted += existing.records(dnsClass: dnsClass) + existing.signatureRecords(dnsClass: dnsClass)
            }
            added.append(ResourceRecord(name: owner, dnsClass: dnsClass, ttl: denialTTL, rdata: rdata))
            jobs.append(ZoneSigner.Job(owner: owner, type: denialType, ttl: denialTTL, rdata: [rdata], bySEP: false))
        }

        added += try self.signer.signatures(for: jobs, origin: origin, dnsClass: dnsClass)
        return ZoneDiff(oldSOA: after.soa, newSOA: after.soa, deleted: deleted, added: added)
    }
}
