// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSZone
import Testing

@Suite("Zone.applying")
struct ZoneApplyTests {
    func zone(_ extra: String = "") throws -> Zone {
        let parsed = parseZone(["zone": apex + "www IN A 192.0.2.1\nwww IN A 192.0.2.2\nmail IN MX 10 www\n" + extra])
        return try Zone(parsed)
    }

    func sorted(_ zone: Zone) -> [String] {
        zone.allRRSets.flatMap { $0.records() }.map(\.description).sorted()
    }

    @Test("deletes, adds and replaces the SOA")
    func apply() throws {
        let before = try zone()
        let diff = ZoneDiff(
            oldSOA: soa(1), newSOA: soa(2), deleted: [record("www 300 IN A 192.0.2.2")],
            added: [record("new 60 IN AAAA 2001:db8::1"), record("www 300 IN A 192.0.2.3")])
        let after = try before.applying(diff)
        #expect(after.soa == soa(2))
        #expect(after.rrset(at: "www.example.", type: .a)?.rdata.count == 2)
        #expect(
            after.rrset(at: "www.example.", type: .a)?.rdata.contains(try RDATA(type: .a, text: "192.0.2.3")) == true)
        #expect(after.rrset(at: "new.example.", type: .aaaa) != nil)
        #expect(after.rrset(at: "mail.example.", type: .mx) != nil)
        // The original snapshot is unchanged.
        #expect(before.rrset(at: "www.example.", type: .a)?.rdata.count == 2)
        #expect(before.rrset(at: "new.example.", type: .aaaa) == nil)
    }

    @Test("names compare case-insensitively, TTLs are ignored when deleting")
    func caseAndTTL() throws {
        let diff = ZoneDiff(
            oldSOA: soa(1), newSOA: soa(2), deleted: [record("WWW 9 IN A 192.0.2.1"), record("MAIL 1 IN MX 10 WWW")],
            added: [])
        let after = try zone().applying(diff)
        #expect(after.rrset(at: "www.example.", type: .a)?.rdata.count == 1)
        #expect(after.rrset(at: "mail.example.", type: .mx) == nil)
    }

    @Test("refused: wrong start serial, a deletion not in the zone, an unservable result, SOA in the lists")
    func refusals() throws {
        let z = try zone()
        let wrongSerial = ZoneDiff(oldSOA: soa(7), newSOA: soa(8), deleted: [], added: [])
        #expect(throws: ZoneBuildError.self) { try z.applying(wrongSerial) }
        let missing = ZoneDiff(oldSOA: soa(1), newSOA: soa(2), deleted: [record("www 300 IN A 192.0.2.9")], added: [])
        #expect(throws: ZoneBuildError.self) { try z.applying(missing) }
        let cnameClash = ZoneDiff(oldSOA: soa(1), newSOA: soa(2), deleted: [], added: [record("www IN CNAME mail")])
        #expect(throws: ZoneBuildError.self) { try z.applying(cnameClash) }
        let outside = ZoneDiff(oldSOA: soa(1), newSOA: soa(2), deleted: [], added: [record("a.other. IN A 192.0.2.1")])
        #expect(throws: ZoneBuildError.self) { try z.applying(outside) }
        let soaInList = ZoneDiff(oldSOA: soa(1), newSOA: soa(2), deleted: [soa(1)], added: [])
        #expect(throws: ZoneBuildError.self) { try z.applying(soaInList) }
    }

    @Test("a chain of diffs from the journal replays to the same zone")
    func replay() throws {
        var z = try zone()
        for diff in diffChain(5) { z = try z.applying(diff) }
        #expect(ZoneDiff(oldSOA: z.soa, newSOA: z.soa, deleted: [], added: []).fromSerial == 6)
        #expect(z.rrset(at: "h4.example.", type: .txt) != nil)
        #expect(z.rrset(at: "h3.example.", type: .a) == nil)
        #expect(sorted(z).contains { $0.hasPrefix("h4.example. 300 IN A 192.0.2.5") })
    }
}
