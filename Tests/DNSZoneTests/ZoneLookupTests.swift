// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSZone
import Testing

/// `Zone` building and `Zone.lookup` results, without the message layer.
@Suite struct ZoneLookupTests {
    static let text = """
        $ORIGIN example.
        $TTL 300
        @ SOA ns1 hostmaster 1 7200 3600 1209600 60
        @ NS ns1
        ns1 A 192.0.2.53
        www A 192.0.2.1
        www A 192.0.2.1
        www A 192.0.2.2
        www TXT "hello"
        alias CNAME www
        a.b.c A 192.0.2.3
        *.w TXT "wild"
        cut NS ns.cut
        ns.cut A 192.0.2.4
        x.y.cut TXT "occluded"
        cut DS 1 13 2 49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE0FE0F87C72D26E2ABD58F68C
        dn DNAME other.test.
        *.cw CNAME www

        """

    static func zone() throws -> Zone {
        let parsed = ZoneFileParser.parse(text: text, origin: "example.")
        #expect(parsed.errors.isEmpty, "\(parsed.errors)")
        return try Zone(parsed)
    }

    @Test func buildsNodesAndDropsDuplicates() throws {
        let zone = try Self.zone()
        #expect(zone.origin == "example.")
        #expect(zone.rrset(at: "www.example.", type: .a)?.rdata.count == 2)
        #expect(zone.rrset(at: "WWW.Example.", type: .txt) != nil)
        // Empty non-terminals exist as nodes: b.c and c, x.y.cut's y.cut.
        #expect(zone.contains("c.example."))
        #expect(zone.contains("b.c.example."))
        #expect(zone.contains("y.cut.example."))
        #expect(!zone.contains("nothere.example."))
        #expect(zone.negativeSOA.ttl == 60)
    }

    @Test func exactNoDataNXDomain() throws {
        let zone = try Self.zone()
        guard case .answer(let sets, wildcard: false) = zone.lookup("www.example.", type: .a) else {
            Issue.record("no answer")
            return
        }
        #expect(sets.map(\.type) == [.a])
        #expect(zone.lookup("www.example.", type: .mx) == .noData(wildcard: false))
        #expect(zone.lookup("c.example.", type: .a) == .noData(wildcard: false))
        #expect(zone.lookup("nothere.example.", type: .a) == .nxDomain)
        #expect(zone.lookup("x.www.example.", type: .a) == .nxDomain)
    }

    @Test func cnameIsReturnedUnlessAskedFor() throws {
        let zone = try Self.zone()
        guard case .cname(let set, wildcard: false) = zone.lookup("alias.example.", type: .a) else {
            Issue.record("no CNAME")
            return
        }
        #expect(set.rdata == [.cname("www.example.")])
        guard case .answer = zone.lookup("alias.example.", type: .cname) else {
            Issue.record("CNAME not answered")
            return
        }
        guard case .cname(_, wildcard: true) = zone.lookup("q.cw.example.", type: .a) else {
            Issue.record("no wildcard CNAME")
            return
        }
    }

    @Test func wildcards() throws {
        let zone = try Self.zone()
        guard case .answer(let sets, wildcard: true) = zone.lookup("a.w.example.", type: .txt) else {
            Issue.record("no wildcard answer")
            return
        }
        #expect(sets.first?.name == "*.w.example.")
        #expect(zone.lookup("a.w.example.", type: .a) == .noData(wildcard: true))
        #expect(zone.lookup("deep.er.w.example.", type: .a) == .noData(wildcard: true))
        // No wildcard under c: NXDOMAIN below an empty non-terminal.
        #expect(zone.lookup("q.b.c.example.", type: .a) == .nxDomain)
    }

    @Test func delegationsAndOcclusion() throws {
        let zone = try Self.zone()
        for name: DomainName in [
            "cut.example.", "a.cut.example.", "ns.cut.example.", "x.y.cut.example.", "y.cut.example.",
        ] {
            guard case .delegation(let ns, let ds) = zone.lookup(name, type: .a) else {
                Issue.record("no referral for \(name)")
                continue
            }
            #expect(ns.name == "cut.example.")
            #expect(ds?.type == .ds)
        }
        // DS at the cut is the parent's data (RFC 4035 §3.1.4.1); below the cut it is a referral.
        guard case .answer(let sets, _) = zone.lookup("cut.example.", type: .ds) else {
            Issue.record("DS not answered at the cut")
            return
        }
        #expect(sets.map(\.type) == [.ds])
        guard case .delegation = zone.lookup("a.cut.example.", type: .ds) else {
            Issue.record("DS below a cut not referred")
            return
        }
        // The apex is not a cut.
        guard case .answer = zone.lookup("example.", type: .ns) else {
            Issue.record("apex NS")
            return
        }
        // Glue is reachable for additional processing.
        #expect(zone.addressRRSets(at: "ns.cut.example.", includeOccluded: true).count == 1)
        #expect(zone.addressRRSets(at: "ns.cut.example.", includeOccluded: false).isEmpty)
    }

