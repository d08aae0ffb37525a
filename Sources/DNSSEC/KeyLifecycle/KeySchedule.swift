// SPDX-License-Identifier: Apache-2.0

import DNSCore

/// The keys of one zone and their states, and the rules that move them on:
/// generation, ZSK pre-publish rollover (RFC 6781 §4.1.1.1, RFC 7583 §3.2.1)
/// and KSK/CSK rollover with the new DS confirmed before the old key goes
/// (RFC 6781 §4.1.2, RFC 7583 §3.3.2 and §3.3.3).
///
/// Pure: no files, no clock. ``advance(policy:now:generate:)`` takes every
/// step due at `now` and stamps it with `now`, so a caller that comes late
/// (a server that was down) never shortens a wait: each wait is measured
/// from the moment the zone actually changed.
///
/// A KSK or CSK rollover goes:
/// 1. the new key is published and its DS submitted (CDS/CDNSKEY list the
///    old and the new key);
/// 2. the parent's DS set is confirmed to list it (``confirmDS(keyTag:at:ttl:)``);
/// 3. once the new DNSKEY has been published for Ipub and the DS seen for
///    `Dprp + TTLds`, the new key signs and the old one retires;
/// 4. after the old key's Iret (``KeyPolicy/sepRetireInterval(role:)``) its
///    DNSKEY is removed and its DS withdrawn from CDS/CDNSKEY.
public struct KeySchedule: Sendable, Hashable {
    /// Every key, removed ones included, in creation order.
    public var keys: [KeyRecord]
    /// The next step as last computed with the policy: its time and what it
    /// is, for `hanon dnssec status` (which has no policy).
    public var nextEvent: Event?

    /// A coming step.
    public struct Event: Sendable, Hashable {
        public var time: UInt32
        public var text: String
        public init(time: UInt32, text: String) {
            self.time = time
            self.text = text
        }
    }

    public init(keys: [KeyRecord] = [], nextEvent: Event? = nil) {
        self.keys = keys
        self.nextEvent = nextEvent
    }

    /// The records of the keys at one moment, by part.
    public struct View: Sendable, Hashable {
        /// DNSKEYs in the zone.
        public var published: [KeyRecord]
        /// Keys signing the DNSKEY, CDS and CDNSKEY RRsets.
        public var keySigning: [KeyRecord]
        /// Keys signing every other RRset.
        public var zoneSigning: [KeyRecord]
        /// Keys in the CDS/CDNSKEY RRsets.
        public var parentKeys: [KeyRecord]
    }

    /// Which keys do what at `time`.
    public func view(at time: UInt32) -> View {
        let signing = self.keys.filter { $0.isSigning(at: time) }
        return View(
            published: self.keys.filter { $0.isPublished(at: time) },
            keySigning: signing.filter { $0.role.signsKeys },
            zoneSigning: signing.filter { $0.role.signsZone },
            parentKeys: self.keys.filter { $0.isSubmitted(at: time) })
    }

    /// SEP keys whose DS is submitted and not yet confirmed: the server asks
    /// the parent about these (or waits for `hanon dnssec ds-seen`).
    public func awaitingDS(at time: UInt32) -> [KeyRecord] {
        self.keys.filter { $0.isSubmitted(at: time) && $0.dsSeen == nil }
    }

    /// Takes every step due at `now`; returns what was done, one line each.
    /// `generate` makes a new key of a role (and stores it); its record's
    /// timestamps are set here.
    public mutating func advance(
        policy: KeyPolicy, now: UInt32, generate: (KeyRole) throws(DNSSECError) -> KeyRecord
    ) throws(DNSSECError) -> [String] {
        var events: [String] = []
        if !self.keys.contains(where: { !$0.isRemoved(at: now) }) {
            let roles: [KeyRole] = policy.scheme == .csk ? [.csk] : [.ksk, .zsk]
            for role in roles {
                var key = try generate(role)
                key.published = now
                key.active = now
                if role.isSecureEntryPoint { key.dsSubmitted = now }
                self.keys.append(key)
                events.append("key \(key.keyTag) (\(role.rawValue)) generated, published and active; DS submitted")
            }
        }
        // Each pass can make another step due at the same moment (a removal
        // never does, an activation can end a rollover another may start);
        // the number of keys bounds the passes.
        for _ in 0..<4 {
            let done = try self.step(policy: policy, now: now, generate: generate)
            if done.isEmpty { break }
            events += done
        }
        self.nextEvent = self.computeNextEvent(policy: policy, now: now)
        return events
    }

