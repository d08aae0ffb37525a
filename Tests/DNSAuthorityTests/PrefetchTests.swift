// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSZone
import Testing

@testable import DNSAuthority

/// A batch's prefetch (`QueryProcessor.prefetch`) reads raw datagrams: it
/// takes only well-formed one-question queries and never faults on the rest.
@Suite struct PrefetchTests {
    /// Question name length and type, or nil, for datagrams as received.
    @Test(
        arguments: [
            // ID, flags, QD=1, AN, NS, AR; then the question.
            ([0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3, 0x77, 0x77, 0x77, 0, 0, 1, 0, 1], 5, 1),  // www. A
            ([0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 28, 0, 1], 1, 28),  // . AAAA
            ([0, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1], nil, nil),  // two questions
            ([0, 1, 0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1], nil, nil),  // a response
            ([0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 0x0C, 0, 1, 0, 1], nil, nil),  // compressed
            ([0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3, 0x77, 0x77], nil, nil),  // cut in the name
            ([0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3, 0x77, 0x77, 0x77, 0, 0, 1], nil, nil),  // cut in the type
            ([0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0], nil, nil),  // shorter than a header
        ] as [([UInt8], Int?, Int?)])
    func questionOfARawQuery(bytes: [UInt8], length: Int?, type: Int?) {
        let found = bytes.withUnsafeBytes { QueryProcessor.questionName($0) }
        #expect(found?.length == length)
        #expect(found.map { Int($0.type) } == type)
    }

    /// A name longer than 255 octets is refused, not walked past.
    @Test func anOverlongNameIsRefused() {
        var bytes: [UInt8] = [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]
        for _ in 0..<5 { bytes += [63] + [UInt8](repeating: 0x61, count: 63) }
        bytes += [0, 0, 1, 0, 1]
        #expect(bytes.withUnsafeBytes { QueryProcessor.questionName($0) } == nil)
    }

    /// Real queries, queries for other zones, and random octets in one
    /// batch: prefetching them all never faults, and answers do not change.
    @Test func aBatchOfAnythingIsPrefetchedSafely() throws {
        let processor = QueryProcessor(zones: ZoneTable([try makeZone(exampleZoneText, origin: "example.")]))
        var datagrams: [[UInt8]] = []
        for name in ["www.example.", "WWW.EXAMPLE.", "nothing.example.", "other.test.", "."] {
            datagrams.append(DNSMessage.query(id: 1, name: try DomainName(name), type: .a).wireBytes)
        }
        var generator = SystemRandomNumberGenerator()
        for size in [0, 1, 12, 17, 40, 300, 600] {
            datagrams.append((0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) })
        }
        for _ in 0..<200 {
            var query = DNSMessage.query(id: 1, name: "www.example.", type: .a).wireBytes
            let at = Int.random(in: 0..<query.count, using: &generator)
            query[at] = UInt8.random(in: 0...255, using: &generator)
            datagrams.append(query)
        }
        let before = try #require(
            processor.respond(to: DNSMessage.query(id: 9, name: "www.example.", type: .a), transport: .udp))
        // As the UDP loop holds them: one area, a slot per datagram.
        let slot = 1024
        var area = [UInt8](repeating: 0, count: datagrams.count * slot)
        for (i, datagram) in datagrams.enumerated() {
            area.replaceSubrange(i * slot..<i * slot + datagram.count, with: datagram)
        }
        area.withUnsafeBytes { raw in
            for _ in 0..<3 {
                processor.prefetch(count: datagrams.count) { i in
                    UnsafeRawBufferPointer(rebasing: raw[i * slot..<i * slot + datagrams[i].count])
                }
            }
        }
        let after = try #require(
            processor.respond(to: DNSMessage.query(id: 9, name: "www.example.", type: .a), transport: .udp))
        #expect(before == after)
    }
}