    @Test func dname() throws {
        let zone = try Self.zone()
        guard case .dname(let set, let target) = zone.lookup("a.b.dn.example.", type: .a) else {
            Issue.record("no DNAME")
            return
        }
        #expect(set.name == "dn.example.")
        #expect(target == "a.b.other.test.")
        guard case .answer = zone.lookup("dn.example.", type: .dname) else {
            Issue.record("DNAME owner")
            return
        }
        #expect(zone.lookup("dn.example.", type: .a) == .noData(wildcard: false))
    }

    @Test func dnameSubstitutionTooLongIsNil() throws {
        let long = String(repeating: "a", count: 60)
        let target = "\(long).\(long).\(long).test."
        let text = """
            $ORIGIN example.
            @ 300 SOA ns1 hm 1 1 1 1 1
            @ 300 NS ns1
            ns1 300 A 192.0.2.1
            d 300 DNAME \(target)

            """
        let zone = try Zone(ZoneFileParser.parse(text: text, origin: "example."))
        let name = try DomainName("\(long).\(long).d.example.")
        guard case .dname(_, let result) = zone.lookup(name, type: .a) else {
            Issue.record("no DNAME")
            return
        }
        #expect(result == nil)
    }

    @Test(arguments: [
        ("no SOA", "@ 300 NS ns1\nns1 300 A 192.0.2.1\n"),
        ("no NS", "@ 300 SOA ns1 hm 1 1 1 1 1\n"),
        ("out of zone", "@ 300 SOA ns1 hm 1 1 1 1 1\n@ 300 NS ns1\nwww.other. 300 A 192.0.2.1\n"),
        ("CNAME and other data", "@ 300 SOA ns1 hm 1 1 1 1 1\n@ 300 NS ns1\nx 300 CNAME www\nx 300 A 192.0.2.1\n"),
        ("two CNAMEs", "@ 300 SOA ns1 hm 1 1 1 1 1\n@ 300 NS ns1\nx 300 CNAME www\nx 300 CNAME mail\n"),
        ("two SOAs", "@ 300 SOA ns1 hm 1 1 1 1 1\n@ 300 SOA ns2 hm 1 1 1 1 1\n@ 300 NS ns1\n"),
    ])
    func refusesUnservableZones(_ name: String, _ body: String) throws {
        let parsed = ZoneFileParser.parse(text: "$ORIGIN example.\n" + body, origin: "example.")
        #expect(throws: ZoneBuildError.self, "\(name)") { try Zone(parsed) }
    }

    @Test func refusesRecordsOfAnotherClass() throws {
        let records = [
            try ResourceRecord(text: "example. 300 IN SOA ns1.example. hm.example. 1 1 1 1 1"),
            try ResourceRecord(text: "example. 300 IN NS ns1.example."),
            try ResourceRecord(text: "example. 300 CH TXT \"x\""),
        ]
        #expect(throws: ZoneBuildError.self) { try Zone(origin: "example.", records: records) }
        #expect(throws: Never.self) { try Zone(origin: "example.", records: Array(records.prefix(2))) }
    }

    @Test func signaturesStayWithTheirRRSet() throws {
        let records = [
            try ResourceRecord(text: "example. 300 IN SOA ns1.example. hm.example. 1 1 1 1 1"),
            try ResourceRecord(text: "example. 300 IN NS ns1.example."),
            try ResourceRecord(text: "www.example. 300 IN A 192.0.2.1"),
            try ResourceRecord(
                text: "www.example. 300 IN RRSIG A 13 2 300 20300101000000 20200101000000 1 example. AAAA"),
            try ResourceRecord(
                text: "www.example. 300 IN RRSIG TXT 13 2 300 20300101000000 20200101000000 1 example. AAAA"),
        ]
        let zone = try Zone(origin: "example.", records: records)
        #expect(zone.rrset(at: "www.example.", type: .a)?.signatures.count == 1)
        #expect(zone.recordCount == 5)
        guard case .answer(let sets, _) = zone.lookup("www.example.", type: .rrsig) else {
            Issue.record("RRSIG query")
            return
        }
        #expect(sets.first?.rdata.count == 2)
    }
}

@Suite struct ZoneApexDNAMETests {
    /// A DNAME at the apex redirects every name below it, existing nodes too
    /// (RFC 6672 §2.3: such data is occluded).
    @Test func dnameAtApexOccludesNamesBelow() throws {
        let records = [
            try ResourceRecord(text: "example. 300 IN SOA ns1.other. hm.example. 1 1 1 1 1"),
            try ResourceRecord(text: "example. 300 IN NS ns1.other."),
            try ResourceRecord(text: "example. 300 IN DNAME example.net."),
            try ResourceRecord(text: "www.example. 300 IN A 192.0.2.1"),
        ]
        let zone = try Zone(origin: "example.", records: records)
        guard case .dname(_, let target) = zone.lookup("www.example.", type: .a) else {
            Issue.record("no DNAME for an occluded name")
            return
        }
        #expect(target == "www.example.net.")
        guard case .answer = zone.lookup("example.", type: .dname) else {
            Issue.record("apex DNAME")
            return
        }
    }
}
