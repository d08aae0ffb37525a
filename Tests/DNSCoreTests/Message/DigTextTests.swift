// Goldens captured from dig 9.18.49 (Debian) querying a stub UDP server on
// 127.0.0.1 that answered with the hex shown; the expected text is dig's
// output from ";; ->>HEADER<<-" to the blank line before ";; Query time".
import DNSCore
import Testing

@Suite struct DigTextTests {
    static let goldens: [(String, String, String)] = [
        // A, CNAME, TXT, MX, AAAA, SOA and every typed option
        (
            "fullAnswer",
            "053b85800001000600010001076578616d706c6503636f6d0000010001076578616d706c6503636f6d000001000100000e100004c00002011b612d766572792d6c6f6e672d6f776e65722d6e616d652d68657265076578616d706c6503636f6d00000100010000012c0004c000020203777777076578616d706c6503636f6d00000500010000012c000d076578616d706c6503636f6d000178000010000100000000000a0568656c6c6f03612062076578616d706c6503636f6d00000f00010000012c0014000a046d61696c076578616d706c6503636f6d00016500001c00010000012c001000000000000000000000000000000000076578616d706c6503636f6d000006000100000e100033026e73076578616d706c6503636f6d000168076578616d706c6503636f6d00000000010000000200000003000000040000000500002904d0000080000052000a0010010203040506070811121314151617180003000b6e73312e6578616d706c65000f000b0012736f6d652074657874000f000200030008000700011800c00002000c00050000000000fde900020102",
            ";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 1339\n;; flags: qr aa rd ra; QUERY: 1, ANSWER: 6, AUTHORITY: 1, ADDITIONAL: 1\n\n;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags: do; udp: 1232\n; COOKIE: 01020304050607081112131415161718\n; NSID: 6e 73 31 2e 65 78 61 6d 70 6c 65 (\"ns1.example\")\n; EDE: 18 (Prohibited): (some text)\n; EDE: 3 (Stale Answer)\n; CLIENT-SUBNET: 192.0.2.0/24/0\n; PAD: (5 bytes)\n; OPT=65001: 01 02 (\"..\")\n;; QUESTION SECTION:\n;example.com.\t\t\tIN\tA\n\n;; ANSWER SECTION:\nexample.com.\t\t3600\tIN\tA\t192.0.2.1\na-very-long-owner-name-here.example.com. 300 IN\tA 192.0.2.2\nwww.example.com.\t300\tIN\tCNAME\texample.com.\nx.\t\t\t0\tIN\tTXT\t\"hello\" \"a b\"\nexample.com.\t\t300\tIN\tMX\t10 mail.example.com.\ne.\t\t\t300\tIN\tAAAA\t::\n\n;; AUTHORITY SECTION:\nexample.com.\t\t3600\tIN\tSOA\tns.example.com. h.example.com. 1 2 3 4 5\n\n"
        ),
        // EXPIRE, KEEPALIVE, KEY-TAG, unknown EDE, CO and MBZ bits
        (
            "optionsAndFlags",
            "6c4681900001000100000002076578616d706c6503636f6d0000010001076578616d706c6503636f6d00001000010000003c000c0b68656c6c6f20776f726c64036e7331076578616d706c6503636f6d00001c00010000012c001020010db800000000000000000000003500002904d00000c0010054000a000801020304050607080009000400000e11000b00020064000e00044f664a5c0008000b0002380020010db800000000030000000f00050063616263000f00020019000c00020000fde9000000050002080d",
            ";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 27718\n;; flags: qr rd ra cd; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 2\n\n;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags: do co; MBZ: 0x0001, udp: 1232\n; COOKIE: 0102030405060708\n; EXPIRE: 3601 (1 hour 1 second)\n; TCP KEEPALIVE: 10.0 secs\n; KEY-TAG: 20326, 19036\n; CLIENT-SUBNET: 2001:db8::/56/0\n; NSID:\n; EDE: 99: (abc)\n; EDE: 25\n; PAD: (2 bytes)\n; OPT=65001:\n; OPT=5: 08 0d (\"..\")\n;; QUESTION SECTION:\n;example.com.\t\t\tIN\tA\n\n;; ANSWER SECTION:\nexample.com.\t\t60\tIN\tTXT\t\"hello world\"\n\n;; ADDITIONAL SECTION:\nns1.example.com.\t300\tIN\tAAAA\t2001:db8::35\n\n"
        ),
        // no EDNS, authority and additional
        (
            "nxdomainWithAdditional",
            "6c9681830001000000010001076578616d706c6503636f6d0000010001076578616d706c6503636f6d00000200010000012c0010026e73076578616d706c6503636f6d00026e73076578616d706c6503636f6d00000100010000012c0004c0000235",
            ";; ->>HEADER<<- opcode: QUERY, status: NXDOMAIN, id: 27798\n;; flags: qr rd ra; QUERY: 1, ANSWER: 0, AUTHORITY: 1, ADDITIONAL: 1\n\n;; QUESTION SECTION:\n;example.com.\t\t\tIN\tA\n\n;; AUTHORITY SECTION:\nexample.com.\t\t300\tIN\tNS\tns.example.com.\n\n;; ADDITIONAL SECTION:\nns.example.com.\t\t300\tIN\tA\t192.0.2.53\n\n"
        ),
        // BADCOOKIE, every header flag, Z bit
        (
            "extendedRCodeAndZBit",
            "970387f70001000000000003076578616d706c6503636f6d0000010001026e73076578616d706c6503636f6d00000100010000012c0004c0000235026e73076578616d706c6503636f6d00001c00010000012c00100000000000000000000000000000000100002904d0010000000000",
            ";; ->>HEADER<<- opcode: QUERY, status: BADCOOKIE, id: 38659\n;; flags: qr aa tc rd ra ad cd; MBZ: 0x4; QUERY: 1, ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 3\n\n;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: 1232\n;; QUESTION SECTION:\n;example.com.\t\t\tIN\tA\n\n;; ADDITIONAL SECTION:\nns.example.com.\t\t300\tIN\tA\t192.0.2.53\nns.example.com.\t\t300\tIN\tAAAA\t::1\n\n"
        ),
        // TSIG shown in its own pseudosection
        (
            "tsigPseudosection",
            "a58b80000001000100000003076578616d706c6503636f6d0000010001076578616d706c6503636f6d00000100010000012c000400000000026e7300000100010000000100040000000000002904d0000080000000036b6579076578616d706c650000fa00ff0000000000210b686d61632d7368613235360000006553f100012c000401020304123400000000",
            ";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 42379\n;; flags: qr; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 3\n\n;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags: do; udp: 1232\n;; QUESTION SECTION:\n;example.com.\t\t\tIN\tA\n\n;; ANSWER SECTION:\nexample.com.\t\t300\tIN\tA\t0.0.0.0\n\n;; ADDITIONAL SECTION:\nns.\t\t\t1\tIN\tA\t0.0.0.0\n\n;; TSIG PSEUDOSECTION:\nkey.example.\t\t0\tANY\tTSIG\thmac-sha256. 1700000000 300 4 AQIDBA== 4660 NOERROR 0 \n\n"
        ),
        // TSIG with other data (BADTIME carries the server time): no trailing blank
        (
            "tsigOtherData",
            "9cbf80000001000000000001076578616d706c6503636f6d0000010001036b6579076578616d706c650000fa00ff0000000000270b686d61632d7368613235360000006553f100012c00040102030412340012000600006553f100",
            ";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 40127\n;; flags: qr; QUERY: 1, ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 1\n\n;; QUESTION SECTION:\n;example.com.\t\t\tIN\tA\n\n;; TSIG PSEUDOSECTION:\nkey.example.\t\t0\tANY\tTSIG\thmac-sha256. 1700000000 300 4 AQIDBA== 4660 BADTIME 6 AABlU/EA\n\n"
        ),
    ]

