// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSZone

/// The zones hanon serves, found by longest match of a name (RFC 1034 §4.3.2
/// step 2: "the nearest ancestor to QNAME" among the available zones).
///
/// Built once and immutable: a reload builds a new table and swaps it.
public struct ZoneTable: Sendable {
    private let byOrigin: [DomainName: Zone]
    /// The most labels in any origin: the walk up starts there.
    private let maxOriginLabels: Int

    /// With few zones, the origins longest first: a linear scan with
    /// `isSubdomain(of:)` allocates nothing, unlike building each ancestor name.
    private let few: [Zone]?

    /// A table of `zones`; when two share an origin the last one wins.
    public init(_ zones: [Zone]) {
        var map: [DomainName: Zone] = [:]
        for zone in zones { map[zone.origin] = zone }
        self.byOrigin = map
        self.maxOriginLabels = zones.map { $0.origin.labelCount }.max() ?? 0
        self.few = map.count <= 8 ? map.values.sorted { $0.origin.wireLength > $1.origin.wireLength } : nil
    }

    /// The zones, in no particular order.
    public var zones: [Zone] { Array(self.byOrigin.values) }

    /// The zone with the longest origin that `name` is at or below; nil when
    /// none is.
    public func zone(for name: DomainName) -> Zone? {
        if let few = self.few {
            for zone in few where name.isAtOrBelow(zone.origin) { return zone }
            return nil
        }
        var current = name.labelCount > self.maxOriginLabels ? name.suffix(labels: self.maxOriginLabels) : name
        while true {
            if let zone = self.byOrigin[current] { return zone }
            guard let up = current.parent else { return nil }
            current = up
        }
    }

    /// With few zones (the scan), the zones longest origin first; nil with many.
    var fewZones: [Zone]? { self.few }

    /// The index in ``fewZones`` of the zone `w` (a valid uncompressed name)
    /// is at or below; nil with many zones or none.
    func fewZoneIndex(wire w: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let few = self.few, let wBase = w.baseAddress else { return nil }
        for (index, zone) in few.enumerated() {
            let matched = zone.origin.wire.withUnsafeBufferPointer { o -> Bool in
                let extra = w.count - o.count
                guard extra >= 0, let oBase = o.baseAddress else { return false }
                var i = 0
                while i < extra { i += Int(w[i]) + 1 }
                return i == extra && foldedEqual(wBase + extra, oBase, o.count)
            }
            if matched { return index }
        }
        return nil
    }

    /// The stored copy of the name `wire` (a valid uncompressed name) when
    /// a zone of the table owns a node of that name, case included
    /// (``Zone/storedName(wire:)``); only with the few-zones scan.
    func storedName(wire: UnsafeRawBufferPointer) -> DomainName? {
        guard let few = self.few, let base = wire.baseAddress else { return nil }
        let w = UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: wire.count)
        guard let index = self.fewZoneIndex(wire: w) else { return nil }
        return few[index].storedName(wire: wire)
    }

    /// The zone that answers a query: as ``zone(for:)``, except that a DS
    /// query for the apex of a zone is answered by the parent zone when hanon
    /// serves it too (RFC 4035 §3.1.4.1: DS lives on the parent side).
    public func zone(forQuery name: DomainName, type: RecordType) -> Zone? {
        guard let zone = self.zone(for: name) else { return nil }
        if type == .ds, zone.origin == name, let up = name.parent, let parent = self.zone(for: up) {
            return parent
        }
        return zone
    }
}