    private mutating func step(
        policy: KeyPolicy, now: UInt32, generate: (KeyRole) throws(DNSSECError) -> KeyRecord
    ) throws(DNSSECError) -> [String] {
        var events: [String] = []
        // Removal: a retired key's DNSKEY (and DS) go once no cache can need them.
        for index in self.keys.indices {
            let key = self.keys[index]
            guard let retired = key.retired, key.removed == nil,
                Self.add(retired, self.retireInterval(key, policy)) <= now
            else { continue }
            self.keys[index].removed = now
            if key.role.isSecureEntryPoint && key.dsSubmitted != nil {
                self.keys[index].dsWithdrawn = now
                events.append("key \(key.keyTag) (\(key.role.rawValue)) removed; DS withdrawn")
            } else {
                events.append("key \(key.keyTag) (\(key.role.rawValue)) removed")
            }
        }
        // Activation of a pending successor: the old key of its chain retires.
        for index in self.keys.indices {
            let key = self.keys[index]
            guard key.active == nil, !key.isRemoved(at: now), let due = self.activationTime(key, policy), due <= now
            else { continue }
            self.keys[index].active = now
            var retiring: [UInt16] = []
            for other in self.keys.indices where other != index {
                let old = self.keys[other]
                guard old.role.isSecureEntryPoint == key.role.isSecureEntryPoint, old.active != nil,
                    old.retired == nil, !old.isRemoved(at: now)
                else { continue }
                self.keys[other].retired = now
                retiring.append(old.keyTag)
            }
            let retiredText = retiring.map { "key \($0) retired" }.joined(separator: ", ")
            events.append(
                "key \(key.keyTag) (\(key.role.rawValue)) active" + (retiredText.isEmpty ? "" : "; " + retiredText))
        }
        // Rollover start: a chain without a pending key whose signer is due.
        for chain in [true, false] {
            guard !self.keys.contains(where: { $0.role.isSecureEntryPoint == chain && self.isPending($0, at: now) }),
                let current = self.current(sep: chain, at: now),
                let due = self.rolloverTime(current, policy), due <= now
            else { continue }
            var key = try generate(current.role)
            key.published = now
            if current.role.isSecureEntryPoint { key.dsSubmitted = now }
            self.keys.append(key)
            if let index = self.keys.firstIndex(of: current) { self.keys[index].rolloverRequested = nil }
            events.append(
                "rollover of key \(current.keyTag) (\(current.role.rawValue)): key \(key.keyTag) published"
                    + (current.role.isSecureEntryPoint ? ", DS submitted" : ""))
        }
        return events
    }

    /// A key published and not yet active: a rollover is under way.
    func isPending(_ key: KeyRecord, at time: UInt32) -> Bool {
        key.published != nil && key.active == nil && !key.isRemoved(at: time)
    }

    /// The signing key of a chain (SEP keys or ZSKs) activated last.
    func current(sep: Bool, at time: UInt32) -> KeyRecord? {
        self.keys.filter { $0.role.isSecureEntryPoint == sep && $0.isSigning(at: time) && $0.retired == nil }
            .max { ($0.active ?? 0) < ($1.active ?? 0) }
    }

    /// When a pending key may start signing; nil while its DS is unconfirmed.
    ///
    /// ZSK (RFC 7583 §3.2.1): `Tpub + Ipub`. KSK/CSK (RFC 7583 §3.3.2):
    /// the later of `Tpub + Ipub` and `Tseen + Dprp + TTLds`.
    func activationTime(_ key: KeyRecord, _ policy: KeyPolicy) -> UInt32? {
        guard let published = key.published else { return nil }
        let byDNSKEY = Self.add(published, policy.publicationInterval)
        guard key.role.isSecureEntryPoint else { return byDNSKEY }
        guard let seen = key.dsSeen else { return nil }
        return max(byDNSKEY, Self.add(seen, policy.dsWait(observedTTL: key.dsTTL)))
    }

    func retireInterval(_ key: KeyRecord, _ policy: KeyPolicy) -> UInt32 {
        key.role == .zsk ? policy.zskRetireInterval : policy.sepRetireInterval(role: key.role)
    }

