// SPDX-License-Identifier: Apache-2.0

import DNSAuthority
import DNSCore
import DNSZone
import Testing

/// The zone the answer tables run against (minimal responses, NSD-style).
let exampleZoneText = """
    $ORIGIN example.
    $TTL 3600
    @ SOA ns1 hostmaster 1 7200 3600 1209600 300
    @ NS ns1
    @ NS ns2.other.test.
    @ MX 10 mail
    ns1 A 192.0.2.53
    ns1 AAAA 2001:db8::53
    mail A 192.0.2.25
    www A 192.0.2.80
    www AAAA 2001:db8::80
    alias CNAME www
    chain1 CNAME chain2
    chain2 CNAME alias
    out CNAME www.other.test.
    loop1 CNAME loop2
    loop2 CNAME loop1
    self CNAME self
    dangling CNAME nothere
    a.b.ent A 192.0.2.1
    _sip._tcp SRV 0 5 5060 sip
    sip A 192.0.2.60
    wild TXT "parent"
    *.wild TXT "wildcard"
    *.wild MX 10 mail
    x.y.wild A 192.0.2.99
    *.cwild CNAME www
    sub NS ns.sub
    sub NS ns.other.test.
    ns.sub A 192.0.2.100
    ns.sub AAAA 2001:db8::100
    deep.sub TXT "occluded"
    sub2 NS ns.sub
    nog NS ns.other.test.
    sec NS ns.sec
    sec DS 12345 13 2 49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE0FE0F87C72D26E2ABD58F68C
    ns.sec A 192.0.2.102
    toref CNAME www.sub
    redir DNAME dest
    x.dest A 192.0.2.7
    dn DNAME target.test.
    MiXeD A 192.0.2.33

    """

let soaNegative = "example. 300 IN SOA ns1.example. hostmaster.example. 1 7200 3600 1209600 300"

func exampleProcessor(_ options: AuthorityOptions = AuthorityOptions()) throws -> QueryProcessor {
    QueryProcessor(zones: ZoneTable([try makeZone(exampleZoneText, origin: "example.")]), options: options)
}

