// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSZone

extension QueryProcessor {
    /// What one datagram's prefetch found so far.
    private struct Prefetching {
        var hash: UInt64 = 0
        var node: Int32 = -1
        var type: UInt16 = 0
        /// Index in the few-zones table; -1: nothing to prefetch.
        var zone: Int32 = -1
    }

    /// Starts fetching into the cache the zone data that answering the
    /// `count` datagrams (`datagram(i)`, as received) will read, one step of
    /// the lookup chain at a time for all of them (``Zone/prefetchSlot(wire:)``
    /// and the steps after it), so that their cache misses overlap. Only for
    /// plain one-question queries and a table of few zones; anything else
    /// is left to the answer path. Reads only: no answer depends on it.
    public func prefetch(count: Int, datagram: (Int) -> UnsafeRawBufferPointer) {
        guard count >= 2 else { return }
        guard let zones = self.zones.fewZones else { return }
        withUnsafeTemporaryAllocation(of: Prefetching.self, capacity: count) { states in
            for i in 0..<count {
                states[i] = Prefetching()
                let bytes = datagram(i)
                guard let question = Self.questionName(bytes), let base = bytes.baseAddress else { continue }
                let name = UnsafeBufferPointer(
                    start: (base + 12).assumingMemoryBound(to: UInt8.self), count: question.length)
                guard let index = self.zones.fewZoneIndex(wire: name) else { continue }
                states[i].zone = Int32(index)
                states[i].type = question.type
                states[i].hash = zones[index].prefetchSlot(wire: UnsafeRawBufferPointer(name))
            }
            for i in 0..<count where states[i].zone >= 0 {
                states[i].node = zones[Int(states[i].zone)].prefetchNode(hash: states[i].hash)
            }
            for i in 0..<count where states[i].node >= 0 {
                zones[Int(states[i].zone)].prefetchNodeData(states[i].node)
            }
            for i in 0..<count where states[i].node >= 0 {
                zones[Int(states[i].zone)].prefetchRecords(states[i].node, type: RecordType(rawValue: states[i].type))
            }
        }
    }

    /// The question name's length (from offset 12) and the question type
    /// of a query with one question and an uncompressed, well-formed name; nil otherwise.
    static func questionName(_ d: UnsafeRawBufferPointer) -> (length: Int, type: UInt16)? {
        guard d.count >= 17, d[4] == 0, d[5] == 1, d[2] & 0x80 == 0 else { return nil }
        var at = 12
        while true {
            guard at < d.count else { return nil }
            let label = Int(d[at])
            if label == 0 { break }
            guard label <= 63 else { return nil }
            at += label + 1
            guard at - 12 < WireLimits.maxNameWireLength else { return nil }
        }
        let end = at + 1
        guard end + 4 <= d.count else { return nil }
        return (end - 12, UInt16(d[end]) << 8 | UInt16(d[end + 1]))
    }
}