    /// When a signing key's rollover starts: on request, or by lifetime —
    /// a ZSK's successor is published Ipub before the lifetime ends so it
    /// signs when it does (RFC 7583 §3.2.1: `Tpub(N+1) = Tact(N) + Lzsk − Ipub`);
    /// a SEP key's rollover starts when its lifetime ends, as the DS wait
    /// cannot be known in advance.
    func rolloverTime(_ key: KeyRecord, _ policy: KeyPolicy) -> UInt32? {
        var times: [UInt32] = []
        if let requested = key.rolloverRequested { times.append(requested) }
        let lifetime = key.role == .zsk ? policy.zskLifetime : policy.kskLifetime
        if lifetime > 0, let active = key.active {
            let lead = key.role == .zsk ? Int64(policy.publicationInterval) : 0
            times.append(UInt32(clamping: max(Int64(active), Int64(active) + Int64(lifetime) - lead)))
        }
        return times.min()
    }

    private func computeNextEvent(policy: KeyPolicy, now: UInt32) -> Event? {
        var events: [Event] = []
        for key in self.keys {
            let name = "key \(key.keyTag) (\(key.role.rawValue))"
            if let retired = key.retired, key.removed == nil {
                events.append(
                    Event(time: Self.add(retired, self.retireInterval(key, policy)), text: "\(name) is removed"))
            }
            if key.active == nil, !key.isRemoved(at: now), let due = self.activationTime(key, policy) {
                events.append(Event(time: due, text: "\(name) becomes active, the key it replaces retires"))
            }
        }
        for chain in [true, false] {
            guard !self.keys.contains(where: { $0.role.isSecureEntryPoint == chain && self.isPending($0, at: now) }),
                let current = self.current(sep: chain, at: now), let due = self.rolloverTime(current, policy)
            else { continue }
            events.append(Event(time: due, text: "rollover of key \(current.keyTag) (\(current.role.rawValue)) starts"))
        }
        return events.filter { $0.time > now }.min { $0.time < $1.time }
    }

    /// Records that the parent lists the DS of the SEP key `keyTag` (seen by
    /// the parent check or told by `hanon dnssec ds-seen`). Already seen: no
    /// change. `ttl`: the DS TTL the parent's servers gave, if known.
    public mutating func confirmDS(keyTag: UInt16, at time: UInt32, ttl: UInt32? = nil) throws(DNSSECError) {
        let candidates = self.keys.indices.filter {
            self.keys[$0].keyTag == keyTag && self.keys[$0].role.isSecureEntryPoint
        }
        guard !candidates.isEmpty else {
            throw DNSSECError(.keyFile, "no KSK or CSK with key tag \(keyTag)")
        }
        guard let index = candidates.first(where: { self.keys[$0].isSubmitted(at: time) }) else {
            throw DNSSECError(.keyFile, "the DS of key \(keyTag) is not submitted (the key is removed or withdrawn)")
        }
        if self.keys[index].dsSeen == nil { self.keys[index].dsSeen = time }
        if let ttl { self.keys[index].dsTTL = ttl }
    }

    /// Asks for a rollover of the signing key of `role` at `time` (taken at
    /// the next ``advance(policy:now:generate:)``).
    public mutating func requestRollover(role: KeyRole, at time: UInt32) throws(DNSSECError) {
        guard let current = self.current(sep: role.isSecureEntryPoint, at: time), current.role == role else {
            let have = Set(self.keys.filter { $0.isSigning(at: time) }.map(\.role.rawValue)).sorted()
            throw DNSSECError(
                .keyFile,
                "no active \(role.rawValue) to roll (active: \(have.isEmpty ? "none" : have.joined(separator: ", ")))")
        }
        if let pending = self.keys.first(where: {
            $0.role.isSecureEntryPoint == role.isSecureEntryPoint && self.isPending($0, at: time)
        }) {
            throw DNSSECError(
                .keyFile, "a \(role.rawValue) rollover is already under way (key \(pending.keyTag) is pending)")
        }
        guard let index = self.keys.firstIndex(of: current) else { return }
        self.keys[index].rolloverRequested = time
    }

    static func add(_ time: UInt32, _ interval: UInt32) -> UInt32 {
        UInt32(clamping: UInt64(time) + UInt64(interval))
    }
}
