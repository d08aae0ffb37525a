// SPDX-License-Identifier: Apache-2.0

import DNSCore
import Synchronization

/// One zone as served: an immutable snapshot of its records, indexed for
/// answering (RFC 1034 §4.3.2).
///
/// Layout, chosen for lookup speed and memory:
/// - one dictionary from owner name (hashing and `==` fold ASCII case,
///   RFC 4343) to a node index, and one contiguous array of nodes;
/// - a node holds its RRsets grouped by type, each with the RRSIGs that
///   cover it (RFC 4034 §3), and flags computed at build time: delegation
///   point, DNAME, wildcard child, below a zone cut or a DNAME;
/// - empty non-terminals (RFC 4592 §2.2.2) are materialised as nodes without
///   RRsets, so every ancestor of a node up to the apex is a node, and the
///   closest encloser of a name is found by walking its labels up, one hash
///   lookup per label.
///
/// Build once with ``init(origin:records:dnsClass:)``; a reload builds a new
/// `Zone` and swaps the reference, so readers never lock. An update or an
/// IXFR makes the next snapshot with ``applying(_:)``, which patches a copy
/// of the node array and name table at the names the diff touches.
public final class Zone: Sendable {
    /// The zone apex.
    public let origin: DomainName
    /// The zone's class.
    public let dnsClass: DNSClass
    /// The SOA record at the apex.
    public let soa: ResourceRecord
    /// Nodes in no particular order; index 0 is the apex.
    let nodes: [ZoneNode]
    /// Owner name → index in ``nodes`` (ids are node indexes): an
    /// open-addressing table, cheaper to build and smaller than a Dictionary.
    let index: NameTable
    /// Labels in ``origin``.
    let originLabelCount: Int

    /// Children of each node (nodes one label below it), by node index: an
    /// update removes a node emptied of data only when it has none
    /// (``applying(_:)``, RFC 4592 §2.2.2 empty non-terminals). Not read by queries.
    let childCounts: [Int32]

    /// Records served (duplicates removed, RRSIGs counted).
    public let recordCount: Int

    /// Data another target derives from this snapshot (the DNSSEC denial
    /// index), built once on first use: ``derived(_:build:)``.
    let derivedData = AtomicLazyReference<DerivedZoneData>()

    /// Distinct owner names, empty non-terminals included.
    public var nodeCount: Int { self.nodes.count }

    /// Builds a zone from a parsed zone file (its origin and records); a
    /// file with parse errors is refused (its first error is reported).
    public convenience init(_ parsed: ParsedZone) throws(ZoneBuildError) {
        if let first = parsed.errors.first { throw ZoneBuildError("\(first)") }
        guard let origin = parsed.origin else { throw ZoneBuildError("the zone has no origin") }
        try self.init(origin: origin, records: parsed.records, dnsClass: parsed.dnsClass)
    }

    /// Builds a zone from its records, refusing what cannot be served: no SOA
    /// or more than one at the apex (RFC 1035 §5.2), no NS at the apex
    /// (RFC 1034 §4.2.1), records outside the zone or of another class, a
    /// CNAME beside other data or more than one CNAME or DNAME at a name
    /// (RFC 2181 §10.1, RFC 6672 §2.4). Duplicate records are dropped
    /// (RFC 2181 §5); an RRset takes the TTL of its first record (RFC 2181 §5.2).
    public init(origin: DomainName, records: [ResourceRecord], dnsClass: DNSClass = .in) throws(ZoneBuildError) {
        var builder = ZoneBuilder(origin: origin, dnsClass: dnsClass, expectedRecords: records.count)
        for record in records {
            try builder.add(record)
        }
        let built = try builder.finish()
        self.origin = origin
        self.dnsClass = dnsClass
        self.soa = built.soa
        self.nodes = built.nodes
        self.index = built.index
        self.originLabelCount = origin.labelCount
        self.recordCount = built.recordCount
        self.childCounts = built.childCounts
        self.negativeSOARRSet = Self.makeNegativeSOARRSet(origin: origin, soa: built.soa, apex: built.nodes.first)
    }

    /// A zone from parts already indexed and checked (``applying(_:)``).
    init(
        origin: DomainName, dnsClass: DNSClass, soa: ResourceRecord, nodes: [ZoneNode], index: NameTable,
        childCounts: [Int32], recordCount: Int
    ) {
        self.origin = origin
        self.dnsClass = dnsClass
        self.soa = soa
        self.nodes = nodes
        self.index = index
        self.originLabelCount = origin.labelCount
        self.recordCount = recordCount
        self.childCounts = childCounts
        self.negativeSOARRSet = Self.makeNegativeSOARRSet(origin: origin, soa: soa, apex: nodes.first)
    }

    /// The node index of `name`, nil when no node (not even an empty
    /// non-terminal) has that name.
    @inline(__always)
    func node(_ name: DomainName) -> Int32? { self.index.find(name) }

    /// The RRset of `type` at `name`, whatever the name's position (also
    /// glue below a zone cut); nil when absent.
    public func rrset(at name: DomainName, type: RecordType) -> RRSet? {
        guard let id = self.index.find(name) else { return nil }
        return self.nodes[Int(id)].rrset(type)
    }

