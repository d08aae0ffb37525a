// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSZone

/// What an UPDATE did: the RCODE to answer and, when the zone changed, the
/// change and the zone after it.
public struct UpdateOutcome: Sendable {
    /// The response code (RFC 2136 §2.2).
    public var rcode: RCode
    /// The change to journal; nil when nothing changed (or on an error).
    public var diff: ZoneDiff?
    /// The zone with the change applied; nil when ``diff`` is nil.
    public var zone: Zone?
    /// Why, for the log.
    public var reason: String

    public init(rcode: RCode, diff: ZoneDiff? = nil, zone: Zone? = nil, reason: String) {
        self.rcode = rcode
        self.diff = diff
        self.zone = zone
        self.reason = reason
    }
}

/// RFC 2136 dynamic update as a pure function: a zone and an UPDATE message
/// in, a response code and a ``ZoneDiff`` out. Nothing is stored here; the
/// caller journals the diff and serves the new zone (RFC 2136 §3.5: the
/// update is durable before the response).
///
/// Order, as RFC 2136 §3 and BIND: zone section (§3.1), the requester
/// against the policy (§3.3), prerequisites (§3.2), the update prescan
/// (§3.4.1) with a permission check per record, then the changes (§3.4.2) —
/// all or nothing — and the serial (§3.6).
///
/// Choices where the RFC leaves room (as BIND):
/// - a record outside the zone is NOTZONE; data other than addresses (glue)
///   below a zone cut is REFUSED, as are explicit changes to RRSIG, NSEC
///   and NSEC3 (the signer maintains those);
/// - an added record whose TTL differs from its RRset's sets the TTL of the
///   whole RRset (RFC 2181 §5.2);
/// - deleting an RRset also deletes the RRSIGs covering it;
/// - in a zone the server signs (`signed`), DNSKEY, CDS, CDNSKEY and
///   NSEC3PARAM are the key lifecycle's and the signer's too: changing them
///   is REFUSED (as Knot does; RFC 2136 §3.3 lets a server refuse by
///   policy), and deleting all RRsets at a name leaves them.
public enum UpdateProcessor {
    /// Types only a signer changes.
    static let dnssecTypes: Set<RecordType> = [.rrsig, .nsec, .nsec3]
    /// Types only the signer and the key lifecycle change in a zone the
    /// server signs (RFC 4034 §2 DNSKEY, RFC 7344 CDS/CDNSKEY, RFC 5155 §4
    /// NSEC3PARAM, and ``dnssecTypes``).
    public static let signerManagedTypes: Set<RecordType> = dnssecTypes.union([.dnskey, .cds, .cdnskey, .nsec3param])

    /// The types an update may not change: ``signerManagedTypes`` in a zone
    /// the server signs, else ``dnssecTypes``.
    static func managedTypes(signed: Bool) -> Set<RecordType> { signed ? Self.signerManagedTypes : Self.dnssecTypes }
    /// Types that are queries, not data (RFC 1035 §3.2.3, RFC 1995): never in an update.
    static let metaTypes: Set<RecordType> = [.any, .axfr, .ixfr, RecordType(253), RecordType(254), .opt, .tsig]

    /// The zone an UPDATE names (its zone section, RFC 2136 §2.3); nil when
    /// that section is malformed (answer FORMERR).
    public static func zoneSection(of message: DNSMessage) -> Question? {
        // RFC 2136 §3.1.1: exactly one zone, of type SOA.
        guard message.questions.count == 1, let zone = message.questions.first, zone.type == .soa else {
            return nil
        }
        return zone
    }

