// SPDX-License-Identifier: Apache-2.0

import DNSCore
import Testing

@testable import DNSSEC

/// Whole rollovers run through simulated time against a model of the parent
/// (which acts on CDS after a lag) and of resolver caches (which may hold any
/// DS RRset the parent served within TTLds, any DNSKEY RRset the zone served
/// within TTLkey + Dprp, any signature within TTLsig + Dprp + Dsgn), checking
/// RFC 7583's safety conditions at every tick.
@Suite struct KeyRolloverSimulationTests {
    /// One simulated setting, in presentation form for the test list.
    struct Case: CustomStringConvertible, Sendable {
        var name: String
        var policy: KeyPolicy
        /// Seconds after the CDS change before the parent's servers show it.
        var parentLag: UInt32
        /// The TTL of the parent's DS RRset.
        var parentDSTTL: UInt32
        /// nil: the parent check confirms as soon as every parent server lists
        /// the DS; a number: the operator runs `ds-seen` this long after.
        var commandDelay: UInt32?
        /// A rollover asked for by command at this time (role, seconds).
        var request: (KeyRole, UInt32)?
        var days: UInt32
        /// Keys of each role that must have become active by the end.
        var expectedActive: [KeyRole: Int]
        var description: String { self.name }
    }

    static let day: UInt32 = 86400

    static let cases: [Case] = [
        Case(
            name: "CSK, 30-day lifetime, parent check", policy: policy(.csk, ksk: 30 * day), parentLag: 7200,
            parentDSTTL: day, commandDelay: nil, request: nil, days: 75, expectedActive: [.csk: 3]),
        Case(
            name: "KSK+ZSK, 10-day ZSK, 40-day KSK, parent check",
            policy: policy(.kskZSK, zsk: 10 * day, ksk: 40 * day),
            parentLag: 3600, parentDSTTL: day, commandDelay: nil, request: nil, days: 85,
            expectedActive: [.ksk: 3, .zsk: 9]),
        Case(
            name: "CSK, DS confirmed by command a day late", policy: policy(.csk, ksk: 20 * day, parentDSTTL: 2 * day),
            parentLag: 7200, parentDSTTL: 2 * day, commandDelay: day, request: nil, days: 50, expectedActive: [.csk: 3]),
        Case(
            name: "CSK, DNSKEY TTL longer than the DS TTL",
            policy: policy(.csk, ksk: 15 * day, dnskeyTTL: 2 * day, maxZoneTTL: 3 * day, parentDSTTL: 3600),
            parentLag: 600, parentDSTTL: 3600, commandDelay: nil, request: nil, days: 40,
            expectedActive: [.csk: 3]),
        Case(
            name: "KSK+ZSK, rollovers by command only",
            policy: policy(.kskZSK, zsk: 0, ksk: 0), parentLag: 3600, parentDSTTL: day, commandDelay: nil,
            request: (.ksk, 3 * day), days: 12, expectedActive: [.ksk: 2, .zsk: 1]),
        Case(
            name: "KSK+ZSK, ZSK rollover by command", policy: policy(.kskZSK, zsk: 0, ksk: 0), parentLag: 3600,
            parentDSTTL: day, commandDelay: nil, request: (.zsk, 2 * day), days: 6, expectedActive: [.ksk: 1, .zsk: 2]),
        Case(
            name: "KSK+ZSK, gradual re-signing (Dsgn = signature validity)",
            policy: policy(.kskZSK, zsk: 20 * day, ksk: 0, wholeZone: false), parentLag: 3600, parentDSTTL: day,
            commandDelay: nil, request: nil, days: 55, expectedActive: [.ksk: 1, .zsk: 3]),
        Case(
            name: "CSK, gradual re-signing", policy: policy(.csk, ksk: 30 * day, wholeZone: false), parentLag: 3600,
            parentDSTTL: day, commandDelay: nil, request: nil, days: 70, expectedActive: [.csk: 3]),
    ]

    static func policy(
        _ scheme: KeyPolicy.Scheme, zsk: UInt32 = 0, ksk: UInt32 = 0, dnskeyTTL: UInt32 = 3600,
        maxZoneTTL: UInt32 = 7200, parentDSTTL: UInt32 = 86400, wholeZone: Bool = true
    ) -> KeyPolicy {
        KeyPolicy(
            scheme: scheme, zskLifetime: zsk, kskLifetime: ksk, propagationDelay: 900,
            signatureValidity: 7 * day, dnskeyTTL: dnskeyTTL, maxZoneTTL: maxZoneTTL, parentDSTTL: parentDSTTL,
            resignsWholeZoneOnKeyChange: wholeZone)
    }

    /// Values that change at moments: `value(at:)` and every value in a window.
    struct History<Value: Hashable> {
        var changes: [(time: UInt32, value: Value)] = []

        mutating func record(_ value: Value, at time: UInt32) {
            if let last = self.changes.last, last.value == value { return }
            self.changes.append((time, value))
        }

        func value(at time: UInt32) -> Value? { self.changes.last { $0.time <= time }?.value }

        /// Every value in effect at some moment of `[time − span, time]`.
        func values(within span: UInt32, of time: UInt32) -> Set<Value> {
            let start = time >= span ? time - span : 0
            var result: Set<Value> = []
            if let first = self.value(at: start) { result.insert(first) }
            for change in self.changes where change.time > start && change.time <= time { result.insert(change.value) }
            return result
        }
    }

