// SPDX-License-Identifier: Apache-2.0

import DNSAuthority
import DNSCore
import DNSZone
import Testing

/// RRSIGs travel with their RRset when the query sets DO (RFC 4035 §3.1.1),
/// and only then. (NSEC/NSEC3 denial proofs are not produced yet.)
@Suite struct DNSSECRecordsTests {
    static let sig = "13 2 300 20300101000000 20200101000000 12345 example. dGVzdA=="
    static let zone = """
        $ORIGIN example.
        $TTL 300
        @ SOA ns1 hostmaster 1 7200 3600 1209600 60
        @ RRSIG SOA 13 1 300 20300101000000 20200101000000 12345 example. dGVzdA==
        @ NS ns1
        ns1 A 192.0.2.53
        www A 192.0.2.1
        www RRSIG A \(sig)
        *.w TXT "wild"
        *.w RRSIG TXT \(sig)

        """

    static let soa = "example. 60 IN SOA ns1.example. hostmaster.example. 1 7200 3600 1209600 60"
    static let soaSig = "example. 60 IN RRSIG SOA 13 1 300 20300101000000 20200101000000 12345 example. dGVzdA=="

    static func processor() throws -> QueryProcessor {
        QueryProcessor(zones: ZoneTable([try makeZone(Self.zone, origin: "example.")]))
    }

    @Test func answersCarryRRSIGWithDO() throws {
        try check(
            Case(
                q: "www.example. A",
                answer: ["www.example. 300 IN A 192.0.2.1", "www.example. 300 IN RRSIG A \(Self.sig)"], dnssec: true),
            try Self.processor())
        try check(Case(q: "www.example. A", answer: ["www.example. 300 IN A 192.0.2.1"]), try Self.processor())
    }

    @Test func negativeAnswersCarrySOASignatureWithDO() throws {
        try check(Case(q: "www.example. TXT", authority: [Self.soa, Self.soaSig], dnssec: true), try Self.processor())
        try check(
            Case(q: "nothere.example. A", rcode: .nxDomain, authority: [Self.soa, Self.soaSig], dnssec: true),
            try Self.processor())
        try check(Case(q: "nothere.example. A", rcode: .nxDomain, authority: [Self.soa]), try Self.processor())
    }

    @Test func wildcardSignaturesTakeTheQueryName() throws {
        try check(
            Case(
                q: "a.w.example. TXT",
                answer: ["a.w.example. 300 IN TXT \"wild\"", "a.w.example. 300 IN RRSIG TXT \(Self.sig)"], dnssec: true),
            try Self.processor())
    }

    @Test func zoneWithParseErrorsIsRefused() {
        let parsed = ZoneFileParser.parse(
            text: "$ORIGIN example.\n@ 300 SOA ns1 hm 1 1 1 1 1\n@ 300 NS ns1\nx 300 A 999.1.1.1\n", origin: "example.")
        #expect(throws: ZoneBuildError.self) { try Zone(parsed) }
    }
}
