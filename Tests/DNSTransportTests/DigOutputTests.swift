// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSTransport
import Testing

@Suite struct DigOutputTests {
    /// BIND `indent()`: tabs to the column, one space once past it.
    @Test(arguments: [
        ("a.", "a.\t\t\t\tIN\tA"),
        ("abcdefghijklmno.", "abcdefghijklmno.\t\tIN\tA"),
        ("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.\tIN\tA"),
        ("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb. IN\tA"),
        ("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb. IN\tA"),
        ("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb. IN A"),
        ("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.\tIN A"),
    ])
    func questionColumns(_ name: String, _ expected: String) throws {
        // Lines measured against dig 9.18 output.
        #expect(DigOutput.question(Question(name: try DomainName(name), type: .a)) == ";" + expected)
    }

    @Test func recordColumns() throws {
        #expect(DigOutput.record(try ResourceRecord(text: "example. 300 IN SOA ns1.example. h.example. 1 2 3 4 5"))
            == "example.\t\t300\tIN\tSOA\tns1.example. h.example. 1 2 3 4 5")
        #expect(DigOutput.record(try ResourceRecord(text: "a-rather-long-owner-name.example. 3600 IN A 192.0.2.1"))
            == "a-rather-long-owner-name.example. 3600 IN A\t192.0.2.1")
    }

    @Test func headerFlagsAndWarning() throws {
        var m = DNSMessage.query(id: 4711, name: "www.example.", type: .a)
        m.header.isResponse = true
        m.header.authoritative = true
        m.rcode = .nxDomain
        let text = DigOutput.message(m)
        #expect(text.hasPrefix("""
            ;; ->>HEADER<<- opcode: QUERY, status: NXDOMAIN, id: 4711
            ;; flags: qr aa rd; QUERY: 1, ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 1
            ;; WARNING: recursion requested but not available

            ;; OPT PSEUDOSECTION:
            ; EDNS: version: 0, flags:; udp: 1232
            ;; QUESTION SECTION:
            ;www.example.\t\t\tIN\tA


            """))
        var none = DNSMessage.query(id: 1, name: ".", type: .ns, recursionDesired: false, edns: nil)
        none.header.truncated = true
        #expect(DigOutput.message(none).hasPrefix(";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 1\n;; flags: tc; QUERY: 1"))
    }

    @Test func ednsFlagsAndOptions() {
        var edns = EDNS(udpPayloadSize: 4096, dnssecOK: true)
        edns.flags |= 0x0001
        #expect(DigOutput.pseudosection(edns) == "; EDNS: version: 0, flags: do; MBZ: 0x0001, udp: 4096\n")
        #expect(DigOutput.option(EDNSOption(code: .nsid, data: Array("ns1".utf8))) == "; NSID: 6e 73 31 (\"ns1\")")
        #expect(DigOutput.option(EDNSOption(code: .nsid, data: [])) == "; NSID")
        #expect(DigOutput.option(EDNSOption(code: .nsid, data: [0x41, 0x00])) == "; NSID: 41 00 (\"A.\")")
        #expect(DigOutput.option(EDNSOption(code: EDNSOptionCode(65001), data: [1])) == "; OPT=65001: 01 (\".\")")
        #expect(DigOutput.option(EDNSOption(code: .expire, data: [0, 1, 0x51, 0x80])) == "; EXPIRE: 86400 (1 day)")
    }

    @Test func cookieIsJudgedAgainstWhatWasSent() {
        let client: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8]
        let sent = DigOutput.Sent(clientCookie: client)
        let good = EDNSOption(code: .cookie, data: client + [9, 9, 9, 9, 9, 9, 9, 9])
        #expect(DigOutput.option(good, sent: sent) == "; COOKIE: 01020304050607080909090909090909 (good)")
        #expect(DigOutput.option(EDNSOption(code: .cookie, data: client), sent: sent) == "; COOKIE: 0102030405060708 (echoed)")
        #expect(DigOutput.option(EDNSOption(code: .cookie, data: [8, 7, 6, 5, 4, 3, 2, 1]), sent: sent)
            == "; COOKIE: 0807060504030201 (bad)")
        #expect(DigOutput.option(good) == "; COOKIE: 01020304050607080909090909090909")
    }

    /// RFC 8914: INFO-CODE with its name, EXTRA-TEXT in parentheses.
    @Test(arguments: [
        ([0, 18], "; EDE: 18 (Prohibited)"),
        ([0, 18] + Array("no thanks".utf8), "; EDE: 18 (Prohibited): (no thanks)"),
        ([0, 6] + Array("sig expired é".utf8), "; EDE: 6 (DNSSEC Bogus): (sig expired é)"),
        ([0x01, 0x00], "; EDE: 256"),
        ([0, 0, 0xFF], "; EDE: 0 (Other): ff (.)"),
        ([7], "; EDE: 07 (\".\")"),
        ([], "; EDE"),
    ] as [([UInt8], String)])
    func extendedError(_ data: [UInt8], _ expected: String) {
        #expect(DigOutput.option(EDNSOption(code: .extendedError, data: data)) == expected)
    }

    @Test func shortAndFooter() throws {
        var m = DNSMessage()
        m.answers = [try ResourceRecord(text: "t.example. 1 IN TXT \"a b\" \"c\\\"d\"")]
        #expect(DigOutput.short(m) == "\"a b\" \"c\\\"d\"\n")
        #expect(DigOutput.footer(
            milliseconds: 3, serverAddress: "::1", port: 53, serverName: "::1", transport: "TCP", when: nil, size: 99)
            == ";; Query time: 3 msec\n;; SERVER: ::1#53(::1) (TCP)\n;; MSG SIZE  rcvd: 99\n\n")
    }
}