    /// True when `name` is a node of the zone (empty non-terminals included).
    public func contains(_ name: DomainName) -> Bool { self.index.find(name) != nil }

    /// The negative-answer SOA (RFC 2308 §3): the apex SOA with its TTL
    /// lowered to the SOA MINIMUM field when that is smaller.
    public var negativeSOA: ResourceRecord {
        var record = self.soa
        if case .soa(let soa) = record.rdata { record.ttl = min(record.ttl, soa.minimum) }
        return record
    }

    /// The apex SOA RRset (with its RRSIGs), TTL as for negative answers;
    /// built once (every NXDOMAIN and NODATA answer carries it).
    public let negativeSOARRSet: RRSet

    /// ``negativeSOARRSet`` from the apex node and the SOA record.
    private static func makeNegativeSOARRSet(origin: DomainName, soa: ResourceRecord, apex: ZoneNode?) -> RRSet {
        var ttl = soa.ttl
        if case .soa(let fields) = soa.rdata { ttl = min(ttl, fields.minimum) }
        let set = apex?.rrset(.soa)
        return RRSet(
            name: origin, type: .soa, ttl: ttl, rdata: [soa.rdata],
            signatures: set?.signatures ?? [], signatureTTL: min(set?.signatureTTL ?? ttl, ttl))
    }

    /// Every RRset of the zone, node by node (tests, transfers); empty
    /// non-terminals contribute nothing.
    public var allRRSets: [RRSet] { self.nodes.flatMap(\.rrsets) }
}

/// Why a zone cannot be served.
public struct ZoneBuildError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong, naming the record or name at fault.
    public var message: String
    /// An error with `message`.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { self.message }
}

/// The records of one type at one name, with the RRSIGs covering them
/// (RFC 4034 §3: an RRSIG covers one RRset and is returned with it).
public struct RRSet: Sendable, Hashable {
    /// The owner as written in the zone.
    public var name: DomainName
    /// The type of every record of the set.
    public var type: RecordType
    /// The TTL of the set (RFC 2181 §5.2: one TTL per RRset).
    public var ttl: UInt32
    /// The records' data, duplicates removed, zone-file order kept.
    public var rdata: [RDATA]
    /// RRSIG RDATA whose type covered is ``type``.
    public var signatures: [RDATA]
    /// TTL of the RRSIG records.
    public var signatureTTL: UInt32

    /// An RRset from its parts.
    public init(
        name: DomainName, type: RecordType, ttl: UInt32, rdata: [RDATA], signatures: [RDATA] = [],
        signatureTTL: UInt32 = 0
    ) {
        self.name = name
        self.type = type
        self.ttl = ttl
        self.rdata = rdata
        self.signatures = signatures
        self.signatureTTL = signatureTTL
    }

    /// The records, with `owner` instead of the stored owner when given
    /// (wildcard synthesis, RFC 4592 §3.3.1).
    public func records(owner: DomainName? = nil, dnsClass: DNSClass = .in) -> [ResourceRecord] {
        let name = owner ?? self.name
        return self.rdata.map { ResourceRecord(name: name, dnsClass: dnsClass, ttl: self.ttl, rdata: $0) }
    }

    /// The RRSIG records covering the RRset.
    public func signatureRecords(owner: DomainName? = nil, dnsClass: DNSClass = .in) -> [ResourceRecord] {
        let name = owner ?? self.name
        return self.signatures.map { ResourceRecord(name: name, dnsClass: dnsClass, ttl: self.signatureTTL, rdata: $0) }
    }
}

/// Flags of a node, computed when the zone is built.
struct NodeFlags: OptionSet, Sendable, Hashable {
    let rawValue: UInt8
    /// NS at a name other than the apex: a zone cut (RFC 1034 §4.2.1).
    static let delegation = NodeFlags(rawValue: 1)
    /// A DNAME here (RFC 6672): names below are redirected.
    static let dname = NodeFlags(rawValue: 2)
    /// `*.name` exists (RFC 4592 §2.1.1).
    static let wildcardChild = NodeFlags(rawValue: 4)
    /// Some ancestor below the apex is a delegation point: the node is glue
    /// or occluded data (RFC 2181 §6), not authoritative.
    static let belowCut = NodeFlags(rawValue: 8)
    /// Some ancestor has a DNAME: the node is occluded (RFC 6672 §2.3).
    static let belowDNAME = NodeFlags(rawValue: 16)
    /// A CNAME here.
    static let cname = NodeFlags(rawValue: 32)
}

/// One owner name of the zone and its RRsets.
struct ZoneNode: Sendable {
    let name: DomainName
    var rrsets: [RRSet]
    var flags: NodeFlags

    @inline(__always)
    func rrset(_ type: RecordType) -> RRSet? {
        for set in self.rrsets where set.type == type { return set }
        return nil
    }

    /// True for an empty non-terminal (no RRsets at all).
    var isEmpty: Bool { self.rrsets.isEmpty }
}