let answerCases: [Case] = [
    // Exact match, NODATA, NXDOMAIN (RFC 1034 §4.3.2, RFC 2308 §3: SOA TTL = min(TTL, MINIMUM)).
    Case(q: "www.example. A", answer: ["www.example. 3600 IN A 192.0.2.80"]),
    Case(q: "www.example. AAAA", answer: ["www.example. 3600 IN AAAA 2001:db8::80"]),
    Case(q: "www.example. TXT", authority: [soaNegative]),
    Case(q: "nothere.example. A", rcode: .nxDomain, authority: [soaNegative]),
    Case(q: "a.www.example. A", rcode: .nxDomain, authority: [soaNegative]),
    Case(q: "example. SOA", answer: ["example. 3600 IN SOA ns1.example. hostmaster.example. 1 7200 3600 1209600 300"]),
    // Empty non-terminals are NODATA, not NXDOMAIN (RFC 8020 §2, RFC 4592 §2.2.2).
    Case(q: "ent.example. A", authority: [soaNegative]),
    Case(q: "b.ent.example. A", authority: [soaNegative]),
    Case(q: "c.b.ent.example. A", rcode: .nxDomain, authority: [soaNegative]),
    Case(q: "_tcp.example. SRV", authority: [soaNegative]),
    // Apex NS with addresses of in-zone targets; MX and SRV with target addresses.
    Case(
        q: "example. NS", answer: ["example. 3600 IN NS ns1.example.", "example. 3600 IN NS ns2.other.test."],
        additional: ["ns1.example. 3600 IN A 192.0.2.53", "ns1.example. 3600 IN AAAA 2001:db8::53"]),
    Case(
        q: "example. MX", answer: ["example. 3600 IN MX 10 mail.example."],
        additional: ["mail.example. 3600 IN A 192.0.2.25"]),
    Case(
        q: "_sip._tcp.example. SRV", answer: ["_sip._tcp.example. 3600 IN SRV 0 5 5060 sip.example."],
        additional: ["sip.example. 3600 IN A 192.0.2.60"]),
    // CNAME: in zone, chains, out of zone, loops, dangling (RFC 1034 §4.3.2 step 3.a, RFC 6604).
    Case(
        q: "alias.example. A",
        answer: ["alias.example. 3600 IN CNAME www.example.", "www.example. 3600 IN A 192.0.2.80"]),
    Case(q: "alias.example. CNAME", answer: ["alias.example. 3600 IN CNAME www.example."]),
    Case(
        q: "alias.example. TXT", answer: ["alias.example. 3600 IN CNAME www.example."], authority: [soaNegative]),
    Case(
        q: "chain1.example. A",
        answer: [
            "chain1.example. 3600 IN CNAME chain2.example.", "chain2.example. 3600 IN CNAME alias.example.",
            "alias.example. 3600 IN CNAME www.example.", "www.example. 3600 IN A 192.0.2.80",
        ]),
    Case(q: "out.example. A", answer: ["out.example. 3600 IN CNAME www.other.test."]),
    Case(
        q: "loop1.example. A",
        answer: ["loop1.example. 3600 IN CNAME loop2.example.", "loop2.example. 3600 IN CNAME loop1.example."]),
    Case(q: "self.example. A", answer: ["self.example. 3600 IN CNAME self.example."]),
    Case(
        q: "dangling.example. A", rcode: .nxDomain, answer: ["dangling.example. 3600 IN CNAME nothere.example."],
        authority: [soaNegative]),
    // CNAME into a delegation: the answer, then the referral (AA stays: the CNAME is ours).
    Case(
        q: "toref.example. A", answer: ["toref.example. 3600 IN CNAME www.sub.example."],
        authority: ["sub.example. 3600 IN NS ns.sub.example.", "sub.example. 3600 IN NS ns.other.test."],
        additional: ["ns.sub.example. 3600 IN A 192.0.2.100", "ns.sub.example. 3600 IN AAAA 2001:db8::100"]),
    // Wildcards (RFC 4592): owner is the query name; NODATA through a wildcard; ENT blocks.
    Case(q: "foo.wild.example. TXT", answer: ["foo.wild.example. 3600 IN TXT \"wildcard\""]),
    Case(q: "a.b.wild.example. TXT", answer: ["a.b.wild.example. 3600 IN TXT \"wildcard\""]),
    Case(q: "wild.example. TXT", answer: ["wild.example. 3600 IN TXT \"parent\""]),
    Case(q: "foo.wild.example. A", authority: [soaNegative]),
    Case(
        q: "foo.wild.example. MX", answer: ["foo.wild.example. 3600 IN MX 10 mail.example."],
        additional: ["mail.example. 3600 IN A 192.0.2.25"]),
    Case(q: "y.wild.example. TXT", authority: [soaNegative]),
    Case(q: "z.y.wild.example. TXT", rcode: .nxDomain, authority: [soaNegative]),
    Case(q: "*.wild.example. TXT", answer: ["*.wild.example. 3600 IN TXT \"wildcard\""]),
    Case(
        q: "x.cwild.example. A",
        answer: ["x.cwild.example. 3600 IN CNAME www.example.", "www.example. 3600 IN A 192.0.2.80"]),
    // Referrals: NS in authority, glue in additional, AA clear; occluded names.
    Case(
        q: "sub.example. A", aa: false,
        authority: ["sub.example. 3600 IN NS ns.sub.example.", "sub.example. 3600 IN NS ns.other.test."],
        additional: ["ns.sub.example. 3600 IN A 192.0.2.100", "ns.sub.example. 3600 IN AAAA 2001:db8::100"]),
    Case(
        q: "www.sub.example. A", aa: false,
        authority: ["sub.example. 3600 IN NS ns.sub.example.", "sub.example. 3600 IN NS ns.other.test."],
        additional: ["ns.sub.example. 3600 IN A 192.0.2.100", "ns.sub.example. 3600 IN AAAA 2001:db8::100"]),
    Case(
        q: "deep.sub.example. TXT", aa: false,
        authority: ["sub.example. 3600 IN NS ns.sub.example.", "sub.example. 3600 IN NS ns.other.test."],
        additional: ["ns.sub.example. 3600 IN A 192.0.2.100", "ns.sub.example. 3600 IN AAAA 2001:db8::100"]),
    Case(
        q: "ns.sub.example. A", aa: false,
        authority: ["sub.example. 3600 IN NS ns.sub.example.", "sub.example. 3600 IN NS ns.other.test."],
        additional: ["ns.sub.example. 3600 IN A 192.0.2.100", "ns.sub.example. 3600 IN AAAA 2001:db8::100"]),
    Case(
        q: "sub.example. NS", aa: false,
        authority: ["sub.example. 3600 IN NS ns.sub.example.", "sub.example. 3600 IN NS ns.other.test."],
        additional: ["ns.sub.example. 3600 IN A 192.0.2.100", "ns.sub.example. 3600 IN AAAA 2001:db8::100"]),
    // Glue below another delegation of the same zone (RFC 9471 §2.2 sibling glue).
    Case(
        q: "host.sub2.example. A", aa: false, authority: ["sub2.example. 3600 IN NS ns.sub.example."],
        additional: ["ns.sub.example. 3600 IN A 192.0.2.100", "ns.sub.example. 3600 IN AAAA 2001:db8::100"]),
    Case(q: "nog.example. A", aa: false, authority: ["nog.example. 3600 IN NS ns.other.test."]),
    // DS at a cut comes from the parent side (RFC 4035 §3.1.4.1).
    Case(
        q: "sec.example. DS",
        answer: ["sec.example. 3600 IN DS 12345 13 2 49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE0FE0F87C72D26E2ABD58F68C"]),
    Case(q: "sub.example. DS", authority: [soaNegative]),
    Case(
        q: "sec.example. A", aa: false, authority: ["sec.example. 3600 IN NS ns.sec.example."],
        additional: ["ns.sec.example. 3600 IN A 192.0.2.102"]),
    Case(
        q: "sec.example. A", aa: false,
        authority: [
            "sec.example. 3600 IN NS ns.sec.example.",
            "sec.example. 3600 IN DS 12345 13 2 49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE0FE0F87C72D26E2ABD58F68C",
        ],
        additional: ["ns.sec.example. 3600 IN A 192.0.2.102"], dnssec: true),
    // DNAME (RFC 6672): the DNAME, a synthesised CNAME, then the target when in zone.
    Case(
        q: "x.redir.example. A",
        answer: [
            "redir.example. 3600 IN DNAME dest.example.", "x.redir.example. 3600 IN CNAME x.dest.example.",
            "x.dest.example. 3600 IN A 192.0.2.7",
        ]),
    Case(
        q: "a.b.redir.example. A", rcode: .nxDomain,
        answer: ["redir.example. 3600 IN DNAME dest.example.", "a.b.redir.example. 3600 IN CNAME a.b.dest.example."],
        authority: [soaNegative]),
    Case(q: "redir.example. DNAME", answer: ["redir.example. 3600 IN DNAME dest.example."]),
    Case(q: "redir.example. A", authority: [soaNegative]),
    Case(
        q: "x.dn.example. A",
        answer: ["dn.example. 3600 IN DNAME target.test.", "x.dn.example. 3600 IN CNAME x.target.test."]),
    // ANY (RFC 8482 §4.1): one RRset, the first at the name, as NSD does.
    Case(q: "www.example. ANY", answer: ["www.example. 3600 IN A 192.0.2.80"]),
    Case(q: "www.example. ANY", answer: ["www.example. 3600 IN A 192.0.2.80"], transport: .tcp),
    Case(q: "ent.example. ANY", authority: [soaNegative]),
    // Outside the zones served, and zone transfers on this path: REFUSED, AA clear.
    Case(q: "www.other.test. A", rcode: .refused, aa: false),
    Case(q: ". NS", rcode: .refused, aa: false),
    Case(q: "example. AXFR", rcode: .refused, aa: false, transport: .tcp),
    Case(q: "example. AXFR", rcode: .notImp, aa: false),
    Case(q: "example. IXFR", rcode: .refused, aa: false),
    // QCLASS ANY: the IN data, AA clear, as NSD.
    Case(q: "www.example. ANY A", aa: false, answer: ["www.example. 3600 IN A 192.0.2.80"]),
    Case(q: "www.other.test. ANY A", rcode: .refused, aa: false),
    // Without EDNS: no OPT in the response.
    Case(q: "www.example. A", answer: ["www.example. 3600 IN A 192.0.2.80"], edns: false),
    // Case-insensitive match (RFC 4343); case preservation is checked separately.
    Case(q: "WWW.EXAMPLE. A", answer: ["www.example. 3600 IN A 192.0.2.80"]),
    Case(q: "mixed.example. A", answer: ["mixed.example. 3600 IN A 192.0.2.33"]),
]

