// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSSEC
import DNSZone

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A zone hanon signs: its keys, its settings and its denial chain, kept
/// beside the served zone by ``ZoneWriters`` so that updates and signature
/// refreshes are signed incrementally.
///
/// The zone file is the unsigned source: what the signer adds (DNSKEY, CDS
/// and CDNSKEY at the apex, RRSIG, NSEC, NSEC3, NSEC3PARAM) is taken out
/// when it is read and never written back into it (``unsignedRecords(of:)``).
struct ZoneSigning: Sendable {
    var settings: ZoneDNSSECSettings
    var keySet: ZoneKeySet
    var chain: DenialChain

    /// Types the signer owns at the apex; RRSIG, NSEC and NSEC3 anywhere.
    static let apexSignerTypes: Set<RecordType> = [.dnskey, .cds, .cdnskey, .nsec3param]
    static let signerTypes: Set<RecordType> = [.rrsig, .nsec, .nsec3]

    /// True for a record the signer makes (so not part of the unsigned source).
    static func isSignerRecord(_ record: ResourceRecord, origin: DomainName) -> Bool {
        Self.signerTypes.contains(record.type) || (record.name == origin && Self.apexSignerTypes.contains(record.type))
    }

    /// The records of `zone` without what the signer makes, SOA first.
    static func unsignedRecords(of zone: Zone) -> [ResourceRecord] {
        var records = [zone.soa]
        for set in zone.allRRSets where !(set.type == .soa && set.name == zone.origin) {
            guard !Self.signerTypes.contains(set.type),
                !(set.name == zone.origin && Self.apexSignerTypes.contains(set.type))
            else { continue }
            records += set.records(dnsClass: zone.dnsClass)
        }
        return records
    }

    /// `zone` without what the signer makes.
    static func unsigned(_ zone: Zone) throws -> Zone {
        try Zone(origin: zone.origin, records: Self.unsignedRecords(of: zone), dnsClass: zone.dnsClass)
    }

    /// `diff` without what the signer makes (for replaying the journal over the unsigned file).
    static func unsigned(_ diff: ZoneDiff, origin: DomainName) -> ZoneDiff {
        ZoneDiff(
            oldSOA: diff.oldSOA, newSOA: diff.newSOA,
            deleted: diff.deleted.filter { !Self.isSignerRecord($0, origin: origin) },
            added: diff.added.filter { !Self.isSignerRecord($0, origin: origin) })
    }

    /// Now, in seconds since 1970.
    static func now() -> UInt32 { UInt32(clamping: time(nil)) }

    /// Signs `source` whole (unsigned records; any signer records in it are
    /// replaced) at `serial`, with `keys`, or the key directory's current set.
    static func signWhole(
        _ source: Zone, serial: UInt32, settings: ZoneDNSSECSettings, keys: ZoneKeySet? = nil,
        now: UInt32 = Self.now()
    ) throws -> (zone: Zone, signing: ZoneSigning) {
        // TTLsig is the zone's largest TTL, as in the server's key check (ZoneWriters+Keys).
        var policy = settings.keyPolicy
        policy.maxZoneTTL = source.allRRSets.reduce(0) { max($0, $1.ttl) }
        let keySet =
            try keys
            ?? KeyDirectory.currentKeySet(
                zone: source.origin, directory: settings.keyDirectory, policy: policy, now: now)
        var records = Self.unsignedRecords(of: source)
        if case .soa(var soa) = records[0].rdata {
            soa.serial = serial
            records[0].rdata = .soa(soa)
        }
        let unsigned = try Zone(origin: source.origin, records: records, dnsClass: source.dnsClass)
        let signer = ZoneSigner(keySet: keySet, policy: settings.policy(now: now))
        let zone = try Zone(origin: source.origin, records: try signer.sign(unsigned), dnsClass: source.dnsClass)
        return (zone, ZoneSigning(settings: settings, keySet: keySet, chain: DenialChain(zone: zone)))
    }

    /// An update's change (`changes`, making `after` from `before`) signed:
    /// the zone to serve and the diff to journal.
    mutating func signUpdate(
        _ changes: ZoneDiff, before: Zone, after: Zone, now: UInt32 = Self.now()
    ) throws -> (zone: Zone, diff: ZoneDiff, signing: Duration) {
        let signer = IncrementalSigner(keySet: self.keySet, policy: self.settings.policy(now: now))
        let started = ContinuousClock.now
        var chain = self.chain
        let repair = try signer.repair(changes, before: before, after: after, chain: &chain)
        let signing = ContinuousClock.now - started
        let zone = try after.applying(repair)
        self.chain = chain
        let diff = ZoneDiff(
            oldSOA: changes.oldSOA, newSOA: changes.newSOA, deleted: changes.deleted + repair.deleted,
            added: changes.added + repair.added)
        return (zone, diff, signing)
    }

    /// The signatures due for refresh at `now` replaced, the serial moved on
    /// by `serialPolicy`; nil when none is due.
    func refresh(
        _ zone: Zone, serialPolicy: (UInt32) -> UInt32, now: UInt32 = Self.now()
    ) throws -> (zone: Zone, diff: ZoneDiff)? {
        let dueBefore = now &+ self.settings.refresh
        guard let earliest = IncrementalSigner.earliestExpiration(of: zone), earliest < dueBefore else { return nil }
        var soa = zone.soa
        if case .soa(var fields) = soa.rdata {
            fields.serial = serialPolicy(fields.serial)
            soa.rdata = .soa(fields)
        }
        let signer = IncrementalSigner(keySet: self.keySet, policy: self.settings.policy(now: now))
        return try signer.refresh(zone, newSOA: soa, dueBefore: dueBefore)
    }

    /// When the next signature of `zone` falls due for refresh (seconds since 1970).
    func nextRefresh(of zone: Zone) -> UInt32? {
        IncrementalSigner.earliestExpiration(of: zone).map { $0 &- self.settings.refresh }
    }
}
