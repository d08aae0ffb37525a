// SPDX-License-Identifier: Apache-2.0

import DNSCore

/// What a key is for (RFC 6781 §3.1).
public enum KeyRole: String, Sendable, Hashable, CaseIterable {
    /// Key-signing key: SEP flag, signs the DNSKEY, CDS and CDNSKEY RRsets.
    case ksk
    /// Zone-signing key: signs every other RRset.
    case zsk
    /// Combined signing key: SEP flag, signs everything.
    case csk

    /// True for the roles with the SEP flag, whose DS the parent holds.
    public var isSecureEntryPoint: Bool { self != .zsk }
    /// True for the roles that sign the DNSKEY RRset.
    public var signsKeys: Bool { self != .zsk }
    /// True for the roles that sign the zone's data.
    public var signsZone: Bool { self != .ksk }
}

/// Where a SEP key's DS is (RFC 7583 §3.3: the DS side of a KSK's life).
public enum DSState: String, Sendable, Hashable {
    /// Not asked for (a ZSK, or a SEP key not yet submitted).
    case none
    /// Listed in the zone's CDS/CDNSKEY RRsets, not yet seen at the parent.
    case submitted
    /// Confirmed at the parent (by its servers or by `hanon dnssec ds-seen`).
    case seen
    /// No longer in the CDS/CDNSKEY RRsets; the parent is expected to drop it.
    case withdrawn
}

/// The life of one key as timestamps (seconds since 1970), as RFC 7583 §3.1
/// draws it: generated → published (DNSKEY in the zone) → active (signing)
/// → retired (published, no longer signing) → removed. Each timestamp is
/// the moment the step was taken (by ``KeySchedule/advance(policy:now:generate:)``);
/// nil: not taken yet.
///
/// The key's material is in its BIND files (``KeyStore``), found by tag and
/// algorithm.
public struct KeyRecord: Sendable, Hashable {
    public var keyTag: UInt16
    public var algorithm: DNSSECAlgorithm
    public var role: KeyRole
    /// Tgen.
    public var created: UInt32
    /// Tpub: the DNSKEY is in the zone from this time.
    public var published: UInt32?
    /// Tact: the key signs from this time.
    public var active: UInt32?
    /// Tret: the key signs until this time.
    public var retired: UInt32?
    /// Trem: the DNSKEY is gone from this time.
    public var removed: UInt32?
    /// Tsbm: the key is in the CDS/CDNSKEY RRsets from this time.
    public var dsSubmitted: UInt32?
    /// When the parent was confirmed to list the key's DS.
    public var dsSeen: UInt32?
    /// The key leaves the CDS/CDNSKEY RRsets at this time.
    public var dsWithdrawn: UInt32?
    /// The DS TTL observed at the parent, when the check saw one.
    public var dsTTL: UInt32?
    /// A rollover of this key asked for by command (`hanon dnssec rollover`).
    public var rolloverRequested: UInt32?

    public init(
        keyTag: UInt16, algorithm: DNSSECAlgorithm, role: KeyRole, created: UInt32, published: UInt32? = nil,
        active: UInt32? = nil, retired: UInt32? = nil, removed: UInt32? = nil, dsSubmitted: UInt32? = nil,
        dsSeen: UInt32? = nil, dsWithdrawn: UInt32? = nil, dsTTL: UInt32? = nil, rolloverRequested: UInt32? = nil
    ) {
        self.keyTag = keyTag
        self.algorithm = algorithm
        self.role = role
        self.created = created
        self.published = published
        self.active = active
        self.retired = retired
        self.removed = removed
        self.dsSubmitted = dsSubmitted
        self.dsSeen = dsSeen
        self.dsWithdrawn = dsWithdrawn
        self.dsTTL = dsTTL
        self.rolloverRequested = rolloverRequested
    }

    /// The DNSKEY is in the zone at `time`.
    public func isPublished(at time: UInt32) -> Bool {
        guard let published, published <= time else { return false }
        return self.removed.map { time < $0 } ?? true
    }

    /// The key signs at `time`.
    public func isSigning(at time: UInt32) -> Bool {
        guard let active, active <= time, self.isPublished(at: time) else { return false }
        return self.retired.map { time < $0 } ?? true
    }

    /// The key is in the CDS/CDNSKEY RRsets at `time`.
    public func isSubmitted(at time: UInt32) -> Bool {
        guard self.role.isSecureEntryPoint, let submitted = self.dsSubmitted, submitted <= time else { return false }
        return self.dsWithdrawn.map { time < $0 } ?? true
    }

    /// The key has been removed by `time`.
    public func isRemoved(at time: UInt32) -> Bool { self.removed.map { $0 <= time } ?? false }

    /// The DS state at `time`.
    public func dsState(at time: UInt32) -> DSState {
        if let withdrawn = self.dsWithdrawn, withdrawn <= time { return .withdrawn }
        if self.dsSeen != nil { return .seen }
        if self.isSubmitted(at: time) { return .submitted }
        return .none
    }

    /// The key's state at `time`, in RFC 7583 §3.1's words.
    public func state(at time: UInt32) -> String {
        if self.isRemoved(at: time) { return "removed" }
        if self.isSigning(at: time) { return "active" }
        if let retired = self.retired, retired <= time { return "retired" }
        if self.isPublished(at: time) { return "published" }
        return "generated"
    }
}