@Suite struct AnswerTests {
    @Test(arguments: answerCases)
    func answers(_ c: Case) throws {
        try check(c, try exampleProcessor())
    }

    @Test func questionCaseIsPreserved() throws {
        let processor = try exampleProcessor()
        let query = DNSMessage.query(id: 7, name: "wWw.ExAmPlE.", type: .a, edns: nil)
        let response = try #require(processor.respond(to: query, transport: .udp))
        #expect(response.questions[0].name.isIdentical(to: "wWw.ExAmPlE."))
        // The owner compresses to the question, so it is printed in the query's case, as NSD does.
        #expect(response.answers[0].name.isIdentical(to: "wWw.ExAmPlE."))
        let wild = DNSMessage.query(id: 8, name: "FoO.wIlD.example.", type: .txt, edns: nil)
        let wildResponse = try #require(processor.respond(to: wild, transport: .udp))
        #expect(wildResponse.answers[0].name.isIdentical(to: "FoO.wIlD.example."))
    }

    @Test func headerFlagsAreCopied() throws {
        let processor = try exampleProcessor()
        var query = DNSMessage.query(id: 99, name: "www.example.", type: .a, recursionDesired: true)
        query.header.checkingDisabled = true
        let response = try #require(processor.respond(to: query, transport: .udp))
        #expect(response.header.recursionDesired)
        #expect(response.header.checkingDisabled)
        #expect(!response.header.recursionAvailable)
        #expect(response.header.opcode == .query)
        let noRD = DNSMessage.query(id: 99, name: "www.example.", type: .a, recursionDesired: false)
        #expect(try #require(processor.respond(to: noRD, transport: .udp)).header.recursionDesired == false)
    }