    /// Processes `message` against `zone`. `now` is seconds since 1970 (for
    /// the serial policies). `signed`: the server signs the zone, so its
    /// DNSSEC records (``signerManagedTypes``) are not the updater's.
    public static func process(
        _ message: DNSMessage, zone: Zone, requester: UpdateRequester, policy: UpdatePolicy,
        serialPolicy: SerialPolicy = .increment, now: Int64, signed: Bool = false
    ) -> UpdateOutcome {
        guard let zoneSection = Self.zoneSection(of: message) else {
            return UpdateOutcome(rcode: .formErr, reason: "the zone section is not one SOA question")
        }
        guard zoneSection.name == zone.origin, zoneSection.dnsClass == zone.dnsClass else {
            return UpdateOutcome(rcode: .notAuth, reason: "not authoritative for \(zoneSection.name)")
        }
        guard policy.admits(requester) else {
            return UpdateOutcome(rcode: .refused, reason: "no update policy rule for \(Self.describe(requester))")
        }
        var work = WorkingZone(
            zone: zone, names: Set((message.answers + message.authorities).map(\.name)),
            managed: Self.managedTypes(signed: signed))
        if let failure = Self.checkPrerequisites(message.answers, work: work) { return failure }
        if let failure = Self.prescan(message.authorities, work: work, requester: requester, policy: policy) {
            return failure
        }
        for record in message.authorities {
            work.apply(record)
        }
        return Self.finish(work: work, serialPolicy: serialPolicy, now: now)
    }

    // MARK: §3.2 Prerequisites

    static func checkPrerequisites(_ records: [ResourceRecord], work: WorkingZone) -> UpdateOutcome? {
        var expected: [NameType: [RDATA]] = [:]
        var order: [NameType] = []
        for record in records {
            let isEmpty = Self.isEmpty(record.rdata)
            // RFC 2136 §3.2.1: TTL must be 0.
            guard record.ttl == 0 else { return UpdateOutcome(rcode: .formErr, reason: "prerequisite TTL is not 0") }
            guard record.name.isSubdomain(of: work.origin) else {
                return UpdateOutcome(rcode: .notZone, reason: "prerequisite \(record.name) is outside the zone")
            }
            let types = work.types(at: record.name)
            switch record.dnsClass {
            case .any:
                guard isEmpty else {
                    return UpdateOutcome(rcode: .formErr, reason: "prerequisite with class ANY has data")
                }
                if record.type == .any {
                    guard !types.isEmpty else {
                        return UpdateOutcome(rcode: .nxDomain, reason: "prerequisite: \(record.name) is not in use")
                    }
                } else if !types.contains(record.type) {
                    return UpdateOutcome(rcode: .nxRRSet, reason: "prerequisite: no \(record.type) at \(record.name)")
                }
            case .none:
                guard isEmpty else {
                    return UpdateOutcome(rcode: .formErr, reason: "prerequisite with class NONE has data")
                }
                if record.type == .any {
                    guard types.isEmpty else {
                        return UpdateOutcome(rcode: .yxDomain, reason: "prerequisite: \(record.name) is in use")
                    }
                } else if types.contains(record.type) {
                    return UpdateOutcome(
                        rcode: .yxRRSet, reason: "prerequisite: \(record.type) exists at \(record.name)")
                }
            case work.dnsClass:
                guard !Self.metaTypes.contains(record.type) else {
                    return UpdateOutcome(rcode: .formErr, reason: "prerequisite of type \(record.type)")
                }
                let key = NameType(name: record.name, type: record.type)
                if expected[key] == nil { order.append(key) }
                if !(expected[key] ?? []).contains(where: { Self.same($0, record.rdata) }) {
                    expected[key, default: []].append(record.rdata)
                }
            default:
                return UpdateOutcome(rcode: .formErr, reason: "prerequisite of class \(record.dnsClass)")
            }
        }
        // RFC 2136 §3.2.3: each value-dependent RRset must match exactly.
        for key in order {
            let want = expected[key] ?? []
            let have = work.current(key)?.rdata ?? []
            guard have.count == want.count, want.allSatisfy({ w in have.contains { Self.same($0, w) } }) else {
                return UpdateOutcome(rcode: .nxRRSet, reason: "prerequisite: \(key.type) at \(key.name) differs")
            }
        }
        return nil
    }

    // MARK: §3.4.1 Prescan, §3.3 permissions

