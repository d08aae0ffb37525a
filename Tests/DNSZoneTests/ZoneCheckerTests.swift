// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSZone
import Testing

/// named-checkzone's checks: each case appends records to a valid apex
/// (5 lines) and expects these diagnostics.
@Suite struct ZoneCheckerTests {
    static let cases: [(String, String, [String])] = [
        ("valid zone", "www A 192.0.2.1\n", []),
        (
            "CNAME beside other data", "www CNAME ns1\nwww A 192.0.2.1\n",
            [
                "zone:7:1: CNAME and other data at www.example. (RFC 2181 §10.1)"
            ]
        ),
        (
            "CNAME after other data", "www A 192.0.2.1\nwww CNAME ns1\n",
            [
                "zone:7:1: CNAME and other data at www.example. (RFC 2181 §10.1)"
            ]
        ),
        (
            "CNAME beside RRSIG and NSEC is fine",
            "www CNAME ns1\nwww RRSIG CNAME 13 3 3600 20300101000000 20200101000000 12345 example. AQID\nwww NSEC zz.example. CNAME RRSIG NSEC\n",
            []
        ),
        (
            "two CNAMEs", "www CNAME a\nwww CNAME b\n",
            ["zone:7:1: more than one CNAME record at www.example. (RFC 2181 §10.1)"]
        ),
        ("duplicate CNAME is one", "www CNAME a\nwww CNAME a.example.\n", []),
        (
            "two DNAMEs", "d DNAME a.\nd DNAME b.\n",
            ["zone:7:1: more than one DNAME record at d.example. (RFC 6672 §2.4)"]
        ),
        (
            "data below a DNAME", "d DNAME a.\nx.d A 192.0.2.1\n",
            [
                "zone:7:1: x.d.example. is below the DNAME at d.example. (RFC 6672 §2.3)"
            ]
        ),
        ("second SOA", "@ SOA ns1 host 2 1 1 1 1\n", ["zone:6:1: more than one SOA record at the zone apex example."]),
        (
            "SOA below the apex", "sub SOA ns1 host 2 1 1 1 1\n",
            [
                "zone:6:1: SOA record at sub.example., not at the zone apex example."
            ]
        ),
        ("out of zone", "www.example.net. A 192.0.2.1\n", ["zone:6:1: www.example.net. is out of zone example."]),
        (
            "apex NS target without address", "@ NS ns2\n",
            ["zone:6:1: NS target ns2.example. has no address records (A or AAAA)"]
        ),
        ("apex NS target out of zone", "@ NS ns.example.net.\n", []),
        ("delegation with glue", "sub NS ns.sub\nns.sub A 192.0.2.7\n", []),
        (
            "delegation glue missing (warning)", "sub NS ns.sub\n",
            [
                "zone:6:1: warning: NS target ns.sub.example. of the delegation sub.example. has no address records (A or AAAA) (required glue)"
            ]
        ),
        (
            "occluded data (warning)", "sub NS ns.example.net.\nx.sub TXT hidden\nx.sub A 192.0.2.1\n",
            [
                "zone:7:1: warning: x.sub.example. TXT is below the delegation at sub.example. and is occluded"
            ]
        ),
        (
            "MX target without address (warning)", "@ MX 10 nomail\n",
            [
                "zone:6:1: warning: MX target nomail.example. has no address records (A or AAAA)"
            ]
        ),
    ]

    @Test(arguments: cases)
    func check(name: String, records: String, expected: [String]) {
        let zone = checkZone(apex + records)
        #expect(printed(zone) == expected, "\(name)")
    }

    @Test func noSOAandNoNS() {
        let zone = checkZone("$TTL 60\nwww A 192.0.2.1\n")
        #expect(
            printed(zone) == [
                "zone:1:1: no SOA record at the zone apex example.",
                "zone:1:1: no NS records at the zone apex example.",
            ]
        )
    }

    @Test func noOrigin() {
        var zone = parseZone(["zone": "$TTL 60\nwww.example. A 192.0.2.1\n"], origin: nil)
        #expect(ZoneChecker.check(&zone) == nil)
        #expect(printed(zone) == ["zone:1:1: no zone origin: give --origin, a $ORIGIN line or an SOA record"])
    }

    @Test func summary() throws {
        var zone = parseZone([
            "zone": apex + "www A 192.0.2.1\nwww A 192.0.2.1\nwww AAAA 2001:db8::1\nmail A 192.0.2.2\n"
        ])
        let summary = try #require(ZoneChecker.check(&zone))
        #expect(summary.description == "example.: 6 records, 4 names, 4 types (A 3, NS 1, SOA 1, AAAA 1)")
    }

    @Test func duplicatesInALargeRRset() throws {
        var text = apex
        for k in 0..<40 { text += "big A 10.0.0.\(k)\nbig A 10.0.0.\(k)\n" }
        var zone = parseZone(["zone": text])
        let summary = try #require(ZoneChecker.check(&zone))
        #expect(summary.types[.a] == 41)
    }
}

@Suite struct ZoneReportLimitTests {
    /// A wrong origin makes every record out of zone: the count is kept, the list is bounded.
    @Test func wrongOriginIsBounded() {
        var text = "$TTL 60\n"
        for k in 0..<300 { text += "h\(k).example.net. A 192.0.2.1\n" }
        let zone = checkZone(text)
        #expect(zone.errorCount == 302)
        #expect(zone.errors.count == 100)
        #expect(zone.suppressedCount == 202)
        #expect(zone.errors.first?.description == "zone:2:1: h0.example.net. is out of zone example.")
    }
}
