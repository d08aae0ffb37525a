// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSZone
import Testing

/// RFC 1982 serial arithmetic and ``Zone/difference(from:)``.
@Suite struct SerialAndDifferenceTests {
    @Test(arguments: [
        // (a, b, how a compares with b)
        (UInt32(1), UInt32(2), SerialNumber.Order.less),
        (2, 1, .greater),
        (7, 7, .equal),
        (UInt32.max, 0, .less),  // wraps: 0 is newer than 2^32 - 1
        (0, UInt32.max, .greater),
        (0, 1 << 31, .undefined),  // exactly 2^31 apart (RFC 1982 §3.2)
        (1 << 31, 0, .undefined),
        (0, (1 << 31) - 1, .less),
        (0, (1 << 31) + 1, .greater),
        (4_000_000_000, 100, .less),
    ])
    func serialsCompareOnTheCircle(a: UInt32, b: UInt32, order: SerialNumber.Order) {
        #expect(SerialNumber(a).compare(SerialNumber(b)) == order)
        #expect(SerialNumber(a).isNewer(than: SerialNumber(b)) == (order == .greater))
        #expect(SerialNumber(a).isOlder(than: SerialNumber(b)) == (order == .less))
    }

    @Test func additionWrapsAndIsLimited() {
        #expect(SerialNumber(UInt32.max).adding(2) == SerialNumber(1))
        #expect(SerialNumber(5).adding(UInt32(Int32.max)) != nil)
        #expect(SerialNumber(5).adding(UInt32(Int32.max) + 1) == nil)
    }

    static let origin = try! DomainName("example.")

    static func zone(_ body: String, serial: UInt32) throws -> Zone {
        let parsed = ZoneFileParser.parse(
            text: "$TTL 300\n@ SOA ns1 hostmaster \(serial) 1 1 1 1\n@ NS ns1\nns1 A 192.0.2.1\n" + body, origin: origin
        )
        #expect(parsed.errors.isEmpty)
        return try Zone(parsed)
    }

    @Test func theDifferenceListsDeletionsAndAdditionsWithoutTheSOA() throws {
        let old = try Self.zone("www A 192.0.2.2\nwww A 192.0.2.3\nmail MX 10 mx\nttl 300 TXT \"a\"\n", serial: 1)
        let new = try Self.zone("www A 192.0.2.2\nwww A 192.0.2.4\nftp A 192.0.2.9\nttl 600 TXT \"a\"\n", serial: 2)
        let diff = new.difference(from: old)
        #expect(diff.fromSerial == 1 && diff.toSerial == 2)
        #expect(diff.oldSOA == old.soa && diff.newSOA == new.soa)
        #expect(
            Set(diff.deleted.map(\.description))
                == Set([
                    "www.example. 300 IN A 192.0.2.3", "mail.example. 300 IN MX 10 mx.example.",
                    "ttl.example. 300 IN TXT \"a\"",
                ]))
        #expect(
            Set(diff.added.map(\.description))
                == Set([
                    "www.example. 300 IN A 192.0.2.4", "ftp.example. 300 IN A 192.0.2.9",
                    "ttl.example. 600 IN TXT \"a\"",
                ]))
        #expect(!diff.deleted.contains { $0.type == .soa } && !diff.added.contains { $0.type == .soa })
    }

    @Test func applyingTheDifferenceGivesTheNewZone() throws {
        let old = try Self.zone("a A 192.0.2.10\nb A 192.0.2.11\n", serial: 10)
        let new = try Self.zone("b A 192.0.2.11\nc AAAA 2001:db8::1\n", serial: 11)
        let diff = new.difference(from: old)
        var records = Set(old.recordsExceptSOA())
        records.subtract(diff.deleted)
        records.formUnion(diff.added)
        #expect(records == Set(new.recordsExceptSOA()))
        #expect(new.difference(from: new).isEmpty)
    }

    @Test func theRecordCursorMatchesTheZone() throws {
        let zone = try Self.zone("a A 192.0.2.10\nb.c.d TXT \"deep\"\n", serial: 1)
        #expect(zone.serialNumber == SerialNumber(1))
        #expect(zone.rrsets(atNodeIndex: -1).isEmpty && zone.rrsets(atNodeIndex: zone.nodeCount).isEmpty)
        #expect(zone.recordsExceptSOA().count == zone.recordCount - 1)
    }
}