    static func prescan(
        _ records: [ResourceRecord], work: WorkingZone, requester: UpdateRequester, policy: UpdatePolicy
    ) -> UpdateOutcome? {
        for record in records {
            guard record.name.isSubdomain(of: work.origin) else {
                return UpdateOutcome(rcode: .notZone, reason: "update \(record.name) is outside the zone")
            }
            let isEmpty = Self.isEmpty(record.rdata)
            switch record.dnsClass {
            case work.dnsClass:
                guard !Self.metaTypes.contains(record.type), !isEmpty else {
                    return UpdateOutcome(rcode: .formErr, reason: "cannot add a record of type \(record.type)")
                }
            case .any:
                guard record.ttl == 0, isEmpty, record.type != .axfr, record.type != .ixfr,
                    record.type.rawValue != 253, record.type.rawValue != 254
                else { return UpdateOutcome(rcode: .formErr, reason: "malformed RRset deletion at \(record.name)") }
            case .none:
                guard record.ttl == 0, !Self.metaTypes.contains(record.type) else {
                    return UpdateOutcome(rcode: .formErr, reason: "malformed record deletion at \(record.name)")
                }
            default:
                return UpdateOutcome(rcode: .formErr, reason: "update of class \(record.dnsClass)")
            }
            if work.managed.contains(record.type) {
                return UpdateOutcome(
                    rcode: .refused,
                    reason: "explicit \(record.type) changes are not allowed"
                        + (Self.dnssecTypes.contains(record.type) ? "" : " in a zone hanon signs"))
            }
            if record.type != .a, record.type != .aaaa, work.isBelowCut(record.name) {
                return UpdateOutcome(rcode: .refused, reason: "\(record.name) is below a zone cut")
            }
            // §3.3: the policy decides per record; deleting every RRset at a
            // name needs permission for each type that would go.
            var types = [record.type]
            if record.type == .any {
                types = work.types(at: record.name).filter {
                    !work.managed.contains($0) && !(record.name == work.origin && ($0 == .soa || $0 == .ns))
                }
            }
            for type in types where !policy.allows(requester, name: record.name, type: type) {
                return UpdateOutcome(
                    rcode: .refused, reason: "\(Self.describe(requester)) may not change \(type) at \(record.name)")
            }
        }
        return nil
    }

    // MARK: §3.6 serial, the diff

    static func finish(work: WorkingZone, serialPolicy: SerialPolicy, now: Int64) -> UpdateOutcome {
        var (deleted, added) = work.changes()
        let oldSerial = Self.serial(of: work.zone.soa)
        var newSOA = work.soa
        let explicit = Self.serial(of: newSOA) != oldSerial
        if deleted.isEmpty && added.isEmpty && !explicit && newSOA == work.zone.soa {
            return UpdateOutcome(rcode: .noError, reason: "no change")
        }
        if !explicit, case .soa(var fields) = newSOA.rdata {
            fields.serial = serialPolicy.next(after: oldSerial, now: now)
            newSOA.rdata = .soa(fields)
        }
        deleted.removeAll { $0.type == .soa }
        added.removeAll { $0.type == .soa }
        let diff = ZoneDiff(oldSOA: work.zone.soa, newSOA: newSOA, deleted: deleted, added: added)
        do {
            let zone = try work.zone.applying(diff)
            return UpdateOutcome(
                rcode: .noError, diff: diff, zone: zone,
                reason: "serial \(oldSerial) -> \(diff.toSerial): \(deleted.count) deleted, \(added.count) added")
        } catch {
            return UpdateOutcome(rcode: .refused, reason: "the zone would not be valid: \(error.message)")
        }
    }

    // MARK: Helpers

    /// Empty RDATA, as class ANY and NONE records of an UPDATE carry (RFC 2136 §2.4).
    static func isEmpty(_ rdata: RDATA) -> Bool {
        if case .unknown(_, let opaque) = rdata { return opaque.bytes.isEmpty }
        return false
    }

    /// RDATA equality with names compared case-insensitively (RFC 2136 §1.1.1).
    static func same(_ a: RDATA, _ b: RDATA) -> Bool {
        a.type == b.type && a.canonicalWireBytes == b.canonicalWireBytes
    }

    /// The serial of an SOA record (0 for another type).
    static func serial(of record: ResourceRecord) -> UInt32 {
        if case .soa(let soa) = record.rdata { return soa.serial }
        return 0
    }

    static func describe(_ requester: UpdateRequester) -> String {
        requester.keyName.map { "key \($0)" } ?? "\(requester.address)"
    }
}

/// An owner name and a type.
struct NameType: Hashable {
    var name: DomainName
    var type: RecordType
}