    @Test(arguments: 0..<goldens.count) func matchesDig(index: Int) throws {
        let (name, hex, expected) = Self.goldens[index]
        let message = try DNSMessage(wire: try #require(hexBytes(hex)))
        let text = message.digText()
        #expect(text == expected, "\(name)")
        if text != expected {
            for (a, b) in zip(
                text.split(separator: "\n", omittingEmptySubsequences: false),
                expected.split(separator: "\n", omittingEmptySubsequences: false)) where a != b
            {
                Issue.record("got      \(a.debugDescription)\nexpected \(b.debugDescription)")
            }
        }
    }

    /// Section names and empty RDATA in an UPDATE, as `nsupdate -d` (BIND's
    /// renderer) prints them.
    @Test func updateSections() throws {
        var header = Header(id: 7)
        header.opcode = .update
        let empty = RDATA.unknown(.a, RDATA.Opaque(bytes: []))
        let message = DNSMessage(
            header: header,
            questions: [Question(name: "example.com.", type: .soa)],
            answers: [ResourceRecord(name: "b.example.com.", dnsClass: .none, ttl: 0, rdata: empty)],
            authorities: [
                ResourceRecord(name: "a.example.com.", dnsClass: .any, ttl: 0, rdata: empty),
                try ResourceRecord(text: "c.example.com. 0 NONE A 192.0.2.1"),
                try ResourceRecord(text: "d.example.com. 300 IN A 192.0.2.2"),
            ])
        // The empty RDATA survives the wire (RFC 2136 §2.4).
        let decoded = try DNSMessage(wire: message.wireBytes)
        #expect(decoded == message)
        let text = decoded.digText()
        let body = """
            ;; ZONE SECTION:
            ;example.com.\t\t\tIN\tSOA

            ;; PREREQUISITE SECTION:
            b.example.com.\t\t0\tNONE\tA\t

            ;; UPDATE SECTION:
            a.example.com.\t\t0\tANY\tA\t
            c.example.com.\t\t0\tNONE\tA\t192.0.2.1
            d.example.com.\t\t300\tIN\tA\t192.0.2.2


            """
        #expect(text.hasPrefix(";; ->>HEADER<<- opcode: UPDATE, status: NOERROR, id: 7\n"))
        #expect(text.hasSuffix(body))
    }

    @Test func shortTextIsRDATAOnly() throws {
        var message = DNSMessage.query(id: 1, name: "www.example.", type: .a)
        message.answers = [
            try ResourceRecord(text: "www.example. 300 IN CNAME web.example."),
            try ResourceRecord(text: "web.example. 300 IN A 192.0.2.7"),
            try ResourceRecord(text: "web.example. 300 IN A 192.0.2.8"),
        ]
        message.additionals = [try ResourceRecord(text: "ns.example. 300 IN A 192.0.2.53")]
        #expect(message.shortText == "web.example.\n192.0.2.7\n192.0.2.8\n")
        #expect(DNSMessage.query(id: 1, name: "www.example.", type: .a).shortText == "")
    }

    /// Names past the tab stops get a single space, as BIND's indent() does.
    @Test func longOwnerUsesSpaces() throws {
        var message = DNSMessage(header: Header(id: 1, flags: 0x8000))
        message.answers = [try ResourceRecord(text: "a-very-long-owner-name-here.example.com. 300 IN A 192.0.2.2")]
        #expect(message.digText().contains("\na-very-long-owner-name-here.example.com. 300 IN\tA 192.0.2.2\n"))
    }

    @Test func unknownOpcodeAndRCodeNames() {
        var message = DNSMessage(header: Header(id: 9))
        message.header.opcode = Opcode(3)
        message.edns = EDNS()
        message.rcode = RCode(22)
        #expect(
            message.digText().hasPrefix(";; ->>HEADER<<- opcode: RESERVED3, status: ?22, id: 9\n;; flags:; QUERY: 0"))
        message.rcode = RCode(12)
        #expect(message.digText().contains("status: RESERVED12,"))
    }
}