    @Test func ednsIsAnsweredWithOurSizeAndDO() throws {
        let processor = try exampleProcessor(AuthorityOptions(maxUDPPayload: 1400))
        let query = DNSMessage.query(
            id: 1, name: "www.example.", type: .a, edns: EDNS(udpPayloadSize: 4096, dnssecOK: true))
        let response = try #require(processor.respond(to: query, transport: .udp))
        let edns = try #require(response.edns)
        #expect(edns.udpPayloadSize == 1400)
        #expect(edns.dnssecOK)
        #expect(edns.version == 0)
        let plain = DNSMessage.query(id: 1, name: "www.example.", type: .a, edns: EDNS(udpPayloadSize: 4096))
        #expect(try #require(processor.respond(to: plain, transport: .udp)).edns?.dnssecOK == false)
    }

    @Test func mxAndSRVAdditionalCanBeTurnedOff() throws {
        let processor = try exampleProcessor(AuthorityOptions(additionalForMailAndServices: false))
        try check(Case(q: "example. MX", answer: ["example. 3600 IN MX 10 mail.example."]), processor)
        try check(
            Case(q: "_sip._tcp.example. SRV", answer: ["_sip._tcp.example. 3600 IN SRV 0 5 5060 sip.example."]),
            processor)
    }

    @Test func chainLengthIsBounded() throws {
        var text = "$ORIGIN long.\n$TTL 60\n@ SOA ns hm 1 1 1 1 60\n@ NS ns\nns A 192.0.2.1\n"
        for i in 0..<30 { text += "c\(i) CNAME c\(i + 1)\n" }
        text += "c30 A 192.0.2.30\n"
        let processor = QueryProcessor(zones: ZoneTable([try makeZone(text, origin: "long.")]))
        let response = try #require(
            processor.respond(to: DNSMessage.query(id: 1, name: "c0.long.", type: .a), transport: .udp))
        #expect(response.answers.count == 16)
        #expect(response.answers.allSatisfy { $0.type == .cname })
        #expect(response.rcode == .noError)
    }
}
