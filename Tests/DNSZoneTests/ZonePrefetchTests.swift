// SPDX-License-Identifier: Apache-2.0

import DNSCore
import Testing

@testable import DNSZone

/// The prefetch steps of a batch (`Zone+Prefetch.swift`) find the node the
/// lookup will use and never fault, whatever they are given.
@Suite struct ZonePrefetchTests {
    static func zone() throws -> Zone {
        var text =
            "$ORIGIN example.\n$TTL 300\n@ SOA ns1 hostmaster 1 7200 3600 1209600 60\n@ NS ns1\nns1 A 192.0.2.53\n"
        for i in 0..<500 { text += "host-\(i) A 192.0.2.\(i % 250)\nhost-\(i) TXT \"t\(i)\"\n" }
        let parsed = ZoneFileParser.parse(text: text, origin: "example.")
        #expect(parsed.errors.isEmpty, "\(parsed.errors)")
        return try Zone(parsed)
    }

    /// For every name of the zone, in any case, step 2's candidate is the
    /// node the name table finds; names not in the zone give none (or, on a
    /// tag collision, some node: only a wasted prefetch).
    @Test func theCandidateIsTheNodeTheLookupFinds() throws {
        let zone = try Self.zone()
        for i in 0..<500 {
            for text in ["host-\(i).example.", "HOST-\(i).Example."] {
                let name = try DomainName(text)
                let hash = name.wire.withUnsafeBytes { zone.prefetchSlot(wire: $0) }
                let node = zone.prefetchNode(hash: hash)
                #expect(node >= 0 && node == zone.index.find(name), "\(text)")
                zone.prefetchNodeData(node)
                zone.prefetchRecords(node, type: .a)
                zone.prefetchRecords(node, type: .mx)
            }
        }
        var misses = 0
        for i in 500..<1500 {
            let name = try DomainName("host-\(i).example.")
            let hash = name.wire.withUnsafeBytes { zone.prefetchSlot(wire: $0) }
            if zone.prefetchNode(hash: hash) < 0 { misses += 1 }
        }
        #expect(misses > 990)  // 32-bit tags: a collision is rare
    }

    /// Ids and hashes out of range, empty names: nothing happens.
    @Test(arguments: [Int32.min, -1, 100_000, Int32.max])
    func badNodeIdsAreIgnored(id: Int32) throws {
        let zone = try Self.zone()
        zone.prefetchNodeData(id)
        zone.prefetchRecords(id, type: .a)
        #expect(zone.prefetchSlot(wire: UnsafeRawBufferPointer(start: nil, count: 0)) == 0)
        for hash: UInt64 in [0, .max, 0xDEAD_BEEF_0000_0000] { _ = zone.prefetchNode(hash: hash) }
    }
}