    struct ZoneState: Hashable {
        var published: Set<UInt16>
        var keySigning: Set<UInt16>
        var zoneSigning: Set<UInt16>
        var cds: Set<UInt16>
    }

    @Test(arguments: cases)
    func rolloverKeepsTheZoneValidatable(_ setting: Case) throws {
        let policy = setting.policy
        var schedule = KeySchedule()
        var nextTag: UInt16 = 1000
        var zone = History<ZoneState>()
        var parent = History<Set<UInt16>>()
        var activated: [KeyRole: Set<UInt16>] = [:]
        var nextCall: UInt32? = 0
        var requested = false
        let tick: UInt32 = 300
        let start: UInt32 = 1_000_000
        let end = start + setting.days * Self.day
        let dsCacheSpan = setting.parentDSTTL
        let keyCacheSpan = policy.dnskeyTTL + policy.propagationDelay
        let sigCacheSpan = policy.maxZoneTTL + policy.propagationDelay + policy.signingDelay
        var t = start
        while t <= end {
            // The parent acts on the CDS RRset it saw `parentLag` ago (RFC 7344 §4.1;
            // an empty CDS RRset changes nothing).
            if t >= start + setting.parentLag, let cds = zone.value(at: t - setting.parentLag)?.cds, !cds.isEmpty {
                parent.record(cds, at: t)
            }
            let atParent = parent.value(at: t) ?? []
            // The parent check, or the operator.
            var confirmed = false
            for key in schedule.awaitingDS(at: t) where atParent.contains(key.keyTag) {
                guard let since = parent.changes.first(where: { $0.value.contains(key.keyTag) })?.time else { continue }
                if t >= since + (setting.commandDelay ?? 0) {
                    try schedule.confirmDS(
                        keyTag: key.keyTag, at: t, ttl: setting.commandDelay == nil ? setting.parentDSTTL : nil)
                    confirmed = true
                }
            }
            if let (role, time) = setting.request, !requested, t >= start + time {
                try schedule.requestRollover(role: role, at: t)
                requested = true
                confirmed = true
            }
            // The server calls at the announced time (or when told of a change).
            if confirmed || nextCall.map({ t >= $0 }) == true {
                _ = try schedule.advance(policy: policy, now: t) { role in
                    nextTag += 1
                    return KeyRecord(keyTag: nextTag, algorithm: policy.algorithm, role: role, created: t)
                }
                nextCall = schedule.nextEvent?.time
                let view = schedule.view(at: t)
                for key in view.zoneSigning + view.keySigning { activated[key.role, default: []].insert(key.keyTag) }
                // A key signs only once its DNSKEY is in every cache (RFC 7583 §3.2.1), except
                // the first keys of a zone that was not signed before.
                for key in view.zoneSigning + view.keySigning {
                    guard let published = key.published, published > start else { continue }
                    #expect(
                        published + policy.publicationInterval <= t,
                        "\(setting): key \(key.keyTag) signs at \(t - start) s, published at \(published - start) s")
                }
                zone.record(
                    ZoneState(
                        published: Set(view.published.map(\.keyTag)), keySigning: Set(view.keySigning.map(\.keyTag)),
                        zoneSigning: Set(view.zoneSigning.map(\.keyTag)), cds: Set(view.parentKeys.map(\.keyTag))),
                    at: t)
            }
            // One failure is enough to show; the ticks after it would repeat it.
            guard
                self.checkCaches(
                    at: t, zone: zone, parent: parent, dsSpan: dsCacheSpan, keySpan: keyCacheSpan,
                    sigSpan: sigCacheSpan, setting: setting)
            else { return }
            t += tick
        }
        for (role, count) in setting.expectedActive {
            #expect(activated[role, default: []].count == count, "\(setting): \(role) keys that signed")
        }
        // At the end the parent lists exactly the SEP keys in the CDS RRset.
        let final = schedule.view(at: end)
        #expect(parent.value(at: end) == Set(final.parentKeys.map(\.keyTag)))
    }

    /// RFC 7583 §3's conditions for every combination a resolver may hold at `time`.
    func checkCaches(
        at time: UInt32, zone: History<ZoneState>, parent: History<Set<UInt16>>, dsSpan: UInt32, keySpan: UInt32,
        sigSpan: UInt32, setting: Case
    ) -> Bool {
        let dsSets = parent.values(within: dsSpan, of: time).filter { !$0.isEmpty }
        let keySets = zone.values(within: keySpan, of: time)
        let sigSets = zone.values(within: sigSpan, of: time)
        for keys in keySets {
            // The DNSKEY RRset is signed by a key it contains whose DS the resolver may have.
            for ds in dsSets {
                let anchors = keys.keySigning.intersection(keys.published).intersection(ds)
                #expect(
                    !anchors.isEmpty,
                    "\(setting) at +\(time - 1_000_000) s: DNSKEY RRset \(keys.published.sorted()) signed by \(keys.keySigning.sorted()), cached DS \(ds.sorted())"
                )
                if anchors.isEmpty { return false }
            }
            // Every signature a cache may hold is by a key in the DNSKEY RRset it may hold.
            for sigs in sigSets {
                let usable = sigs.zoneSigning.intersection(keys.published)
                #expect(
                    !usable.isEmpty,
                    "\(setting) at +\(time - 1_000_000) s: data signed by \(sigs.zoneSigning.sorted()), cached DNSKEYs \(keys.published.sorted())"
                )
                if usable.isEmpty { return false }
            }
        }
        return true
    }
}
