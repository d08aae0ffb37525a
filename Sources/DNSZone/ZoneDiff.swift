// SPDX-License-Identifier: Apache-2.0

import DNSCore

/// One change of a zone from one serial to the next, as IXFR carries it
/// (RFC 1995 §4) and as the journal stores it: the old SOA, the records
/// deleted, the new SOA, the records added.
///
/// `deleted` and `added` never hold the SOA itself; ``oldSOA`` and
/// ``newSOA`` do. A record both deleted and added (a TTL change) appears in
/// both lists.
public struct ZoneDiff: Sendable, Hashable {
    /// The SOA before the change (its serial is ``fromSerial``).
    public var oldSOA: ResourceRecord
    /// The SOA after the change (its serial is ``toSerial``).
    public var newSOA: ResourceRecord
    /// Records removed, SOA excluded.
    public var deleted: [ResourceRecord]
    /// Records added, SOA excluded.
    public var added: [ResourceRecord]

    public init(oldSOA: ResourceRecord, newSOA: ResourceRecord, deleted: [ResourceRecord], added: [ResourceRecord]) {
        self.oldSOA = oldSOA
        self.newSOA = newSOA
        self.deleted = deleted
        self.added = added
    }

    /// The serial before the change.
    public var fromSerial: UInt32 { Self.serial(of: self.oldSOA) }
    /// The serial after the change.
    public var toSerial: UInt32 { Self.serial(of: self.newSOA) }

    /// True when nothing but the SOA changed.
    public var isEmpty: Bool { self.deleted.isEmpty && self.added.isEmpty }

    static func serial(of record: ResourceRecord) -> UInt32 {
        if case .soa(let soa) = record.rdata { return soa.serial }
        return 0
    }
}
